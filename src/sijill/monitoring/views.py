"""The dashboard of a territory, its PDF, and the work lists of an annex.

Every page is scoped: a territory outside the user's subtree is a 404, like an unknown one.
Any table comes as CSV or XLSX with `?format=csv|xlsx` (and `table=` on the dashboard).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi

from sijill.accounts.access import NotAllowed, NotVisible
from sijill.accounts.roles import EDIT_REGISTERS, RUN, may
from sijill.engine.reconcile.findings import KINDS
from sijill.monitoring import (
    candidates,
    charts,
    dashboard,
    exports,
    funnel,
    labels,
    tables,
    worklist,
)
from sijill.monitoring.imports import findings_path
from sijill.monitoring.models import Figures, Run
from sijill.web.pdf import pdf_response, render_pdf


def int_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _code(request: HttpRequest) -> str:
    """The territory asked for (`?code=`), the user's own by default; 404 outside the scope."""
    code = request.GET.get("code") or dashboard.home(request.user)
    if not dashboard.may_see(request.user, code):
        raise Http404
    return code


def _run(request: HttpRequest, code: str) -> Run | None:
    """`?run=` (404 unless it covers the territory), else the latest run that does."""
    asked = int_param(request.GET.get("run"))
    found = dashboard.run_or_latest(asked, code)
    if asked is not None and found is None:
        raise Http404
    return found


def _figures(request: HttpRequest, run: Run, code: str) -> Figures:
    try:
        return dashboard.figures(request.user, run, code)
    except NotVisible:
        raise Http404 from None


def export_if_asked(request: HttpRequest, table: exports.Table) -> HttpResponse | None:
    fmt = request.GET.get("format")
    if fmt is None:
        return None
    if fmt not in exports.FORMATS:
        raise Http404
    return exports.table_response(table, fmt, get_language_bidi())


def _anomaly_rows(fig: Figures) -> tuple[list[dict[str, Any]], dict[str, Figures]]:
    found = dashboard.anomalies(fig)
    names = dashboard.annex_names(fig.run_id, {a.annex_code for a in found})
    rtl = get_language_bidi()
    rows = []
    for a in found:
        upper = dashboard.band_upper(a.expected)
        band = charts.share_band(a.observed, a.expected, upper, rtl)
        rows.append({"anomaly": a, "place": names.get(a.annex_code), "upper": upper, "band": band})
    return rows, names


def _context(request: HttpRequest, run: Run, fig: Figures) -> dict[str, Any]:
    sort = request.GET.get("sort", "gap_rsu")
    descending = request.GET.get("dir", "desc") != "asc"
    steps = funnel.steps(fig)
    anomalies, names = _anomaly_rows(fig)
    return {
        "run": run,
        "runs": dashboard.runs(fig.code)[:50],
        "fig": fig,
        "trail": dashboard.trail(request.user, fig),
        "steps": steps,
        "chart": charts.funnel_chart(steps, get_language_bidi()),
        "children": dashboard.children(fig, sort, descending),
        "sort": sort if sort in dashboard.SORTS else "gap_rsu",
        "descending": descending,
        "gaps": funnel.GAPS,
        "anomalies": anomalies,
        "anomaly_names": names,
        "stale": dashboard.late_children(fig, "amo_pending_stale"),
        "breached": dashboard.late_children(fig, "amo_sla_breached"),
        "trend": [
            {"fig": t, "values": [getattr(t, s.step.key) for s in steps]}
            for t in dashboard.trend(fig.code)
        ],
        "headers": labels.child_headers(),
        "gap_keys": funnel.GAP_KEYS,
        "level_label": labels.LEVELS.get(fig.level, fig.level),
        "indicator_labels": labels.INDICATORS,
        "may_run": _may_start(request),
    }


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of `?code=` (default: the user's own territory) in `?run=` (latest)."""
    code = _code(request)
    run = _run(request, code)
    if run is None:
        return render(request, "monitoring/no_run.html", {"may_start": _may_start(request)})
    fig = _figures(request, run, code)
    context = _context(request, run, fig)
    table = request.GET.get("table", "children")
    if table == "anomalies":
        rows = [r["anomaly"] for r in context["anomalies"]]
        export = export_if_asked(
            request, tables.anomalies_table(fig, rows, context["anomaly_names"])
        )
    elif table == "funnel":
        export = export_if_asked(request, tables.funnel_table(fig, context["steps"]))
    elif table == "trend":
        export = export_if_asked(request, tables.trend_table(fig, context["trend"]))
    else:
        export = export_if_asked(request, tables.children_table(fig, context["children"]))
    if export is not None:
        return export
    if getattr(request, "htmx", False) and request.GET.get("partial") == "children":
        return render(request, "monitoring/_children.html", context)
    return render(request, "monitoring/dashboard.html", context)


def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    code = _code(request)
    run = _run(request, code)
    if run is None:
        raise Http404
    fig = _figures(request, run, code)
    data = render_pdf("monitoring/print.html", _context(request, run, fig), request)
    return pdf_response(data, f"sijill-{fig.code}-{run.as_of}.pdf", inline=False)


def _annex(request: HttpRequest, code: str) -> tuple[Run, Figures]:
    run = _run(request, code)
    if run is None:
        raise Http404
    fig = _figures(request, run, code)
    if fig.level != "annex":
        raise Http404
    return run, fig


def findings(request: HttpRequest, code: str) -> HttpResponse:
    """The annex's findings, of one kind or all, each with what to do about it."""
    run, fig = _annex(request, code)
    kind = request.GET.get("kind") or None
    kind = kind if kind in KINDS else None
    page = max(int_param(request.GET.get("page")) or 1, 1)
    path = findings_path(run)
    if request.GET.get("format"):
        rows = worklist.findings(path, code, kind, limit=None)
        export = export_if_asked(request, tables.findings_table(code, rows))
        assert export is not None
        return export
    offset = (page - 1) * worklist.PAGE
    rows = worklist.findings(path, code, kind, limit=worklist.PAGE + 1, offset=offset)
    language = "ar" if get_language_bidi() else "fr"
    context = {
        "run": run,
        "fig": fig,
        "trail": dashboard.trail(request.user, fig),
        "kind": kind,
        "kinds": [(k, fig.findings.get(k, 0), worklist.what_to_do(k, language)) for k in KINDS],
        "rows": [(f, f.action(language)) for f in rows[: worklist.PAGE]],
        "page": page,
        "more": len(rows) > worklist.PAGE,
        "links": candidates.count_of_annex(run.pk, code),
    }
    return render(request, "monitoring/findings.html", context)


def _may_start(request: HttpRequest) -> bool:
    return may(getattr(request.user, "role", ""), RUN)


def _may_decide(request: HttpRequest) -> bool:
    return may(getattr(request.user, "role", ""), EDIT_REGISTERS)


def links(request: HttpRequest, code: str) -> HttpResponse:
    run, fig = _annex(request, code)
    rows = candidates.of_annex(run.pk, code)
    export = export_if_asked(request, tables.links_table(code, rows))
    if export is not None:
        return export
    context = {
        "run": run,
        "fig": fig,
        "trail": dashboard.trail(request.user, fig),
        "rows": rows,
        "may_decide": _may_decide(request),
    }
    return render(request, "monitoring/links.html", context)


def decide(request: HttpRequest, link_id: int, decision: str) -> HttpResponse:
    try:
        link = candidates.decide(request.user, link_id, decision)
    except (NotVisible, ValueError):
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    context = {"link": link, "may_decide": True}
    if getattr(request, "htmx", False):
        return render(request, "monitoring/_link_row.html", context)
    target = reverse("monitoring:links", args=[link.annex_code])
    return redirect(f"{target}?run={link.run_id}")
