"""What the dashboard of one territory shows, read from a run's precomputed rows.

One territory at a time, never wider than the user's scope: the national row (`ALL`) only
for national users, any other territory only inside the user's subtree (the territories'
closure table). Outside it, a territory answers like one that does not exist (NotVisible).

A territory is shown from the runs that cover it: national runs, and runs scoped to it or to
a territory above it. Retired runs are read by no dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from sijill.accounts.access import NotVisible
from sijill.engine.reconcile.anomalies import MIN_EXCESS, MIN_RATIO
from sijill.monitoring import funnel
from sijill.monitoring.models import SUCCEEDED, Anomaly, Figures, Run
from sijill.territories import scope

NATIONAL = "ALL"
SINGLE = "SINGLE_PERSON_SHARE"
FLAGGED_SHOWN = 50
SORTS = ("code", "name", "rnp_persons", *funnel.GAP_KEYS, "flagged_annexes", "split_households",
         "amo_pending_stale", "amo_sla_breached")  # fmt: skip


def home(user: Any) -> str:
    code: str | None = user.territory_code
    return code or NATIONAL


def runs(code: str) -> QuerySet[Run]:
    """The finished, unretired runs that cover the territory `code`, latest first."""
    found = Run.objects.filter(status=SUCCEEDED, retired_at__isnull=True)
    national = Q(territory__isnull=True)
    covering = national if code == NATIONAL else national | Q(territory__in=scope.above(code))
    return found.filter(covering).order_by("-as_of", "-id")


def run_or_latest(run_id: int | None, code: str) -> Run | None:
    """Run `run_id` if it covers `code`, else None; without an id, the latest that does."""
    found: Run | None = runs(code).filter(pk=run_id).first() if run_id else runs(code).first()
    return found


def may_see(user: Any, code: str) -> bool:
    if code == NATIONAL:
        return user.territory_code is None
    return scope.covers(user.territory_code, code)


def figures(user: Any, run: Run, code: str) -> Figures:
    """The territory's row in the run; NotVisible when absent or outside the user's scope."""
    if not may_see(user, code):
        raise NotVisible(code)
    found: Figures | None = Figures.objects.filter(run=run, code=code).first()
    if found is None:
        raise NotVisible(code)
    return found


def trail(user: Any, fig: Figures) -> list[Figures]:
    """The territory's ancestors from the user's home down to it (never above the home)."""
    chain = [fig]
    stop = home(user)
    while chain[0].code != stop and chain[0].parent_code:
        parent = Figures.objects.filter(run_id=fig.run_id, code=chain[0].parent_code).first()
        if parent is None:
            break
        chain.insert(0, parent)
    return chain


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


def band_upper(expected: float | None) -> float | None:
    """The highest share an annex may have without being flagged, whatever its size: the
    effect-size floor of the anomaly rule (docs/reconcile.md)."""
    if expected is None:
        return None
    return max(expected + MIN_EXCESS, MIN_RATIO * expected)


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
    found = Figures.objects.filter(run_id=fig.run_id, parent_code=fig.code, **{f"{field}__gt": 0})
    return list(found.order_by(f"-{field}", "code")[:limit])


def trend(code: str) -> list[Figures]:
    """The territory's rows across every run that covers it, oldest reference day first."""
    found = Figures.objects.filter(code=code, run__in=runs(code)).select_related("run")
    return list(found.order_by("run__as_of", "run_id"))
