"""The public status look-up: receipt plus CIN or IDCS gives status, next step and deadline.

Nothing else: no name, no territory, no reason. A wrong identifier and an unknown receipt
get the same answer, so the look-up cannot be used to test whether a receipt exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sijill.documents.words import words
from sijill.domain import deadlines
from sijill.intake import workflow
from sijill.intake.ledger import citizen_key
from sijill.intake.models import Form
from sijill.intake.receipts import normalized

NEXT_STEP_LABELS = {
    "capture": _("Capture of your form at the annex"),
    "validation": _("Validation by the local authority"),
    "transmission": _("Transmission to CNSS"),
    "cnss_decision": _("Decision by CNSS"),
}


@dataclass(frozen=True, slots=True)
class PublicStatus:
    status: str
    status_label: str
    next_step: str | None
    next_step_label: str | None
    deadline: dt.date | None


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
    )


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
