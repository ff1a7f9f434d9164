"""The work lists as data (`downloads.Table`), in the reader's language, for download."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from sijill.documents.downloads import Table, label, named
from sijill.documents.words import action
from sijill.engine import Finding
from sijill.runs.models import Candidate


def findings_table(annex: str, rows: Sequence[Finding]) -> Table:
    columns = ("kind", "source", "row_id", "idcs", "household_id", "amo_file_id", "detail")
    headers = (*(label(c) for c in columns), _("What to do"))
    data = [
        (f.kind, f.source, f.row_id, f.idcs, f.household_id, f.amo_file_id, f.detail,
         action(f.kind))
        for f in rows
    ]  # fmt: skip
    return Table(named(annex, _("findings")), (*columns, "action"), headers, data)


def links_table(annex: str, rows: Sequence[Candidate]) -> Table:
    columns = ("source", "row_id", "row_idcs", "candidate_idcs", "match_probability", "decision")
    headers = (
        label("source"),
        label("row_id"),
        _("Identifier on the row"),
        _("Proposed RNP person"),
        _("Probability"),
        _("Decision"),
    )
    data: list[tuple[Any, ...]] = [
        (k.source, k.row_id, k.row_idcs, k.candidate_idcs, k.match_probability, k.decision)
        for k in rows
    ]
    return Table(named(annex, _("links")), columns, headers, data)
