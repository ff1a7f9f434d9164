"""The pages' tables as data (`downloads.Table`), in the reader's language, for download.

A column's header is its vocabulary term's words (`downloads.label`), as on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from sijill.dashboards import funnel, queries
from sijill.dashboards.funnel import StepRow
from sijill.dashboards.queries import Child
from sijill.documents.downloads import Table, label, named
from sijill.documents.words import meaning, place, words
from sijill.runs.models import Anomaly, Figures

STEP_KEYS = tuple(s.key for s in funnel.STEPS)


def headers(columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(label(c) for c in columns)


def child_headers() -> list[tuple[str, str]]:
    """(sort key, header) of the children table on the page, in its column order."""
    return list(zip(queries.SORTS, headers(queries.SORTS), strict=True))


def funnel_table(fig: Figures, rows: Sequence[StepRow]) -> Table:
    columns = ("step", "people", "lost", "lost_share", "share_of_start")
    titles = (
        _("Step"),
        _("People"),
        _("Lost since the previous step"),
        _("Share lost"),
        _("Share of RNP persons"),
    )
    data = [(r.step.label, r.value, r.loss, r.loss_share, r.share_of_start) for r in rows]
    return Table(named(fig.code, _("funnel")), columns, titles, data)


def children_table(parent: Figures, rows: Sequence[Child]) -> Table:
    columns = ("code", "name", *STEP_KEYS, *funnel.GAP_KEYS, "flagged_annexes", "split_households")
    data = [
        (
            c.figures.code,
            place(c.figures),
            *(getattr(c.figures, k) for k in STEP_KEYS),
            *(c.gaps[g] for g in funnel.GAP_KEYS),
            c.figures.flagged_annexes,
            c.figures.split_households,
        )
        for c in rows
    ]
    return Table(named(parent.code, _("territories")), columns, headers(columns), data)


def anomalies_table(fig: Figures, rows: Sequence[Anomaly], names: dict[str, Figures]) -> Table:
    """The anomalies, each indicator in words then by its code, with what it means when
    the annex is flagged on it (as on the page)."""
    columns = ("annex_code", "name", "indicator", "code", "observed", "expected", "q_value",
               "flagged", "meaning")  # fmt: skip
    data = [
        (
            a.annex_code,
            place(names.get(a.annex_code)),
            words(a.indicator, "indicators"),
            a.indicator,
            a.observed,
            a.expected,
            a.q_value,
            a.flagged,
            meaning(a.indicator) if a.flagged else "",  # what it says when flagged
        )
        for a in rows
    ]
    return Table(named(fig.code, _("anomalies")), columns, headers(columns), data)


def trend_table(fig: Figures, rows: Sequence[Figures]) -> Table:
    columns = ("run", "as_of", *STEP_KEYS)
    titles = (_("Run"), *headers(columns[1:]))
    data = [(f.run_id, f.run.as_of.isoformat(), *(getattr(f, k) for k in STEP_KEYS)) for f in rows]
    return Table(named(fig.code, _("trend")), columns, titles, data)


def compare_table(
    code: str, rows: Sequence[tuple[Figures, Figures | None, Figures | None]]
) -> Table:
    columns: list[str] = ["code", "name"]
    titles: list[str] = list(headers(columns))
    for step in funnel.STEPS:
        columns += [f"{step.key}_a", f"{step.key}_b", f"{step.key}_delta"]
        titles += [f"{step.label} (A)", f"{step.label} (B)", f"{step.label} (B − A)"]
    data = []
    for shown, a, b in rows:
        values: list[Any] = [shown.code, place(shown)]
        for key in STEP_KEYS:
            va = getattr(a, key) if a else None
            vb = getattr(b, key) if b else None
            values += [va, vb, vb - va if va is not None and vb is not None else None]
        data.append(tuple(values))
    return Table(named(code, _("comparison")), tuple(columns), tuple(titles), data)
