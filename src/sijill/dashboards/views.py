"""The dashboard of a territory, its PDF, and the comparison of two runs.

Every page is scoped: a territory outside the user's subtree is a 404, like an unknown one.
Any table comes as CSV or XLSX with `?format=csv|xlsx` (and `table=` on the dashboard).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import get_format

from sijill.accounts.access import NotVisible
from sijill.accounts.roles import RUN, may
from sijill.dashboards import funnel, rendered, tables, threshold, tiles
from sijill.documents import downloads
from sijill.documents.pdf import pdf_response, render_pdf
from sijill.runs import selection
from sijill.runs.models import Figures, Run

COMPARED = 100  # runs offered for a comparison


def _shown(request: HttpRequest) -> tuple[str, Run | None]:
    """The territory asked for (`?code=`, the user's own by default) and the run to show it
    from (`?run=`, else the latest that covers it); 404 outside the user's scope."""
    code = request.GET.get("code") or selection.home(request.user)
    try:
        return code, selection.chosen(request.user, code, request.GET.get("run"))
    except NotVisible:
        raise Http404 from None


def _figures(request: HttpRequest, run: Run, code: str) -> Figures:
    try:
        return selection.figures(request.user, run, code)
    except NotVisible:
        raise Http404 from None


def _may_run(request: HttpRequest) -> bool:
    return may(getattr(request.user, "role", ""), RUN)


def _page(request: HttpRequest, run: Run, fig: Figures) -> dict[str, Any]:
    return {
        "run": run,
        "runs": selection.runs(fig.code)[:50],
        "fig": fig,
        "trail": selection.trail(request.user, fig),
        "may_run": _may_run(request),
    }


def _context(request: HttpRequest, run: Run, fig: Figures) -> dict[str, Any]:
    return {**_page(request, run, fig), **tiles.context(fig, request)}


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of `?code=` (default: the user's own territory) in `?run=` (latest)."""
    code, run = _shown(request)
    if run is None:
        return render(request, "dashboards/no_run.html", {"may_start": _may_run(request)})
    fig = _figures(request, run, code)
    if downloads.asked(request):  # a tile's table: every tile read, none rendered
        table = tiles.table(fig, _context(request, run, fig), request.GET.get("table", ""))
        return downloads.as_file(request, table)
    if getattr(request, "htmx", False) and request.GET.get("partial") == "children":
        return render(request, tiles.BY_NAME["children"].template, _context(request, run, fig))
    page = _page(request, run, fig)
    page["tiles_html"] = rendered.tiles_html(fig, run, request, page)
    return render(request, "dashboards/dashboard.html", page)


def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    code, run = _shown(request)
    if run is None:
        raise Http404
    fig = _figures(request, run, code)
    data = render_pdf("dashboards/print.html", _context(request, run, fig), request)
    return pdf_response(data, f"sijill-{fig.code}-{run.as_of}.pdf", inline=False)


def _pairs(a: Run, b: Run, code: str) -> list[tuple[Figures, Figures | None, Figures | None]]:
    """The territory then its children, each with its row in run A and in run B."""
    rows = Figures.objects.filter(Q(code=code) | Q(parent_code=code), run__in=(a, b))
    found: dict[str, dict[int, Figures]] = {}
    for row in rows:
        found.setdefault(row.code, {})[row.run_id] = row
    order = sorted(found, key=lambda c: (c != code, c))
    return [
        (found[c].get(b.pk) or found[c][a.pk], found[c].get(a.pk), found[c].get(b.pk))
        for c in order
    ]


def _cells(ra: Figures | None, rb: Figures | None) -> list[dict[str, Any]]:
    cells = []
    for step in funnel.STEPS:
        va = getattr(ra, step.key) if ra else None
        vb = getattr(rb, step.key) if rb else None
        delta = vb - va if va is not None and vb is not None else None
        cells.append({"a": va, "b": vb, "delta": delta})
    return cells


def compare(request: HttpRequest) -> HttpResponse:
    """Funnel deltas per territory between two runs that cover it (B minus A)."""
    code = request.GET.get("code") or selection.home(request.user)
    try:
        a = selection.chosen(request.user, code, request.GET.get("a"))
        b = selection.chosen(request.user, code, request.GET.get("b"))
    except NotVisible:
        raise Http404 from None
    pairs = _pairs(a, b, code) if a is not None and b is not None else []
    if a is None or b is None or not pairs:
        raise Http404
    export = downloads.if_asked(request, tables.compare_table(code, pairs))
    if export is not None:
        return export
    context = {
        "a": a,
        "b": b,
        "code": code,
        "rows": [{"fig": shown, "cells": _cells(ra, rb)} for shown, ra, rb in pairs],
        "steps": funnel.STEPS,
        "finished": selection.runs(code)[:COMPARED],
    }
    return render(request, "dashboards/compare.html", context)


def what_if(request: HttpRequest) -> HttpResponse:
    """The threshold what-if of `?code=` (the user's territory by default) from the latest
    run covering it (`?run=`), for the roles that may run reconciliations."""
    if not _may_run(request):
        raise PermissionDenied
    code, run = _shown(request)
    if run is None:
        return render(request, "dashboards/no_run.html", {"may_start": True})
    fig = _figures(request, run, code)
    current = float(run.parameters["threshold"])
    form = threshold.ThresholdForm(request.GET if "threshold" in request.GET else None,
                                   initial={"threshold": current})  # fmt: skip
    proposed = form.cleaned_data["threshold"] if form.is_valid() else current
    found = threshold.compute(run, fig, proposed)
    context = {
        "run": run,
        "fig": fig,
        "trail": selection.trail(request.user, fig),
        "form": form,
        "what": found,
        "slider": threshold.slider(found) if found is not None else None,
        "decimal": get_format("DECIMAL_SEPARATOR"),
    }
    if getattr(request, "htmx", False) and found is not None:
        return render(request, "dashboards/_threshold_results.html", context)
    return render(request, "dashboards/threshold.html", context)
