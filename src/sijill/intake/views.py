"""The ledger's pages: the validator's daily queue, a form, and validating or rejecting it.

Every page needs a login (sijill.intake.urls wraps them) and is scoped to the user's
territory: a form outside it answers 404, like one that does not exist. The steps go
through sijill.intake.approval, which checks the role, runs the gates again and audits.
With htmx, a validation or rejection in the queue replaces only its row; without
JavaScript, the same buttons post the form and come back to the queue.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sijill.accounts import roles
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.domain import deadlines
from sijill.intake import approval, forms_capture, guidance, ledger, public, workflow
from sijill.intake.forms import RejectForm, territory_name
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form
from sijill.territories.models import Territory

QUEUE_LENGTH = 200


def _row(
    form: Form,
    today: Any,
    names: dict[str, str],
    outcome: str = "",
    problems: list[str] | None = None,
) -> dict[str, Any]:
    local = timezone.localtime(form.deposited_at)
    return {
        "form": form,
        "annex_name": names.get(form.annex_code, form.annex_code),
        "kind_label": guidance.KIND_LABELS[form.kind],
        "late": deadlines.is_stale(local, today),
        "due": deadlines.validation_due(local),
        "outcome": outcome,
        "problems": problems or [],
    }


def _annex_names(codes: list[str]) -> dict[str, str]:
    places = Territory.objects.filter(code__in=set(codes))
    return {place.code: territory_name(place) for place in places}


def queue(request: HttpRequest) -> HttpResponse:
    """Today's validation work: captured forms, oldest deposit first, late ones marked."""
    today = timezone.localdate()
    forms = list(approval.queue(request.user)[: QUEUE_LENGTH + 1])
    names = _annex_names([form.annex_code for form in forms])
    context = {
        "rows": [_row(form, today, names) for form in forms[:QUEUE_LENGTH]],
        "more": len(forms) > QUEUE_LENGTH,
        "may_validate": roles.may(request.user.role, roles.VALIDATE),
        "late_count": sum(
            1 for f in forms if deadlines.is_stale(timezone.localtime(f.deposited_at), today)
        ),
    }
    return render(request, "intake/queue.html", context)


def _visible(request: HttpRequest, receipt: str) -> Form:
    try:
        return ledger.visible(request.user, receipt)
    except NotVisible:
        raise Http404 from None


def detail(request: HttpRequest, receipt: str) -> HttpResponse:
    form = _visible(request, receipt)
    role = request.user.role
    context = {
        "form": form,
        "kind_label": guidance.KIND_LABELS[form.kind],
        "channel_label": guidance.CHANNEL_LABELS[form.channel],
        "annex_name": _annex_names([form.annex_code]).get(form.annex_code, form.annex_code),
        "status": public.status_of(form),
        "steps": guidance.steps(form.kind, form.status),
        "final": workflow.is_final(form.kind, form.status),
        "violations": [forms_capture.message(v) for v in form.violations],
        "may_capture": roles.may(role, roles.CAPTURE)
        and workflow.allowed(workflow.CAPTURE, form.kind, form.status),
        "may_validate": roles.may(role, roles.VALIDATE)
        and workflow.allowed(workflow.VALIDATE, form.kind, form.status),
        "may_reject": roles.may(role, roles.VALIDATE)
        and workflow.allowed(workflow.REJECT, form.kind, form.status),
        "reject_form": RejectForm(),
    }
    return render(request, "intake/detail.html", context)


def _answer(request: HttpRequest, form: Form, outcome: str, problems: list[str]) -> HttpResponse:
    """The queue row after a step (htmx), or back to where the button was (plain post)."""
    if request.htmx:
        names = _annex_names([form.annex_code])
        row = _row(form, timezone.localdate(), names, outcome, problems)
        return render(request, "intake/_queue_row.html", {"row": row, "may_validate": True})
    for problem in problems:
        messages.error(request, problem)
    if not problems:
        messages.success(request, outcome)
    back = request.POST.get("next") == "detail"
    return redirect("intake:detail", receipt=form.receipt) if back else redirect("intake:queue")


def validate(request: HttpRequest, receipt: str) -> HttpResponse:
    form = _visible(request, receipt)
    try:
        done, opened = approval.validate(request.user, form.receipt)
    except NotAllowed:
        raise PermissionDenied from None
    except GateFailed as refused:
        form.refresh_from_db()
        problems = [forms_capture.in_page_language(v) for v in refused.violations]
        return _answer(request, form, _("Not validated: rules are broken."), problems)
    except NotPossible:
        form.refresh_from_db()
        return _answer(request, form, "", [_("This form cannot be validated any more.")])
    outcome: str = _("Validated.")
    if opened is not None:
        # The receipt stays left-to-right inside an Arabic sentence.
        receipt_html = format_html('<bdi dir="ltr">{}</bdi>', opened.receipt)
        text = conditional_escape(_("Validated. Next step opened: receipt %(receipt)s."))
        outcome = mark_safe(text % {"receipt": receipt_html})  # both parts are escaped
    return _answer(request, done, outcome, [])


def reject(request: HttpRequest, receipt: str) -> HttpResponse:
    form = _visible(request, receipt)
    reasons = RejectForm(request.POST)
    if not reasons.is_valid():
        return _answer(request, form, "", [_("Give the reason for the rejection.")])
    try:
        done = approval.reject(request.user, form.receipt, reasons.cleaned_data["reason"])
    except NotAllowed:
        raise PermissionDenied from None
    except NotPossible:
        return _answer(request, form, "", [_("This form cannot be rejected any more.")])
    return _answer(request, done, _("Rejected."), [])
