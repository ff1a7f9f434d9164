"""An annex's link candidates, reviewed side by side, and the decisions on them.

Scoped like every page: an annex outside the user's subtree is a 404, like an unknown one.
The list comes as CSV or XLSX with `?format=csv|xlsx`, its filter applied.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from sijill import engine
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.accounts.roles import EDIT_REGISTERS, may
from sijill.documents import downloads
from sijill.linkreview import candidates, tables
from sijill.linkreview.pairs import reviews
from sijill.runs import selection
from sijill.runs.imports import links_path
from sijill.runs.models import Figures, Run

PAGE = 50


def _annex(request: HttpRequest, code: str) -> tuple[Run, Figures]:
    try:
        return selection.annex(request.user, code, request.GET.get("run"))
    except NotVisible:
        raise Http404 from None


def _may_decide(request: HttpRequest) -> bool:
    return may(getattr(request.user, "role", ""), EDIT_REGISTERS)


def links(request: HttpRequest, code: str) -> HttpResponse:
    run, fig = _annex(request, code)
    asked = request.GET.get("decision")
    decision = asked if asked in candidates.SHOWN else None
    found = candidates.of_annex(run.pk, code, decision)
    export = downloads.if_asked(request, tables.links_table(code, found))
    if export is not None:
        return export
    page = selection.page(request.GET.get("page"))
    shown = list(found[(page - 1) * PAGE : page * PAGE + 1])
    pairs = engine.pairs_of_annex(links_path(run), code)

    def query(**more: object) -> str:
        values = {"run": run.pk, "decision": decision, **more}
        return str(urlencode({k: v for k, v in values.items() if v is not None}))

    context = {
        "run": run,
        "fig": fig,
        "trail": selection.trail(request.user, fig),
        "reviews": reviews(shown[:PAGE], pairs),
        "decision": decision,
        "choices": candidates.SHOWN,
        "counts": candidates.counts_of_annex(run.pk, code),
        "may_decide": _may_decide(request),
        "query": query(),
        "page": page,
        "previous": query(page=page - 1) if page > 1 else None,
        "next": query(page=page + 1) if len(shown) > PAGE else None,
    }
    return render(request, "linkreview/links.html", context)


def decide(request: HttpRequest, link_id: int, decision: str) -> HttpResponse:
    try:
        link = candidates.decide(request.user, link_id, decision)
    except (NotVisible, ValueError):
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    if not getattr(request, "htmx", False):
        target = reverse("linkreview:links", args=[link.annex_code])
        return redirect(f"{target}?run={link.run_id}")
    pairs = engine.pairs_of_annex(links_path(link.run), link.annex_code or "")
    context = {"review": reviews([link], pairs)[0], "may_decide": True, "saved": True}
    return render(request, "linkreview/_link.html", context)
