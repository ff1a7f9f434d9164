"""The local authority's work: the daily queue, oldest first, validated or rejected."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from sijill.accounts import roles
from sijill.accounts.access import require, scoped
from sijill.accounts.models import User
from sijill.domain.rules import Violation
from sijill.intake import gates, ledger, steps, workflow
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form


def queue(user: User, status: str = workflow.CAPTURED) -> QuerySet[Any]:
    """Forms waiting in the user's territory, oldest deposit first (validated every day)."""
    forms = Form.objects.filter(status=status).order_by("deposited_at", "id")
    return scoped(user, forms)


def validate(user: User, receipt: str) -> tuple[Form, Form | None]:
    """Validate a captured form: the gates run again on today's registers, then it applies.

    Returns the form and the step it opened (integrated registration), if any.
    """
    require(user, roles.VALIDATE)
    with transaction.atomic():
        form = ledger.locked(user, receipt)
        before = ledger.snapshot(form)
        if not workflow.allowed(workflow.VALIDATE, form.kind, form.status):
            raise NotPossible(workflow.VALIDATE.name, form.status)
        verdict = gates.check(form)
        form.violations = [v.as_dict() for v in verdict.violations]
        opened = None
        if not verdict.violations:
            opened = steps.apply(form, verdict, user.username)
            ledger.move(form, workflow.VALIDATE)
        form.save()
        action = "validate" if not verdict.violations else "validate_refused"
        ledger.audit(user.username, action, form, before)
    if verdict.violations:
        raise GateFailed(verdict.violations)
    return form, opened


def reject(user: User, receipt: str, reason: str) -> Form:
    require(user, roles.VALIDATE)
    if not reason.strip():
        raise GateFailed([Violation("required", "rejection_reason")])
    with transaction.atomic():
        form = ledger.locked(user, receipt)
        before = ledger.snapshot(form)
        ledger.move(form, workflow.REJECT)
        form.rejection_reason = reason.strip()
        form.save()
        ledger.audit(user.username, "reject", form, before)
    return form
