"""Runs: history, start (on the back office's registers or uploaded extracts), progress,
retirement, and the comparison of two runs for a territory and its children.

Run pages are for the roles that may run (`roles.RUN`), and show the runs of the user's
subtree only; a run outside it answers like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, OuterRef, Q, Subquery, TextField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sijill.accounts.roles import RUN, may
from sijill.monitoring import dashboard, funnel, runs, tables
from sijill.monitoring.forms import RunForm, UploadForm
from sijill.monitoring.heartbeat import INTERRUPTED, settle_interrupted
from sijill.monitoring.models import BACK_OFFICE, FAILED, SUCCEEDED, UPLOAD, Figures, Run
from sijill.monitoring.views import export_if_asked, int_param

HISTORY = 100


def _require_runner(request: HttpRequest) -> None:
    if not may(getattr(request.user, "role", ""), RUN):
        raise PermissionDenied


def _history(request: HttpRequest) -> Any:
    """The user's runs, each with the living RNP persons of its own territory."""
    place = Case(
        When(territory__isnull=True, then=Value(dashboard.NATIONAL)),
        default="territory_id",
        output_field=TextField(),
    )
    persons = Figures.objects.filter(run=OuterRef("pk"), code=OuterRef("place"))
    found = runs.managed_by(request.user).select_related("territory").annotate(place=place)
    found = found.annotate(rnp_persons=Subquery(persons.values("rnp_persons")[:1]))
    return found.order_by("-id")[:HISTORY]


def _page(request: HttpRequest, form: RunForm | None, status: int = 200) -> HttpResponse:
    context = {
        "runs": _history(request),
        "finished": dashboard.runs(dashboard.home(request.user))[:HISTORY],
        "form": form,
        "may_start": True,
    }
    return render(request, "monitoring/runs.html", context, status=status)


def history(request: HttpRequest) -> HttpResponse:
    _require_runner(request)
    settle_interrupted()
    return _page(request, RunForm())


def _actor(request: HttpRequest) -> str:
    return str(request.user.get_username())


def start_back_office(request: HttpRequest) -> HttpResponse:
    """A run on the registers as they are now (exported like `sijill export`), scoped to
    the user's territory."""
    _require_runner(request)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    run = runs.create(
        BACK_OFFICE,
        form.parameters(),
        actor=_actor(request),
        user=request.user,
        with_links=form.cleaned_data["with_links"],
    )
    runs.launch(run)
    return redirect("monitoring:run", run_id=run.pk)


def upload(request: HttpRequest) -> HttpResponse:
    """A run on uploaded extracts; they are checked first, in the run (see its page)."""
    _require_runner(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = runs.create(
            UPLOAD,
            form.parameters(),
            actor=_actor(request),
            user=request.user,
            with_links=form.cleaned_data["with_links"],
        )
        form.save_extracts(runs.extracts_folder(run))
        runs.launch(run)
        return redirect("monitoring:run", run_id=run.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "monitoring/upload.html", {"form": form}, status=status)


def _managed(request: HttpRequest, run_id: int) -> Run:
    _require_runner(request)
    found: Run | None = runs.managed_by(request.user).filter(pk=run_id).first()
    if found is None:
        raise Http404
    return found


def detail(request: HttpRequest, run_id: int) -> HttpResponse:
    settle_interrupted()
    run = _managed(request, run_id)
    context = {
        "run": run,
        "finished": run.status in (SUCCEEDED, FAILED),
        "interrupted": run.error == INTERRUPTED,
        "dashboard_code": run.scope_code or dashboard.NATIONAL,
    }
    if getattr(request, "htmx", False):
        response = render(request, "monitoring/_progress.html", context)
        if context["finished"]:
            response["HX-Refresh"] = "true"  # the whole page: results or the error table
        return response
    return render(request, "monitoring/run.html", context)


def retire(request: HttpRequest, run_id: int) -> HttpResponse:
    """Take a run off the dashboards (`retired=1`) or put it back (`retired=0`)."""
    run = _managed(request, run_id)
    runs.retire(run, actor=_actor(request), retired=request.POST.get("retired") != "0")
    return redirect("monitoring:run", run_id=run.pk)


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


def compare(request: HttpRequest) -> HttpResponse:
    """Funnel deltas per territory between two runs that cover it (B minus A)."""
    code = request.GET.get("code") or dashboard.home(request.user)
    if not dashboard.may_see(request.user, code):
        raise Http404
    a = dashboard.run_or_latest(int_param(request.GET.get("a")), code)
    b = dashboard.run_or_latest(int_param(request.GET.get("b")), code)
    if a is None or b is None:
        raise Http404
    pairs = _pairs(a, b, code)
    if not pairs:
        raise Http404
    export = export_if_asked(request, tables.compare_table(code, pairs))
    if export is not None:
        return export
    rows: list[dict[str, Any]] = []
    for shown, ra, rb in pairs:
        cells = []
        for step in funnel.STEPS:
            va = getattr(ra, step.key) if ra else None
            vb = getattr(rb, step.key) if rb else None
            delta = vb - va if va is not None and vb is not None else None
            cells.append({"a": va, "b": vb, "delta": delta})
        rows.append({"fig": shown, "cells": cells})
    context = {
        "a": a,
        "b": b,
        "code": code,
        "rows": rows,
        "steps": funnel.STEPS,
        "finished": dashboard.runs(code)[:HISTORY],
    }
    return render(request, "monitoring/compare.html", context)
