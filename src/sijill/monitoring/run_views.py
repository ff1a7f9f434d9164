"""Runs: history, start (on the back office's registers or uploaded extracts), progress,
and the comparison of two runs for a territory and its children."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sijill.accounts.roles import EDIT_REGISTERS, may
from sijill.monitoring import dashboard, funnel, runs, tables
from sijill.monitoring.forms import RunForm, UploadForm
from sijill.monitoring.heartbeat import INTERRUPTED, settle_interrupted
from sijill.monitoring.models import BACK_OFFICE, FAILED, SUCCEEDED, UPLOAD, Figures, Run
from sijill.monitoring.views import export_if_asked, int_param

HISTORY = 100


def _require_starter(request: HttpRequest) -> None:
    if not may(getattr(request.user, "role", ""), EDIT_REGISTERS):
        raise PermissionDenied


def history(request: HttpRequest) -> HttpResponse:
    settle_interrupted()
    may_start = may(getattr(request.user, "role", ""), EDIT_REGISTERS)
    context = {
        "runs": Run.objects.order_by("-id")[:HISTORY],
        "finished": dashboard.runs()[:HISTORY],
        "form": RunForm() if may_start else None,
        "may_start": may_start,
    }
    return render(request, "monitoring/runs.html", context)


def _actor(request: HttpRequest) -> str:
    return str(request.user.get_username())


def start_back_office(request: HttpRequest) -> HttpResponse:
    """A run on the registers as they are now (exported like `sijill export`)."""
    _require_starter(request)
    form = RunForm(request.POST)
    if not form.is_valid():
        context = {"runs": Run.objects.order_by("-id")[:HISTORY], "form": form, "may_start": True}
        return render(request, "monitoring/runs.html", context, status=400)
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
    _require_starter(request)
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


def detail(request: HttpRequest, run_id: int) -> HttpResponse:
    settle_interrupted()
    run = get_object_or_404(Run, pk=run_id)
    context = {
        "run": run,
        "finished": run.status in (SUCCEEDED, FAILED),
        "interrupted": run.error == INTERRUPTED,
    }
    if getattr(request, "htmx", False):
        response = render(request, "monitoring/_progress.html", context)
        if context["finished"]:
            response["HX-Refresh"] = "true"  # the whole page: results or the error table
        return response
    return render(request, "monitoring/run.html", context)


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
    """Funnel deltas per territory between two finished runs (B minus A)."""
    a = dashboard.run_or_latest(int_param(request.GET.get("a")))
    b = dashboard.run_or_latest(int_param(request.GET.get("b")))
    if a is None or b is None:
        raise Http404
    code = request.GET.get("code") or dashboard.home(request.user)
    if not dashboard.may_see(request.user, code):
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
        "finished": dashboard.runs()[:HISTORY],
    }
    return render(request, "monitoring/compare.html", context)
