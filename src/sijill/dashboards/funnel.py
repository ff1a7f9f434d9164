"""The dashboard's funnel: seven steps from the RNP to CNSS's acceptance, and the loss at each.

Steps count persons: living RNP persons, those in the RSU, members of eligible households,
AMO beneficiaries deposited, and those whose file was validated, transmitted and accepted.
A gap is the count of a step minus the next one's (people lost on the way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # a Figures field
    label: Promise
    gap: str  # key of the gap that leads to this step ("" for the first)
    gap_label: Promise | str = ""


STEPS = (
    Step("rnp_persons", _("Living persons in the RNP"), ""),
    Step("rnp_in_rsu", _("Registered in the RSU"), "gap_rsu", _("Not in the RSU")),
    Step("eligible_persons", _("Eligible to AMO Tadamon"), "gap_eligible", _("Not eligible")),
    Step("amo_beneficiaries", _("AMO request deposited"), "gap_deposit", _("No AMO request")),
    Step(
        "amo_validated_persons", _("Validated"), "gap_validation", _("Not validated by the annex")
    ),
    Step(
        "amo_transmitted_persons",
        _("Transmitted to CNSS"),
        "gap_transmission",
        _("Not transmitted"),
    ),
    Step("amo_accepted_persons", _("Accepted by CNSS"), "gap_acceptance", _("Not accepted")),
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
