"""What every step of the ledger shares: finding a form in scope, moving it, auditing it."""

from __future__ import annotations

import copy
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from sijill.accounts.access import NotVisible, scoped
from sijill.accounts.models import User
from sijill.audit.chain import Change, record
from sijill.domain.rules import IDCS, Violation
from sijill.intake import workflow
from sijill.intake.models import Form
from sijill.intake.receipts import normalized

# Sent inside the writing transaction each time the ledger writes a form, with `form` as
# saved and `was`, the same form as it was read before the step (None for a new one):
# the demand statistics keep their tally of the ledger with it (sijill.demand.tally).
written = Signal()


class NotPossible(Exception):
    """The form's status does not allow this step (HTTP 409)."""

    def __init__(self, step: str, status: str) -> None:
        self.step, self.status = step, status
        super().__init__(f"{step} is not possible on a form that is {status}")


class GateFailed(Exception):
    """The form breaks validation rules; every violation is listed (HTTP 422)."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__(f"{len(violations)} rule(s) broken")


def citizen_key(identifier: str) -> str:
    """A keyed hash of a CIN or IDCS: lets the ledger recognize a citizen without storing them.

    Keyed with the look-up key (settings.LOOKUP_KEY), never with Django's secret key: that
    one can be rotated without losing a receipt (docs/backoffice.md, "Keys")."""
    key = bytes.fromhex(settings.LOOKUP_KEY)
    digest = hmac.new(key, identifier.strip().upper().encode(), hashlib.sha256)
    return digest.hexdigest()


def citizen_keys(identifier: str | None) -> dict[str, str | None]:
    if not identifier:
        return {"citizen_cin_key": None, "citizen_idcs_key": None}
    if IDCS.fullmatch(identifier.strip()):
        return {"citizen_cin_key": None, "citizen_idcs_key": citizen_key(identifier)}
    return {"citizen_cin_key": citizen_key(identifier), "citizen_idcs_key": None}


def locked(user: User, receipt: str) -> Form:
    """The form with this receipt in the user's scope, locked until the transaction ends."""
    canonical = normalized(receipt)
    if canonical is None:
        raise NotVisible(receipt)
    form: Form | None = (
        scoped(user, Form.objects.select_for_update()).filter(receipt=canonical).first()
    )
    if form is None:
        raise NotVisible(receipt)
    return form


def visible(user: User, receipt: str) -> Form:
    canonical = normalized(receipt)
    forms = scoped(user, Form.objects.all())
    form: Form | None = forms.filter(receipt=canonical).first() if canonical else None
    if form is None:
        raise NotVisible(receipt)
    return form


def move(form: Form, transition: workflow.Transition) -> None:
    """Set the form's new status and stamp the time it reached it (not saved)."""
    if not workflow.allowed(transition, form.kind, form.status):
        raise NotPossible(transition.name, form.status)
    form.status = transition.target
    setattr(form, workflow.TIMESTAMP_OF[transition.target], timezone.now())


def save(form: Form, was: Form | None = None) -> None:
    """Write the form: every deposit and every step of the ledger goes through here."""
    form.save()
    written.send(Form, form=form, was=was)


def snapshot(form: Form) -> dict[str, Any]:
    return {
        "receipt": form.receipt,
        "kind": form.kind,
        "channel": form.channel,
        "status": form.status,
        "annex_code": form.annex_code,
        "payload": form.payload,
        "violations": [v.get("rule") for v in form.violations],
        "rejection_reason": form.rejection_reason,
        "register_key": form.register_key,
    }


def audit(actor: str, action: str, form: Form, before: dict[str, Any] | None) -> None:
    record(Change(actor, action, "intake.form", form.receipt, before, snapshot(form)))


def step(
    user: User,
    form: Form | str,
    transition: workflow.Transition,
    action: str,
    check: Callable[[Form], list[Violation]] | None = None,
    apply: Callable[[Form], None] | None = None,
) -> Form:
    """One step of a form's life, in one transaction: lock the form (a receipt is looked up
    in the user's scope), check the step is allowed from its status, run `check`, move it,
    run `apply` (the registers change), save it and audit it as `action`.

    When `check` returns violations the form does not move: it is saved and audited as
    `<action>_refused`, and GateFailed is raised once that is committed, so that the clerk
    finds the reasons kept on the form.
    """
    with transaction.atomic():
        found = locked(user, form) if isinstance(form, str) else form
        before, was = snapshot(found), copy.copy(found)
        if not workflow.allowed(transition, found.kind, found.status):
            raise NotPossible(transition.name, found.status)
        violations = check(found) if check is not None else []
        if not violations:
            move(found, transition)
            if apply is not None:
                apply(found)
        save(found, was)
        audit(user.username, f"{action}_refused" if violations else action, found, before)
    if violations:
        raise GateFailed(violations)
    return found
