"""The dashboard's funnel: seven steps from the RNP to CNSS's acceptance, and the loss at each.

Steps count persons: living RNP persons, those in the RSU, members of eligible households,
AMO beneficiaries deposited, and those whose file was validated, transmitted and accepted.
A gap is the count of a step minus the next one's (people lost on the way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sijill.documents.words import said
from sijill.domain.vocabulary import FIGURES, FUNNEL, FUNNEL_GAPS, Term


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # a Figures field
    term: Term  # what the step is called: the vocabulary's term of that field
    gap: str = ""  # key of the gap that leads to this step ("" for the first)

    @property
    def label(self) -> str:
        return said(self.term)

    @property
    def gap_label(self) -> str:
        return said(FUNNEL_GAPS[self.gap]) if self.gap else ""


def _step(key: str, gap: str = "") -> Step:
    """The step of a Figures field, named as the vocabulary names that field."""
    return Step(key, FUNNEL[key] if key in FUNNEL else FIGURES[key], gap)


STEPS = (
    _step("rnp_persons"),
    _step("rnp_in_rsu", "gap_rsu"),
    _step("eligible_persons", "gap_eligible"),
    _step("amo_beneficiaries", "gap_deposit"),
    _step("amo_validated_persons", "gap_validation"),
    _step("amo_transmitted_persons", "gap_transmission"),
    _step("amo_accepted_persons", "gap_acceptance"),
)
GAPS = tuple(s for s in STEPS if s.gap)
GAP_KEYS = tuple(s.gap for s in GAPS)


@dataclass(frozen=True, slots=True)
class StepRow:
    step: Step
    value: int
    loss: int | None  # from the previous step
    loss_share: float | None  # of the previous step, 0-100
    share_of_start: float | None  # of the first step, 0-100


def _share(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def steps(figures: Any) -> list[StepRow]:
    values = [int(getattr(figures, s.key)) for s in STEPS]
    rows = []
    for i, (step, value) in enumerate(zip(STEPS, values, strict=True)):
        previous = values[i - 1] if i else None
        loss = previous - value if previous is not None else None
        rows.append(
            StepRow(
                step,
                value,
                loss,
                _share(loss, previous) if loss is not None and previous else None,
                _share(value, values[0]),
            )
        )
    return rows


def gaps(figures: Any) -> dict[str, int]:
    """Each gap's size (gap key -> people lost at that step)."""
    values = [int(getattr(figures, s.key)) for s in STEPS]
    return {STEPS[i].gap: values[i - 1] - values[i] for i in range(1, len(STEPS))}
