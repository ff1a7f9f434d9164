"""CNSS's pages: the batches coming in, the files to decide (fewest days left on the 30-day
clock first), and one file decided per beneficiary — accepted, or refused for a reason of
the list with a note — or refused whole.

The views only read and show: sijill.intake.cnss checks the role, the territory and the
reasons, writes the ledger and the registers, and audits. A file outside the user's
territory answers 404 like one that does not exist; a role that may not decide gets 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sijill.accounts import roles
from sijill.accounts.access import NotVisible
from sijill.documents.words import words
from sijill.domain import deadlines
from sijill.domain.rules import Violation
from sijill.intake import cnss, forms_capture, guidance, ledger, public, workflow
from sijill.intake.batch_views import places
from sijill.intake.forms import RELATION_LABELS, Text
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form
from sijill.registry.models import ACCEPTED, REJECTED, Beneficiary

SOON = 5  # days left from which a file is marked as close to its deadline
OPEN = (workflow.TRANSMITTED, workflow.UNDER_REVIEW)


def _require(request: HttpRequest) -> None:
    if not roles.may(request.user.role, roles.DECIDE):
        raise PermissionDenied(roles.DECIDE)


def _reasons() -> list[tuple[str, str]]:
    return [("", "—"), *((code, words(code, "rejection_reasons")) for code in cnss.REASONS)]


class DecisionForm(forms.Form):
    """CNSS's decision on one beneficiary. It refuses nothing itself: sijill.intake.cnss
    judges (a refusal needs a reason of the list, `other` a note)."""

    decision = forms.CharField(required=False, initial=ACCEPTED, label=gettext_lazy("Decision"))
    reason = forms.CharField(required=False, label=gettext_lazy("Reason for the refusal"))
    note = Text(
        required=False,
        label=gettext_lazy("Note"),
        widget=forms.TextInput(attrs={"maxlength": cnss.NOTE_LENGTH}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (ACCEPTED, words(ACCEPTED, "decisions")),
            (REJECTED, words(REJECTED, "decisions")),
        ]
        self.fields["decision"].widget = forms.RadioSelect(choices=choices)
        self.fields["reason"].widget = forms.Select(choices=_reasons())

    def decision_of(self) -> cnss.Decision:
        values = self.cleaned_data if self.is_valid() else {}
        return cnss.Decision(
            accepted=values.get("decision") != REJECTED,
            reason=str(values.get("reason") or ""),
            note=str(values.get("note") or ""),
        )


class RefusalForm(forms.Form):
    """The whole file refused, every beneficiary for the same reason."""

    reason = forms.CharField(required=False, label=gettext_lazy("Reason for the refusal"))
    note = Text(
        required=False,
        label=gettext_lazy("Note"),
        widget=forms.TextInput(attrs={"maxlength": cnss.NOTE_LENGTH}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="file", **kwargs)
        self.fields["reason"].widget = forms.Select(choices=_reasons())

    def decision_of(self) -> cnss.Decision:
        values = self.cleaned_data if self.is_valid() else {}
        return cnss.Decision(False, str(values.get("reason") or ""), str(values.get("note") or ""))


def queue(request: HttpRequest) -> HttpResponse:
    """The batches coming in and the files waiting for CNSS's decision."""
    _require(request)
    waiting = cnss.review_queue(request.user)
    incoming = list(cnss.batches(request.user)[:20])
    names = places([*(w.form.annex_code for w in waiting), *(b.territory_code for b in incoming)])
    rows = [
        {
            "waiting": w,
            "annex_name": names.get(w.form.annex_code, w.form.annex_code),
            "status_label": words(w.form.status, "form_statuses"),
            "late": w.days_left < 0,
            "soon": 0 <= w.days_left <= SOON,
        }
        for w in waiting
    ]
    context = {
        "rows": rows,
        "incoming": [
            {"batch": b, "place": names.get(b.territory_code or "", "")} for b in incoming
        ],
        "late_count": sum(1 for row in rows if row["late"]),
        "soon": SOON,
    }
    return render(request, "intake/cnss/queue.html", context)


def _visible(request: HttpRequest, receipt: str) -> Form:
    try:
        form = ledger.visible(request.user, receipt)
    except NotVisible:
        raise Http404 from None
    if form.kind != workflow.AMO_REQUEST or form.transmitted_at is None:
        raise Http404
    return form


def _people(form: Form, bound: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Each beneficiary of the file, with the form CNSS decides it by."""
    found = []
    for n, beneficiary in enumerate(cnss.beneficiaries(form)):
        found.append(
            {
                "beneficiary": beneficiary,
                "relation_label": RELATION_LABELS.get(beneficiary.relation, beneficiary.relation),
                "form": DecisionForm(bound, prefix=f"b-{n}"),
            }
        )
    return found


def _page(
    request: HttpRequest,
    form: Form,
    people: list[dict[str, Any]] | None = None,
    refusal: RefusalForm | None = None,
    summary: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    assert form.transmitted_at is not None
    due = deadlines.cnss_due(timezone.localtime(form.transmitted_at).date())
    names = places([form.annex_code])
    context = {
        "form": form,
        "household_id": (form.payload or {}).get("household_id") or "",
        "annex_name": names.get(form.annex_code, form.annex_code),
        "status_label": words(form.status, "form_statuses"),
        "kind_label": guidance.KIND_LABELS[form.kind],
        "due": due,
        "days_left": deadlines.days_left(due, today),
        "open": form.status in OPEN,
        "may_decide": roles.may(request.user.role, roles.DECIDE),
        "people": people if people is not None else _people(form),
        "refusal": refusal or RefusalForm(),
        "summary": summary or [],
        "decisions": public.decisions(form),
    }
    return render(request, "intake/cnss/file.html", context, status=status)


def examine(request: HttpRequest, receipt: str) -> HttpResponse:
    """One transmitted file: its beneficiaries, its clock, and CNSS's decision to take."""
    _require(request)
    return _page(request, _visible(request, receipt))


def review(request: HttpRequest, receipt: str) -> HttpResponse:
    """CNSS starts examining the file (its status says so to the annex and the citizen)."""
    _require(request)
    form = _visible(request, receipt)
    try:
        cnss.review(request.user, form.receipt)
    except NotPossible:
        messages.error(request, _("This file is no longer waiting to be examined."))
    return redirect("intake:cnss_file", receipt=form.receipt)


def decide(request: HttpRequest, receipt: str) -> HttpResponse:
    """The decision, per beneficiary or for the whole file; every missing reason is shown
    under its beneficiary and in a summary at the top, and nothing changes."""
    _require(request)
    form = _visible(request, receipt)
    whole = "whole" in request.POST
    people = _people(form, None if whole else request.POST)
    refusal = RefusalForm(request.POST if whole else None)
    try:
        if whole:
            done = cnss.decide(request.user, form.receipt, refusal.decision_of())
        else:
            each = {p["beneficiary"].beneficiary_id: p["form"].decision_of() for p in people}
            done = cnss.decide(request.user, form.receipt, cnss.ACCEPT, each)
    except NotPossible:
        messages.error(request, _("This file has already been decided."))
        return redirect("intake:cnss_file", receipt=form.receipt)
    except GateFailed as refused:
        summary = _place(refused.violations, people, refusal, whole)
        return _page(request, form, people, refusal, summary, status=422)
    messages.success(request, _outcome(done))
    return redirect("intake:cnss")


def _place(
    violations: list[Violation],
    people: list[dict[str, Any]],
    refusal: RefusalForm,
    whole: bool,
) -> list[dict[str, str]]:
    """Each violation under the reason it is about, and all of them for the summary."""
    summary = []
    for violation in violations:
        text = forms_capture.in_page_language(violation)
        target: forms.Form = refusal
        if not whole and violation.row is not None and 0 < violation.row <= len(people):
            target = people[violation.row - 1]["form"]
        if not whole and violation.row is None:
            summary.append({"href": "", "text": text})
            continue
        target.add_error("reason", text)
        summary.append({"href": f"#{target['reason'].auto_id}", "text": text})
    return summary


def _outcome(form: Form) -> str:
    decided = Beneficiary.objects.filter(file__amo_file_id=form.register_key)
    accepted = decided.filter(decision=ACCEPTED).count()
    refused = decided.filter(decision=REJECTED).count()
    text = conditional_escape(
        _("File %(receipt)s decided: beneficiaries accepted %(accepted)s, refused %(refused)s.")
    )
    receipt = format_html('<bdi dir="ltr">{}</bdi>', form.receipt)
    values = {"receipt": receipt, "accepted": accepted, "refused": refused}
    html: str = SafeString(text % values)  # every part is escaped
    return html
