"""The clerk's pages: deposit a form, its receipt (page and PDF), and capture its content.

Every step goes through sijill.intake.counter (which checks the role, the place and the
gates, and audits); these views only read forms and show what came back. A form outside
the user's territory answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sijill.accounts import roles
from sijill.accounts.access import NotVisible, scoped
from sijill.documents.pdf import pdf_response, render_pdf
from sijill.domain import rules
from sijill.intake import (
    approval,
    counter,
    forms_capture,
    gates,
    guidance,
    ledger,
    public,
    workflow,
)
from sijill.intake.forms import DepositForm, error_summary, territory_name, western
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form
from sijill.registry.models import Household
from sijill.territories.models import Territory


def home(request: HttpRequest) -> HttpResponse:
    """Where a user starts: the clerk at the counter, the validator at the queue, CNSS at
    the files to decide, others at the dashboard (when installed)."""
    role = request.user.role
    if role == roles.CNSS:
        return redirect("intake:cnss")
    if roles.may(role, roles.CAPTURE) and not roles.may(role, roles.VALIDATE):
        return redirect("intake:counter")
    if role == roles.VALIDATOR:
        return redirect("intake:queue")
    try:
        return redirect(reverse("dashboards:dashboard"))
    except NoReverseMatch:
        return redirect("intake:queue")


def _require(request: HttpRequest, action: str) -> None:
    if not roles.may(request.user.role, action):
        raise PermissionDenied(action)


def _visible(request: HttpRequest, receipt: str) -> Form:
    try:
        return ledger.visible(request.user, receipt)
    except NotVisible:
        raise Http404 from None


def forms_to_capture(request: HttpRequest) -> HttpResponse:
    """Deposited forms of the user's territory, oldest first, refused captures flagged."""
    forms = approval.queue(request.user, status=workflow.DEPOSITED)[:200]
    rows = [
        {
            "form": form,
            "kind_label": guidance.KIND_LABELS[form.kind],
            "channel_label": guidance.CHANNEL_LABELS[form.channel],
        }
        for form in forms
    ]
    return render(request, "intake/counter.html", {"rows": rows})


def deposit(request: HttpRequest) -> HttpResponse:
    _require(request, roles.DEPOSIT)
    if request.method != "POST":
        form = DepositForm(request.user)
        return render(request, "intake/deposit.html", {"form": form, "key": uuid.uuid4().hex})
    form = DepositForm(request.user, request.POST)
    key = str(request.POST.get("request_key", ""))[:128] or None
    if not form.is_valid():
        context = {"form": form, "key": key, "summary": error_summary(form)}
        return render(request, "intake/deposit.html", context, status=422)
    data = form.cleaned_data
    try:
        created, _new = counter.deposit(
            request.user,
            kind=data["kind"],
            channel=data["channel"],
            annex_code=data["annex_code"],
            citizen_id=data["citizen_id"],
            idempotency_key=key,
        )
    except NotVisible:
        raise Http404 from None
    messages.success(request, _("Form deposited. Hand the receipt to the citizen."))
    return redirect("intake:receipt", receipt=created.receipt)


def _receipt_context(request: HttpRequest, form: Form) -> dict[str, Any]:
    annex = Territory.objects.filter(code=form.annex_code).first()
    return {
        "form": form,
        "kind_label": guidance.KIND_LABELS[form.kind],
        "annex_name": territory_name(annex) if annex else form.annex_code,
        "status": public.status_of(form),
        "steps": guidance.steps(form.kind, form.status),
        "follow_up": guidance.FOLLOW_UPS.get(form.kind),
        "documents": guidance.DOCUMENTS.get(form.kind, ()),
        # Isolated left-to-right: an address inside Arabic text must not be reordered.
        "status_url": format_html(
            '<bdi dir="ltr" class="url">{}</bdi>',
            request.build_absolute_uri(reverse("citizen:status")),
        ),
        # Which identifier the citizen will be asked for: the one given at the counter.
        "identifier": "cin" if form.citizen_cin_key else "idcs" if form.citizen_idcs_key else "",
    }


def receipt(request: HttpRequest, receipt: str) -> HttpResponse:
    form = _visible(request, receipt)
    return render(request, "intake/receipt.html", _receipt_context(request, form))


def receipt_pdf(request: HttpRequest, receipt: str) -> HttpResponse:
    form = _visible(request, receipt)
    data = render_pdf("intake/receipt_pdf.html", _receipt_context(request, form), request)
    return pdf_response(data, f"receipt-{form.receipt}.pdf")


def _household(request: HttpRequest, form: Form, data: Any) -> rules.Household | None:
    """The RSU household an AMO request or an RSU update names (typed, or saved), if the
    user's territory holds it: its members fill the capture in."""
    if form.kind not in (workflow.AMO_REQUEST, workflow.RSU_UPDATE):
        return None
    source = data if data is not None else (form.payload or {})
    household_id = western(str(source.get("household_id") or "")).strip()
    if not household_id:
        return None
    households = scoped(request.user, Household.objects.filter(household_id=household_id))
    return gates.household_facts(household_id) if households.exists() else None


def _screen(request: HttpRequest, form: Form, data: Any = None) -> forms_capture.Screen:
    more = 1 if data is not None and "add_row" in data else 0
    load = data is not None and "load_household" in data
    household = _household(request, form, data)
    screen = forms_capture.build(
        form.kind, form.payload or {}, data, more_rows=more, household=household, load=load
    )
    forms_capture.flag_differences(screen)
    check_url = reverse("intake:check", kwargs={"receipt": form.receipt})
    forms_capture.check_as_you_type(screen, check_url)
    return screen


def capture(request: HttpRequest, receipt: str) -> HttpResponse:
    """The capture screen; a refused capture is kept and its violations shown inline."""
    form = _visible(request, receipt)
    _require(request, roles.CAPTURE)
    open_ = workflow.allowed(workflow.CAPTURE, form.kind, form.status)
    if request.method != "POST" or not open_:
        screen = _screen(request, form)
        if form.violations:
            forms_capture.show(screen, form.violations)
        return _capture_page(request, form, screen, open_)
    screen = _screen(request, form, request.POST)
    if "load_household" in request.POST:
        if screen.household is None:
            screen.general = [_("No RSU household with this identifier in your territory.")]
        return _capture_page(request, form, screen, open_, status=200)
    if "add_row" in request.POST or not screen.is_valid():
        return _capture_page(request, form, screen, open_, status=200 if screen.people else 422)
    try:
        counter.capture(request.user, form.receipt, forms_capture.payload(screen))
    except GateFailed as refused:
        forms_capture.show(screen, [v.as_dict() for v in refused.violations])
        return _capture_page(request, form, screen, open_, status=422)
    except NotPossible:
        messages.error(request, _("This form can no longer be captured."))
        return redirect("intake:detail", receipt=form.receipt)
    messages.success(request, _("Form captured. It now waits for validation."))
    return redirect("intake:detail", receipt=form.receipt)


def _capture_page(
    request: HttpRequest, form: Form, screen: forms_capture.Screen, open_: bool, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "screen": screen,
        "open": open_,
        "summary": forms_capture.summary(screen),
        **_receipt_context(request, form),
    }
    return render(request, "intake/capture.html", context, status=status)


def check(request: HttpRequest, receipt: str) -> HttpResponse:
    """htmx: the errors of the field that changed, from the same gates as a capture."""
    form = _visible(request, receipt)
    _require(request, roles.CAPTURE)
    name = str((request.htmx.trigger_name if request.htmx else request.POST.get("field")) or "")
    screen = _screen(request, form, request.POST)
    if screen.is_valid():
        draft = Form(kind=form.kind, payload=forms_capture.payload(screen))
        forms_capture.show(screen, [v.as_dict() for v in gates.check(draft).violations])
    errors = forms_capture.errors_of(screen, name)
    context = {"errors": errors, "error_id": f"id_{name}_error"}
    return render(request, "intake/_errors.html", context)
