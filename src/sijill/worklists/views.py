"""An annex's work lists: its findings, each with what to do, and its link candidates.

Scoped like every page: an annex outside the user's subtree is a 404, like an unknown one.
Both lists come as CSV or XLSX with `?format=csv|xlsx`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sijill import engine
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.accounts.roles import EDIT_REGISTERS, may
from sijill.documents import downloads
from sijill.domain.contract import FINDING_KINDS as KINDS
from sijill.runs import selection
from sijill.runs.imports import findings_path
from sijill.runs.models import Figures, Run
from sijill.worklists import candidates, tables

LAST_PAGE = 10_000_000


def _annex(request: HttpRequest, code: str) -> tuple[Run, Figures]:
    """The run asked for (or the latest covering the annex) and the annex's row in it."""
    try:
        run = selection.chosen(request.user, code, request.GET.get("run"))
        fig = selection.figures(request.user, run, code) if run is not None else None
    except NotVisible:
        raise Http404 from None
    if run is None or fig is None or fig.level != "annex":
        raise Http404
    return run, fig


def work_list(request: HttpRequest, code: str) -> HttpResponse:
    """The annex's findings, of one kind or all, each with what to do about it."""
    run, fig = _annex(request, code)
    kind = request.GET.get("kind") or None
    kind = kind if kind in KINDS else None
    # Past the last finding a page is empty; a number no list reaches is the same page.
    page = min(max(selection.run_id(request.GET.get("page")) or 1, 1), LAST_PAGE)
    path = findings_path(run)
    if request.GET.get("format"):
        rows = engine.findings_of_annex(path, code, kind, limit=None)
        export = downloads.if_asked(request, tables.findings_table(code, rows))
        assert export is not None
        return export
    offset = (page - 1) * engine.WORKLIST_PAGE
    rows = engine.findings_of_annex(path, code, kind, limit=engine.WORKLIST_PAGE + 1, offset=offset)
    context = {
        "run": run,
        "fig": fig,
        "trail": selection.trail(request.user, fig),
        "kind": kind,
        "kinds": [(k, fig.findings.get(k, 0)) for k in KINDS],
        "columns": tables.PAGE_COLUMNS,
        "rows": rows[: engine.WORKLIST_PAGE],
        "page": page,
        "more": len(rows) > engine.WORKLIST_PAGE,
        "links": candidates.count_of_annex(run.pk, code),
    }
    return render(request, "worklists/findings.html", context)


def _may_decide(request: HttpRequest) -> bool:
    return may(getattr(request.user, "role", ""), EDIT_REGISTERS)


def links(request: HttpRequest, code: str) -> HttpResponse:
    run, fig = _annex(request, code)
    rows = candidates.of_annex(run.pk, code)
    export = downloads.if_asked(request, tables.links_table(code, rows))
    if export is not None:
        return export
    context = {
        "run": run,
        "fig": fig,
        "trail": selection.trail(request.user, fig),
        "rows": rows,
        "columns": tables.LINK_COLUMNS,
        "may_decide": _may_decide(request),
    }
    return render(request, "worklists/links.html", context)


def decide(request: HttpRequest, link_id: int, decision: str) -> HttpResponse:
    try:
        link = candidates.decide(request.user, link_id, decision)
    except (NotVisible, ValueError):
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    context = {"link": link, "may_decide": True}
    if getattr(request, "htmx", False):
        return render(request, "worklists/_link_row.html", context)
    target = reverse("worklists:links", args=[link.annex_code])
    return redirect(f"{target}?run={link.run_id}")
