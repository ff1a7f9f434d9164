"""The local authority's work: the daily queue, oldest first, validated or rejected."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sijill.accounts import roles
from sijill.accounts.access import require, scoped
from sijill.accounts.models import User
from sijill.domain.rules import Violation
from sijill.intake import gates, ledger, steps, workflow
from sijill.intake.ledger import GateFailed
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
    verdict = gates.Verdict([])
    opened: Form | None = None

    def check(form: Form) -> list[Violation]:
        nonlocal verdict
        verdict = gates.check(form)
        form.violations = [v.as_dict() for v in verdict.violations]
        return verdict.violations

    def apply(form: Form) -> None:
        nonlocal opened
        opened = steps.apply(form, verdict, user.username)

    form = ledger.step(user, receipt, workflow.VALIDATE, "validate", check=check, apply=apply)
    return form, opened


def reject(user: User, receipt: str, reason: str) -> Form:
    require(user, roles.VALIDATE)
    if not reason.strip():
        raise GateFailed([Violation("required", "rejection_reason")])

    def apply(form: Form) -> None:
        form.rejection_reason = reason.strip()

    return ledger.step(user, receipt, workflow.REJECT, "reject", apply=apply)
