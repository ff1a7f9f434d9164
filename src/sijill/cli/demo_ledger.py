"""The demo's day of work at its annex: forms in every state, so that each role logging in
to `sijill demo --serve` finds something to do.

The demo country's registers come from extracts, so its AMO files have no forms in the
ledger: nothing would wait for the clerk, the validator or CNSS. Here the demo's own clerk
requests AMO Tadamon for eligible RSU households of the annex that hold no AMO file, through
the same services as the pages (deposit, capture, validation, transmission, each audited):
some wait for the validator, some for the transmission, some for CNSS's decision. A capture
the gates refuse stays at the counter with its violations, as it would for a clerk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from sijill.accounts.models import User
from sijill.domain import scoring
from sijill.intake import approval, cnss, counter, workflow
from sijill.intake.models import Form
from sijill.registry.models import AmoFile, Household

# How many requests the day leaves at each step, at most: for CNSS to decide, for the
# validator, for the transmission. Small: the demo is for trying each page.
QUOTAS = {workflow.TRANSMITTED: 4, workflow.CAPTURED: 3, workflow.VALIDATED: 2}


def seed(annex: str, clerk: User, validator: User) -> Counter[str]:
    """Deposit and carry AMO requests forward at `annex`; returns the forms per status."""
    captured = []
    for household in _candidates(annex, sum(QUOTAS.values())):
        form = counter.request_amo(clerk, annex, household.household_id)
        if form.status == workflow.CAPTURED:
            captured.append(form.receipt)
    to_cnss = []
    for receipt, step in zip(captured, plan(len(captured)), strict=True):
        if step != workflow.CAPTURED:
            approval.validate(validator, receipt)
        if step == workflow.TRANSMITTED:
            to_cnss.append(receipt)
    if to_cnss:
        cnss.transmit(validator, to_cnss)
    forms = Form.objects.filter(annex_code=annex, kind=workflow.AMO_REQUEST)
    return Counter(forms.values_list("status", flat=True))


def plan(count: int) -> list[str]:
    """The step each of `count` requests is left at: one to each step in turn, so that a
    small annex still has work at every step, each up to its quota."""
    left = dict(QUOTAS)
    steps: list[str] = []
    while len(steps) < count and any(left.values()):
        for step, quota in left.items():
            if quota and len(steps) < count:
                steps.append(step)
                left[step] -= 1
    return steps


def _candidates(annex: str, count: int) -> Iterator[Household]:
    """Eligible households of the annex with no AMO file, each member with an IDCS."""
    enrolled = AmoFile.objects.values("household_id")
    households = (
        Household.objects.filter(annex_code=annex)
        .exclude(household_id__in=enrolled)
        .order_by("household_id")
    )
    found = 0
    for household in households.iterator():
        if found == count:
            return
        members = household.members.all()
        if not scoring.eligible(household.score) or any(not m.idcs for m in members):
            continue
        found += 1
        yield household
