"""The threshold what-if of a territory: if AMO Tadamon's threshold moved from the run's to
another, how many households and persons of each territory below would become eligible or
stop being eligible, and how many of them already hold an AMO file.

The counts are exact, from the latest run's RSU scores (engine.eligibility reads only the
scores between the two thresholds); here they are summed from annexes up to the territory
shown and its children, by the run's own territory tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sijill import engine
from sijill.runs.imports import scores_path
from sijill.runs.models import Figures, Run

COUNTS = ("households", "persons", "held_households", "held_persons")


class ThresholdForm(forms.Form):
    # Read as the reader writes numbers (9,3264284 in French), like the run form's.
    threshold = forms.FloatField(
        label=_("Threshold to try"),
        localize=True,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


@dataclass(frozen=True, slots=True)
class Row:
    """A territory, its eligible households and persons in the run, and the change."""

    figures: Figures
    shift: engine.Shift

    def eligible(self, what: str) -> int:
        return int(self.figures.counts.get(f"eligible_{what}") or 0)

    def after(self, what: str, rising: bool) -> int:
        change = int(getattr(self.shift, what))
        return self.eligible(what) + (change if rising else -change)


@dataclass(frozen=True, slots=True)
class WhatIf:
    current: float
    proposed: float
    shown: Row
    children: list[Row]
    bounds: tuple[float, float]

    @property
    def rising(self) -> bool:
        return self.proposed > self.current

    @property
    def moved(self) -> bool:
        return self.proposed != self.current

    @property
    def households_then(self) -> int:
        """The territory's eligible households at the proposed threshold."""
        return self.shown.after("households", self.rising)


def _ancestors(run: Run) -> dict[str, str | None]:
    return dict(Figures.objects.filter(run=run).values_list("code", "parent_code"))


def _under(code: str, annex: str, parents: dict[str, str | None]) -> str | None:
    """The territory just below `code` on the way to `annex` (`annex` itself when `code`
    is its parent; `code` when it is the annex); None when `annex` is not below `code`."""
    child: str | None = annex
    while child is not None:
        parent = parents.get(child)
        if child == code:
            return code
        if parent == code:
            return child
        child = parent
    return None


def compute(run: Run, fig: Figures, proposed: float) -> WhatIf | None:
    """The what-if of territory `fig` (None when the run kept no scores)."""
    path = scores_path(run)
    bounds = engine.score_range(path) if path.is_file() else None
    if bounds is None:
        return None
    current = float(run.parameters["threshold"])
    shifts = engine.threshold_shifts(path, current, proposed)
    parents = _ancestors(run)
    sums: dict[str, engine.Shift] = {}
    for annex, shift in shifts.items():
        under = _under(fig.code, annex, parents)
        if under is None:
            continue
        for code in {under, fig.code}:
            sums[code] = sums.get(code, engine.Shift()) + shift
    children = Figures.objects.filter(run=run, parent_code=fig.code).order_by("code")
    rows = [Row(child, sums.get(child.code, engine.Shift())) for child in children]
    rows.sort(key=lambda r: -(r.shift.persons))
    return WhatIf(current, proposed, Row(fig, sums.get(fig.code, engine.Shift())), rows, bounds)


def slider(what: WhatIf) -> dict[str, Any]:
    """The slider's bounds and step: the run's scores, in hundredths."""
    low, high = what.bounds
    return {"min": f"{int(low * 100) / 100:.2f}", "max": f"{-int(-high * 100) / 100:.2f}",
            "step": "0.01", "value": f"{what.proposed:.7g}"}  # fmt: skip
