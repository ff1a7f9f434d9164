"""The vocabulary's words in the page's language (sijill.domain.vocabulary, through the
catalogues): what pages and their downloads call a code.

Nothing else in the back office keeps words for a code: a page, a table header or a
download asks here, so that a funnel column or a finding kind reads the same everywhere.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import get_language_bidi, gettext

from sijill.domain import vocabulary
from sijill.domain.vocabulary import Term


def said(term: Term) -> str:
    """A term's words in the page's language."""
    return str(gettext(term.words))


def words(code: str, group: str | None = None) -> str:
    """What a code of a vocabulary group (`findings`, `levels`...) is called; without a
    group, the first term of that code in any group. An unknown code is shown as itself."""
    if group is None:
        return said(vocabulary.term(code))
    return said(vocabulary.term(code, vocabulary.GROUPS[group]))


def action(kind: str) -> str:
    """What to do about a finding of that kind."""
    found = vocabulary.term(kind, vocabulary.FINDINGS)
    return str(gettext(found.action)) if found.action else ""


def meaning(indicator: str) -> str:
    """What an anomaly indicator says when an annex is flagged on it."""
    found = vocabulary.term(indicator, vocabulary.INDICATORS)
    return str(gettext(found.meaning)) if found.meaning else ""


def place(territory: Any) -> str:
    """A territory's name (a Figures row, a Territory) in the page's language: its Arabic
    name on an Arabic page, else its French one; nothing for no territory."""
    if territory is None:
        return ""
    # Territories are named in Arabic and French only: right to left reads the Arabic.
    return str(territory.name_ar if get_language_bidi() else territory.name_fr)


def detail(finding: Any) -> str:
    """Why a finding was made, in the page's language: its message id with its parameters,
    a list of field codes given their words; a finding of a run written before findings
    carried their id keeps its English detail."""
    if not getattr(finding, "detail_id", None):
        return str(finding.detail)
    params = json.loads(finding.detail_params or "{}")
    values = {
        name: ", ".join(words(code, "fields") for code in value)
        if isinstance(value, list) else value
        for name, value in params.items()
    }  # fmt: skip
    return str(gettext(finding.detail_id)).format(**values)
