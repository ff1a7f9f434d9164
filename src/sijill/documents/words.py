"""The vocabulary's words in the page's language (sijill.domain.vocabulary, through the
catalogues): what pages and their downloads call a code."""

from __future__ import annotations

from django.utils.translation import gettext

from sijill.domain import vocabulary


def words(code: str, group: str) -> str:
    """What a code of a vocabulary group (`findings`, `levels`...) is called."""
    return str(gettext(vocabulary.term(code, vocabulary.GROUPS[group]).words))


def action(kind: str) -> str:
    """What to do about a finding of that kind."""
    found = vocabulary.term(kind, vocabulary.FINDINGS)
    return str(gettext(found.action)) if found.action else ""


def meaning(indicator: str) -> str:
    found = vocabulary.term(indicator, vocabulary.INDICATORS)
    return str(gettext(found.meaning)) if found.meaning else ""
