"""The public status look-up: receipt plus CIN or IDCS gives status, next step and deadline.

Nothing else, but CNSS's decision once it is taken: for each beneficiary of the AMO file
(called by first name and relation, nothing more), whether CNSS accepted them and, if not,
why. No territory, no identifier. A wrong identifier and an unknown receipt get the same
answer, so the look-up cannot be used to test whether a receipt exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sijill.documents.words import words
from sijill.domain import deadlines
from sijill.intake import cnss, workflow
from sijill.intake.forms import RELATION_LABELS
from sijill.intake.ledger import citizen_key
from sijill.intake.models import Form
from sijill.intake.receipts import normalized
from sijill.registry.models import ACCEPTED

NEXT_STEP_LABELS = {
    "capture": _("Capture of your form at the annex"),
    "validation": _("Validation by the local authority"),
    "transmission": _("Transmission to CNSS"),
    "cnss_decision": _("Decision by CNSS"),
}


@dataclass(frozen=True, slots=True)
class Ruling:
    """CNSS's decision on one beneficiary, as the citizen reads it."""

    first_name_ar: str
    first_name_lat: str
    relation_label: str
    accepted: bool
    decision_label: str
    reason_label: str  # what the reason of the list is called, or the reason as written
    note: str


@dataclass(frozen=True, slots=True)
class PublicStatus:
    status: str
    status_label: str
    next_step: str | None
    next_step_label: str | None
    deadline: dt.date | None
    decisions: tuple[Ruling, ...] = ()


def lookup(receipt: str, citizen_id: str) -> Form | None:
    canonical = normalized(receipt)
    if canonical is None or not citizen_id.strip():
        return None
    key = citizen_key(citizen_id)
    mine = Q(citizen_cin_key=key) | Q(citizen_idcs_key=key)
    found: Form | None = Form.objects.filter(mine, receipt=canonical).first()
    return found


def status_of(form: Form) -> PublicStatus:
    step = workflow.next_step(form.kind, form.status)
    return PublicStatus(
        status=form.status,
        status_label=words(form.status, "form_statuses"),
        next_step=step,
        next_step_label=str(NEXT_STEP_LABELS[step]) if step else None,
        deadline=deadline(form),
        decisions=tuple(decisions(form)),
    )


def decisions(form: Form) -> list[Ruling]:
    """CNSS's decision on each beneficiary of a decided AMO request, in the file's order;
    nothing for any other form (a rejection by the annex decides no beneficiary)."""
    if form.status not in (workflow.ACCEPTED, workflow.REJECTED):
        return []
    found = []
    for beneficiary in cnss.beneficiaries(form):
        if beneficiary.decision is None:
            continue
        reason = cnss.reason_of(beneficiary.rejection_reason)
        code = reason.code if reason else None
        found.append(
            Ruling(
                first_name_ar=beneficiary.first_name_ar,
                first_name_lat=beneficiary.first_name_lat,
                relation_label=str(RELATION_LABELS.get(beneficiary.relation, "")),
                accepted=beneficiary.decision == ACCEPTED,
                decision_label=words(beneficiary.decision, "decisions"),
                reason_label=words(code, "rejection_reasons") if code else "",
                note=reason.note if reason else "",
            )
        )
    return found


def _local_day(moment: dt.datetime) -> dt.date:
    day: dt.date = timezone.localtime(moment).date()
    return day


def deadline(form: Form) -> dt.date | None:
    """The date by which the next step is due, or None once the form is done."""
    if workflow.is_final(form.kind, form.status):
        return None
    if form.status in (workflow.DEPOSITED, workflow.CAPTURED):
        return deadlines.validation_due(_local_day(form.deposited_at))
    if form.status == workflow.VALIDATED:
        # Validated files leave in the next daily transmission batch.
        return deadlines.validation_due(_local_day(form.validated_at))
    return deadlines.cnss_due(_local_day(form.transmitted_at))
