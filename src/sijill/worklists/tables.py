"""The work lists as data (`downloads.Table`), in the reader's language, for download."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from sijill.documents.downloads import Table, in_arabic, label, named
from sijill.runs.models import Candidate
from sijill.worklists.findings import Finding


def findings_table(annex: str, rows: Sequence[Finding]) -> Table:
    columns = ("kind", "source", "row_id", "idcs", "household_id", "amo_file_id", "detail")
    headers = (*(label(c) for c in columns), _("What to do"))
    language = "ar" if in_arabic() else "fr"
    data = [
        (f.kind, f.source, f.row_id, f.idcs, f.household_id, f.amo_file_id, f.detail,
         f.action(language))
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
