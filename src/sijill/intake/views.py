"""The ledger's pages: the validation queue and a form, both scoped to the user's territory.

Both need a login (sijill.intake.urls wraps them).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sijill.accounts.access import NotVisible
from sijill.domain import deadlines
from sijill.intake import ledger, public, validation, workflow


def queue(request: HttpRequest) -> HttpResponse:
    """Today's validation work: captured forms, oldest first, late ones marked."""
    today = timezone.localdate()
    rows = [
        {"form": form, "late": deadlines.is_stale(timezone.localtime(form.deposited_at), today)}
        for form in validation.queue(request.user)[:200]
    ]
    return render(request, "intake/queue.html", {"rows": rows})


def detail(request: HttpRequest, receipt: str) -> HttpResponse:
    try:
        form = ledger.visible(request.user, receipt)
    except NotVisible:
        raise Http404 from None
    context = {
        "form": form,
        "status": public.status_of(form),
        "final": workflow.is_final(form.kind, form.status),
    }
    return render(request, "intake/detail.html", context)
