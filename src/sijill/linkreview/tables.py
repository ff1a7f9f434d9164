"""The link candidates as data (`downloads.Table`), in the reader's language, for download."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from sijill.documents.downloads import Table, label, named
from sijill.documents.words import words
from sijill.runs.models import Candidate

LINK_COLUMNS = ("source", "row_id", "row_idcs", "candidate_idcs", "match_probability", "decision")


def links_table(annex: str, rows: Iterable[Candidate]) -> Table:
    """Probabilities as the engine wrote them (a program reads them), decisions in words."""
    data: list[tuple[Any, ...]] = [
        (words(k.source, "registers"), k.row_id, k.row_idcs, k.candidate_idcs,
         k.match_probability, words(k.decision, "link_decisions") if k.decision else "")
        for k in rows
    ]  # fmt: skip
    headers = tuple(label(c) for c in LINK_COLUMNS)
    return Table(named(annex, _("links")), LINK_COLUMNS, headers, data)
