"""The work lists as data (`downloads.Table`), in the reader's language, for download.

Headers are the vocabulary's words of each column, as on the page; a finding's kind is in
words, then by its code (what other outputs and filters use).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from sijill.documents.downloads import Table, label, named
from sijill.documents.words import action, detail, words
from sijill.engine import Finding
from sijill.runs.models import Candidate

FINDING_COLUMNS = ("kind", "code", "source", "row_id", "idcs", "household_id", "amo_file_id",
                   "detail", "action")  # fmt: skip
# The page's columns: the kind's code is in its cell's title there.
PAGE_COLUMNS = tuple(c for c in FINDING_COLUMNS if c != "code")
LINK_COLUMNS = ("source", "row_id", "row_idcs", "candidate_idcs", "match_probability", "decision")


def _headers(columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(label(c) for c in columns)


def findings_table(annex: str, rows: Sequence[Finding]) -> Table:
    data = [
        (words(f.kind, "findings"), f.kind, f.source, f.row_id, f.idcs, f.household_id,
         f.amo_file_id, detail(f), action(f.kind))
        for f in rows
    ]  # fmt: skip
    return Table(named(annex, _("findings")), FINDING_COLUMNS, _headers(FINDING_COLUMNS), data)


def links_table(annex: str, rows: Sequence[Candidate]) -> Table:
    data: list[tuple[Any, ...]] = [
        (k.source, k.row_id, k.row_idcs, k.candidate_idcs, k.match_probability, k.decision)
        for k in rows
    ]
    return Table(named(annex, _("links")), LINK_COLUMNS, _headers(LINK_COLUMNS), data)
