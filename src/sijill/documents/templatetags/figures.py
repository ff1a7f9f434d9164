"""Template helpers of the pages: territory names, shares, counts and dates as the reader
reads them (`{{ day|short_date }}`, `{{ moment|short_datetime }}`: sijill.i18n.dates)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import gettext, pgettext

from sijill.documents import words
from sijill.i18n import Message
from sijill.i18n.dates import short_date, short_datetime
from sijill.i18n.formats import number

register = template.Library()


def place(territory: Any) -> str:
    """A territory's name in the active language (Arabic or French)."""
    return words.place(territory)


def percent(value: float | None) -> float | None:
    """A share (0-1) as a percentage, for floatformat."""
    return None if value is None else 100.0 * value


def grouped(value: Any) -> Any:
    """A count as people read it, 1 234 567: digits grouped by narrow no-break spaces, in
    French and Arabic alike (the command line's `number`). Anything else is left as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return value


def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else getattr(mapping, key, None)


for _filter in (place, percent, grouped, get, short_date, short_datetime):
    register.filter(_filter.__name__, _filter)


# The vocabulary's words, for templates: `{{ kind|words:"findings" }}`, `{{ kind|action }}`,
# `{{ indicator|meaning }}` (sijill.documents.words; a missing code shows nothing).
def words_of(code: Any, group: str | None = None) -> str:
    return words.words(str(code), group) if code not in (None, "") else ""


def action_of(kind: Any) -> str:
    return words.action(str(kind)) if kind else ""


def meaning_of(indicator: Any) -> str:
    return words.meaning(str(indicator)) if indicator else ""


def detail_of(finding: Any) -> str:
    return words.detail(finding)


register.filter("detail", detail_of)
register.filter("words", words_of)
register.filter("action", action_of)
register.filter("meaning", meaning_of)


def problem_detail(problem: Any) -> str:
    """A stored problem's detail (`Problem.as_json`: a failed run's table) in the active
    language, from its message id and parameters; one stored without them, in English."""
    if not isinstance(problem, Mapping):
        return ""
    if not problem.get("detail_id"):
        return str(problem.get("detail") or "")
    stored = {"id": problem["detail_id"], "params": problem.get("detail_params") or {}}
    return Message.from_json(stored).render(_translated)


def _translated(message_id: str, context: str | None) -> str:
    return str(gettext(message_id) if context is None else pgettext(context, message_id))


register.filter("problem_detail", problem_detail)
