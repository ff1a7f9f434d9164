"""The pages' tables as data (`exports.Table`), in the reader's language, for download.

Column headers reuse the report's French/Arabic labels where the report has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from sijill.dashboards import funnel
from sijill.dashboards.funnel import StepRow
from sijill.dashboards.queries import Child
from sijill.documents.downloads import Table, in_arabic, label, named
from sijill.runs.models import Anomaly, Figures


def name(fig: Figures) -> str:
    return str(fig.name_ar if in_arabic() else fig.name_fr)


def funnel_table(fig: Figures, rows: Sequence[StepRow]) -> Table:
    columns = ("step", "people", "lost", "lost_share", "share_of_start")
    headers = (
        _("Step"),
        _("People"),
        _("Lost since the previous step"),
        _("Share lost"),
        _("Share of RNP persons"),
    )
    data = [(str(r.step.label), r.value, r.loss, r.loss_share, r.share_of_start) for r in rows]
    return Table(named(fig.code, _("funnel")), columns, headers, data)


def children_table(parent: Figures, rows: Sequence[Child]) -> Table:
    steps = [s.key for s in funnel.STEPS]
    columns = ("code", "name", *steps, *funnel.GAP_KEYS, "flagged_annexes", "split_households")
    headers = (
        label("code"),
        label("name"),
        *(str(s.label) for s in funnel.STEPS),
        *(str(s.gap_label) for s in funnel.GAPS),
        _("Flagged annexes"),
        _("Households in split suspects"),
    )
    data = [
        (
            c.figures.code,
            name(c.figures),
            *(getattr(c.figures, k) for k in steps),
            *(c.gaps[g] for g in funnel.GAP_KEYS),
            c.figures.flagged_annexes,
            c.figures.split_households,
        )
        for c in rows
    ]
    return Table(named(parent.code, _("territories")), columns, headers, data)


def anomalies_table(fig: Figures, rows: Sequence[Anomaly], names: dict[str, Figures]) -> Table:
    columns = ("annex_code", "name", "indicator", "observed", "expected", "q_value", "flagged")
    headers = tuple(label(c) for c in columns)
    data = [
        (
            a.annex_code,
            name(names[a.annex_code]) if a.annex_code in names else "",
            a.indicator,
            a.observed,
            a.expected,
            a.q_value,
            a.flagged,
        )
        for a in rows
    ]
    return Table(named(fig.code, _("anomalies")), columns, headers, data)


def trend_table(fig: Figures, rows: Sequence[Figures]) -> Table:
    steps = [s.key for s in funnel.STEPS]
    columns = ("run", "as_of", *steps)
    headers = (_("Run"), label("as_of"), *(str(s.label) for s in funnel.STEPS))
    data = [(f.run_id, f.run.as_of.isoformat(), *(getattr(f, k) for k in steps)) for f in rows]
    return Table(named(fig.code, _("trend")), columns, headers, data)


def compare_table(
    code: str, rows: Sequence[tuple[Figures, Figures | None, Figures | None]]
) -> Table:
    steps = [s.key for s in funnel.STEPS]
    columns: list[str] = ["code", "name"]
    headers: list[str] = [label("code"), label("name")]
    for step in funnel.STEPS:
        columns += [f"{step.key}_a", f"{step.key}_b", f"{step.key}_delta"]
        headers += [f"{step.label} (A)", f"{step.label} (B)", f"{step.label} (B − A)"]
    data = []
    for shown, a, b in rows:
        values: list[Any] = [shown.code, name(shown)]
        for key in steps:
            va = getattr(a, key) if a else None
            vb = getattr(b, key) if b else None
            values += [va, vb, vb - va if va is not None and vb is not None else None]
        data.append(tuple(values))
    return Table(named(code, _("comparison")), tuple(columns), tuple(headers), data)
