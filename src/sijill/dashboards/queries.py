"""What the dashboard of one territory shows, read from a run's precomputed rows (the run
and the territory are chosen, within the user's scope, by `sijill.runs.selection`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F

from sijill.dashboards import funnel
from sijill.runs.models import Anomaly, Figures
from sijill.runs.selection import runs

SINGLE = "SINGLE_PERSON_SHARE"
FLAGGED_SHOWN = 50
SORTS = ("code", "name", "rnp_persons", *funnel.GAP_KEYS, "flagged_annexes", "split_households",
         "amo_pending_stale", "amo_sla_breached")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Child:
    figures: Figures
    gaps: dict[str, int]

    def value(self, key: str) -> Any:
        if key == "name":
            return (self.figures.name_fr, self.figures.name_ar)
        if key in self.gaps:
            return self.gaps[key]
        return getattr(self.figures, key)


def children(fig: Figures, sort: str = "gap_rsu", descending: bool = True) -> list[Child]:
    rows = [
        Child(f, funnel.gaps(f))
        for f in Figures.objects.filter(run_id=fig.run_id, parent_code=fig.code)
    ]
    key = sort if sort in SORTS else "gap_rsu"
    rows.sort(key=lambda c: c.figures.code)
    rows.sort(key=lambda c: c.value(key), reverse=descending)
    return rows


def _subtree(fig: Figures) -> dict[str, str]:
    if fig.level == "national":
        return {}
    if fig.level == "annex":
        return {"annex_code": fig.code}
    return {f"{fig.level}_code": fig.code}


def anomalies(fig: Figures) -> list[Anomaly]:
    """The annex's indicators, or the flagged annexes of the subtree (most significant first)."""
    found = Anomaly.objects.filter(run_id=fig.run_id, **_subtree(fig))
    if fig.level != "annex":
        found = found.filter(flagged=True)
    order = ("-flagged", F("q_value").asc(nulls_last=True), "annex_code", "indicator")
    return list(found.order_by(*order)[:FLAGGED_SHOWN])


def annex_names(run_id: int, codes: set[str]) -> dict[str, Figures]:
    return {f.code: f for f in Figures.objects.filter(run_id=run_id, code__in=codes)}


def late_children(fig: Figures, field: str, limit: int = 10) -> list[Figures]:
    # A territory has tens of children at most: sorted here, whatever the database's JSON.
    found = [f for f in Figures.objects.filter(run_id=fig.run_id, parent_code=fig.code)
             if (f.counts.get(field) or 0) > 0]  # fmt: skip
    return sorted(found, key=lambda f: (-f.counts[field], f.code))[:limit]


def trend(code: str) -> list[Figures]:
    """The territory's rows across every run that covers it, oldest reference day first."""
    found = Figures.objects.filter(code=code, run__in=runs(code)).select_related("run")
    return list(found.order_by("run__as_of", "run_id"))
