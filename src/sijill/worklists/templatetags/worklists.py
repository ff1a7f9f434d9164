"""Template helpers of the work lists: a split suspect's reason in the page's language, and
a compared field's value as a person reads it."""

from __future__ import annotations

from typing import Any

from django import template

from sijill.documents.words import place, words
from sijill.i18n.dates import short_date
from sijill.worklists.cases import split_reason as _split_reason

register = template.Library()


def split_reason(member: Any) -> str:
    return _split_reason(member)


register.filter("split_reason", split_reason)


def value(line: Any, side: str) -> str:
    """One side (`mine` or `theirs`) of a compared field: a sex in words, a date in the
    page's short format, an annex by its name, any other value as it is."""
    found = getattr(line, side)
    if found is None or found == "":
        return ""
    if line.field == "sex":
        return words(str(found), "sexes")
    if line.field == "birth_date":
        return short_date(found)
    if line.field == "annex_code" and hasattr(found, "code"):
        return place(found)
    return str(found)


register.filter("value", value)
