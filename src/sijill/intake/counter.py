"""At the counter: a receipt at once on deposit, then the capture of the form's content."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sijill.accounts import roles
from sijill.accounts.access import NotVisible, require, require_place
from sijill.accounts.models import User
from sijill.domain.rules import Violation
from sijill.intake import gates, ledger, steps, workflow
from sijill.intake.ledger import NotPossible
from sijill.intake.models import Form
from sijill.intake.receipts import new_receipt
from sijill.territories.models import Territory

_RECEIPT_ATTEMPTS = 5


def deposit(
    user: User,
    *,
    kind: str,
    channel: str,
    annex_code: str,
    citizen_id: str | None = None,
    payload: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> tuple[Form, bool]:
    """Register a deposited form; returns it and whether it is new.

    With an idempotency key, a retried deposit (same clerk, same key) returns the first form,
    however many retries race: the database's unique constraint decides, not this code.
    """
    require(user, roles.DEPOSIT)
    if kind not in workflow.KINDS or channel not in workflow.CHANNELS:
        raise ValueError(f"unknown kind {kind!r} or channel {channel!r}")
    if not Territory.objects.filter(code=annex_code, level="annex").exists():
        raise NotVisible(annex_code)
    require_place(user, annex_code)
    if idempotency_key:
        earlier = _earlier(user, idempotency_key, kind, annex_code)
        if earlier is not None:
            return earlier, False
    for _ in range(_RECEIPT_ATTEMPTS):
        try:
            return _create(user, kind, channel, annex_code, citizen_id, payload, idempotency_key)
        except IntegrityError:
            if idempotency_key:
                earlier = _earlier(user, idempotency_key, kind, annex_code)
                if earlier is not None:
                    return earlier, False
            # Otherwise two random receipts collided: draw again.
    raise RuntimeError("could not draw a free receipt number")


def _earlier(user: User, key: str, kind: str, annex_code: str) -> Form | None:
    earlier: Form | None = Form.objects.filter(clerk=user, idempotency_key=key).first()
    if earlier is not None and (earlier.kind, earlier.annex_code) != (kind, annex_code):
        # The same key for a different request is a client bug, not a retry.
        raise NotPossible("deposit with a reused idempotency key", earlier.status)
    return earlier


def _create(
    user: User,
    kind: str,
    channel: str,
    annex_code: str,
    citizen_id: str | None,
    payload: dict[str, Any] | None,
    idempotency_key: str | None,
) -> tuple[Form, bool]:
    with transaction.atomic():
        form = Form(
            receipt=new_receipt(),
            kind=kind,
            channel=channel,
            annex_code=annex_code,
            clerk=user,
            status=workflow.DEPOSITED,
            payload=payload or {},
            idempotency_key=idempotency_key,
            deposited_at=timezone.now(),
            **ledger.citizen_keys(citizen_id),
        )
        ledger.save(form)
        ledger.audit(user.username, "deposit", form, None)
    return form, True


def capture(user: User, receipt: str, payload: Mapping[str, Any]) -> Form:
    """Store what the clerk keyed in; the form is captured only if every gate passes."""
    require(user, roles.CAPTURE)

    def check(form: Form) -> list[Violation]:
        form.payload = dict(payload)
        violations = gates.check(form).violations
        form.violations = [v.as_dict() for v in violations]
        return violations

    return ledger.step(user, receipt, workflow.CAPTURE, "capture", check=check)


def request_amo(user: User, annex_code: str, household_id: str) -> Form:
    """An AMO request for every member of an RSU household, deposited in the name of its
    first member and captured as the RSU holds it (the capture page's "fill in from the
    RSU", without corrections); the gates judge it as any capture."""
    household = gates.household_facts(household_id)
    if household is None or not household.members:
        raise NotVisible(household_id)
    insured = household.members[0]
    form, _ = deposit(
        user, kind=workflow.AMO_REQUEST, channel="counter", annex_code=annex_code,
        citizen_id=insured.idcs,
    )  # fmt: skip
    return capture(user, form.receipt, steps.amo_payload(household_id, household.members))
