"""The ledger's pages: the validator's daily queue, a form, and validating or rejecting it.

Every page needs a login (sijill.intake.urls wraps them) and is scoped to the user's
territory: a form outside it answers 404, like one that does not exist. The steps go
through sijill.intake.approval, which checks the role, runs the gates again and audits.
With htmx, a validation or rejection in the queue replaces only its row; without
JavaScript, the same buttons post the form and come back to the queue.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sijill.accounts import roles
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.documents.words import words
from sijill.domain import deadlines, scoring
from sijill.intake import (
    approval,
    cnss,
    evidence,
    forms_capture,
    gates,
    guidance,
    ledger,
    public,
    timeline,
    workflow,
)
from sijill.intake import search as finding
from sijill.intake.forms import RejectForm, SearchForm, territory_name
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form
from sijill.territories.models import Territory

QUEUE_LENGTH = 200
_ROW_ROUTES = ("detail", "validate", "reject")


_PLACE = "~receipt~"  # stands for a receipt in a route reversed once


@functools.lru_cache(maxsize=4)
def _routes(prefix: str) -> dict[str, str]:
    return {name: reverse(f"intake:{name}", args=[_PLACE]) for name in _ROW_ROUTES}


def _row_links(receipt: str) -> dict[str, str]:
    """The row's links (`detail_url`, `validate_url`, `reject_url`), from routes reversed
    once per script prefix with a stand-in for the receipt: a queue of 200 rows would
    otherwise reverse 600 times a view."""
    routes = _routes(get_script_prefix())
    return {f"{name}_url": route.replace(_PLACE, receipt) for name, route in routes.items()}


def _row(
    form: Form,
    today: Any,
    names: dict[str, str],
    outcome: str = "",
    problems: list[str] | None = None,
) -> dict[str, Any]:
    local = timezone.localtime(form.deposited_at)
    named = list(finding.people(form.payload))
    first = named[0] if named else {}
    return {
        "receipt": form.receipt,
        "captured": form.status == workflow.CAPTURED,
        "deposited_at": form.deposited_at,
        **_row_links(form.receipt),
        # What was captured, at a glance: the first person named and how many in all.
        "first_name": " ".join(
            str(first.get(n) or "") for n in ("first_name_ar", "last_name_ar")
        ).strip(),
        "persons": len(named),
        "annex_name": names.get(form.annex_code, form.annex_code),
        "kind_label": str(guidance.KIND_LABELS[form.kind]),  # once, not at each use
        # Marked late while still to do (a row answering a step shows its outcome instead).
        "late": deadlines.is_stale(local, today) and not outcome,
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
    shown = ("receipt", "kind", "annex_code", "status", "payload", "deposited_at")  # by _row
    forms = list(approval.queue(request.user).only(*shown)[: QUEUE_LENGTH + 1])
    names = _annex_names([form.annex_code for form in forms])
    context = {
        **_rows(request, [_row(form, today, names) for form in forms[:QUEUE_LENGTH]]),
        "more": len(forms) > QUEUE_LENGTH,
        "may_validate": roles.may(request.user.role, roles.VALIDATE),
        "late_count": sum(
            1 for f in forms if deadlines.is_stale(timezone.localtime(f.deposited_at), today)
        ),
    }
    return render(request, "intake/queue.html", context)


def _rows(request: HttpRequest, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What intake/_queue_rows.html reads besides `may_validate`: the rows, and the
    anti-forgery field made once for all their forms."""
    return {"rows": rows, "csrf_input": csrf_input(request)}


def _visible(request: HttpRequest, receipt: str) -> Form:
    try:
        return ledger.visible(request.user, receipt)
    except NotVisible:
        raise Http404 from None


def _gates_today(form: Form) -> dict[str, Any] | None:
    """The gates run again on today's registers, for a form still to validate."""
    if form.status not in (workflow.DEPOSITED, workflow.CAPTURED) or not form.payload:
        return None
    verdict = gates.check(form)
    score = verdict.score.value if verdict.score is not None else None
    return {
        "violations": [forms_capture.in_page_language(v) for v in verdict.violations],
        "score": score,
        "threshold": scoring.threshold("amo_tadamon"),
        "eligible": score is not None and scoring.eligible(score),
    }


def _timeline(form: Form) -> list[dict[str, Any]]:
    return [
        {
            "event": event,
            "label": words(event.action, "form_events"),
            "status_label": words(event.status, "form_statuses") if event.status else "",
        }
        for event in timeline.of(form)
    ]


def detail(request: HttpRequest, receipt: str) -> HttpResponse:
    form = _visible(request, receipt)
    role = request.user.role
    status = public.status_of(form)
    context = {
        "evidence": evidence.sheet(form),
        "gates": _gates_today(form),
        "timeline": _timeline(form),
        "form": form,
        "kind_label": str(guidance.KIND_LABELS[form.kind]),  # once, not at each use
        "channel_label": guidance.CHANNEL_LABELS[form.channel],
        "annex_name": _annex_names([form.annex_code]).get(form.annex_code, form.annex_code),
        "status": status,
        "decisions": status.decisions,
        "rejection": cnss.said(form.rejection_reason),
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
        return render(
            request, "intake/_queue_rows.html", {**_rows(request, [row]), "may_validate": True}
        )
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


def search(request: HttpRequest) -> HttpResponse:
    """Forms of the user's territory by receipt, CIN, IDCS or name (sijill.intake.search)."""
    asked = SearchForm(request.GET or None)
    hits: list[dict[str, Any]] = []
    if asked.is_valid():
        found = finding.search(request.user, asked.cleaned_data["q"])
        names = _annex_names([hit.form.annex_code for hit in found])
        hits = [
            {
                "hit": hit,
                "kind_label": guidance.KIND_LABELS[hit.form.kind],
                "status_label": words(hit.form.status, "form_statuses"),
                "annex_name": names.get(hit.form.annex_code, hit.form.annex_code),
                "matched_label": SEARCHED_BY[hit.matched],
            }
            for hit in found
        ]
    context = {"asked": asked, "hits": hits, "searched": asked.is_bound, "limit": finding.LIMIT}
    return render(request, "intake/search.html", context)


SEARCHED_BY = {
    finding.RECEIPT: gettext_lazy("Receipt number"),
    finding.CIN: gettext_lazy("CIN"),
    finding.IDCS: gettext_lazy("IDCS"),
    finding.NAME: gettext_lazy("Name"),
}
