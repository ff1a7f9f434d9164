"""Between the annex and CNSS: transmission batches, review and the decision within 30 days."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sijill.accounts import roles
from sijill.accounts.access import require, visible_one
from sijill.accounts.models import User
from sijill.domain.rules import Violation
from sijill.intake import ledger, workflow
from sijill.intake.approval import queue
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form, TransmissionBatch
from sijill.intake.receipts import normalized
from sijill.registry import exports, writes
from sijill.registry.models import AmoFile


def transmit(user: User, receipts: list[str] | None = None) -> TransmissionBatch:
    """Send the validated AMO requests of the user's territory (or those listed) to CNSS."""
    require(user, roles.TRANSMIT)
    with transaction.atomic():
        forms = queue(user, workflow.VALIDATED).filter(kind=workflow.AMO_REQUEST)
        if receipts is not None:
            forms = forms.filter(receipt__in=[normalized(r) for r in receipts])
        chosen = list(forms.select_for_update())
        if not chosen:
            raise NotPossible(workflow.TRANSMIT.name, "nothing validated")
        now = timezone.now()
        batch: TransmissionBatch = TransmissionBatch.objects.create(
            number=f"LOT-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}",
            territory_code=user.territory_code,
            created_at=now,
            created_by=user,
        )
        for form in chosen:
            _move(user, form, workflow.TRANSMIT, "transmit", batch=batch)
    return batch


def batch_extract(user: User, number: str, path: Path) -> int:
    """Write transmission batch `number` as the contract `amo` extract CNSS receives.

    Seen only by users whose territory holds the batch's; returns the rows written.
    """
    require(user, roles.READ)
    batch = visible_one(user, TransmissionBatch.objects, "territory_code", number=number)
    files = batch.forms.exclude(register_key=None).values_list("register_key", flat=True)
    return exports.export_amo(path, list(files))


def review(user: User, receipt: str) -> Form:
    """CNSS acknowledges a transmitted file and starts examining it."""
    require(user, roles.DECIDE)
    with transaction.atomic():
        return _move(user, receipt, workflow.REVIEW, "review")


def decide(user: User, receipt: str, accepted: bool, reason: str = "") -> Form:
    """CNSS's decision; a rejection must say why (the citizen is told)."""
    require(user, roles.DECIDE)
    if not accepted and not reason.strip():
        raise GateFailed([Violation("required", "rejection_reason")])
    transition = workflow.ACCEPT if accepted else workflow.DECLINE
    return _move(user, receipt, transition, "decide", reason=None if accepted else reason.strip())


def _move(
    user: User,
    form: Form | str,
    transition: workflow.Transition,
    action: str,
    batch: TransmissionBatch | None = None,
    reason: str | None = None,
) -> Form:
    """A CNSS step of an AMO request, carried into its register's file."""

    def apply(moved: Form) -> None:
        if batch is not None:
            moved.batch = batch
        moved.rejection_reason = reason
        amo_file = AmoFile.objects.get(amo_file_id=moved.register_key)
        at = getattr(moved, workflow.TIMESTAMP_OF[transition.target])
        writes.set_amo_status(amo_file, transition.target, at, user.username, reason)

    return ledger.step(user, form, transition, action, apply=apply)
