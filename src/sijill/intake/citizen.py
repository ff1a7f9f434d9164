"""The citizen's pages, without login: where a file stands, and the steps explained.

The look-up is sijill.intake.public's: a receipt number plus the CIN or IDCS given at the
counter. A wrong identifier and an unknown receipt get the same page, byte for byte, and
the look-ups share the API's rate limit per client address (SIJILL_STATUS_PER_MINUTE), so
the page cannot be used to test receipts or identifiers. The answer names no person and
no place: status, next step, deadline, what to bring.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja.throttling import AnonRateThrottle

from sijill.intake import guidance, public, workflow
from sijill.intake.forms import Identifier, error_summary


class LookupForm(forms.Form):
    """Spaces, dashes, case and Eastern Arabic digits are forgiven in both fields."""

    receipt = Identifier(
        label=_("Receipt number"),
        max_length=20,
        help_text=_("As printed on your receipt, for example 7KX4-9PQM-3TD2."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    citizen_id = Identifier(
        label=_("Your CIN or IDCS"),
        max_length=16,
        help_text=_("The identifier you gave when you deposited the form."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


def _allowed(request: HttpRequest) -> tuple[bool, int]:
    """One look-up more for this address? Shares the API's counter (same scope, same key)."""
    throttle = AnonRateThrottle(settings.SIJILL_STATUS_RATE)
    if throttle.allow_request(request):
        return True, 0
    return False, int(throttle.wait() or 60) + 1


def status(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST looks the file up (POST keeps the identifier out of URLs)."""
    if request.method != "POST":
        return render(request, "intake/citizen/status.html", {"lookup": LookupForm()})
    lookup = LookupForm(request.POST)
    if not lookup.is_valid():
        refused = {"lookup": lookup, "summary": error_summary(lookup)}
        return render(request, "intake/citizen/status.html", refused, status=400)
    allowed, wait = _allowed(request)
    if not allowed:
        response = render(request, "intake/citizen/too_many.html", status=429)
        response["Retry-After"] = str(wait)
        return response
    form = public.lookup(lookup.cleaned_data["receipt"], lookup.cleaned_data["citizen_id"])
    # After a miss, what was typed stays in the fields, to be checked and corrected.
    context: dict[str, Any] = {"lookup": LookupForm() if form else lookup, "answered": True}
    if form is not None:
        context["found"] = _answer(form)
    return render(request, "intake/citizen/status.html", context, status=200 if form else 404)


def _answer(form: Any) -> dict[str, Any]:
    return {
        "status": public.status_of(form),
        "kind_label": guidance.KIND_LABELS[form.kind],
        "steps": guidance.steps(form.kind, form.status),
        "to_bring": guidance.to_bring(form.kind, form.status),
        "rejected": form.status == workflow.REJECTED,
        "follow_up": guidance.FOLLOW_UPS.get(form.kind),
    }


def steps(request: HttpRequest) -> HttpResponse:
    """The RNP, RSU and AMO Tadamon steps, and what to bring to each."""
    kinds = (workflow.RNP_REGISTRATION, workflow.RSU_DECLARATION, workflow.AMO_REQUEST)
    sections = [
        {
            "kind": kind,
            "label": guidance.KIND_LABELS[kind],
            "steps": [guidance.STEP_LABELS[name] for name in guidance.step_names(kind)],
            "documents": guidance.DOCUMENTS[kind],
            "follow_up": guidance.FOLLOW_UPS.get(kind),
        }
        for kind in kinds
    ]
    return render(request, "intake/citizen/steps.html", {"sections": sections})
