"""An annex's work list: its findings, each with who it is about, what differs, what to do
and what has been done, filtered by kind, handling status or household; and the handling
of one finding.

Scoped like every page: an annex outside the user's subtree is a 404, like an unknown one.
The list comes as CSV or XLSX with `?format=csv|xlsx`, filters applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from sijill import engine
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.documents import downloads
from sijill.domain.contract import FINDING_KINDS as KINDS
from sijill.runs import selection
from sijill.runs.imports import findings_path
from sijill.runs.models import Candidate, Figures, Run
from sijill.worklists import handling, tables
from sijill.worklists.cases import case
from sijill.worklists.models import OPEN, STATUSES, Handling


def annex_of(request: HttpRequest, code: str, asked: str | None) -> tuple[Run, Figures]:
    """The run asked for (or the latest covering the annex) and the annex's row in it."""
    try:
        return selection.annex(request.user, code, asked)
    except NotVisible:
        raise Http404 from None


@dataclass(frozen=True, slots=True)
class Chosen:
    """The list's filters, as the query string gives them (unknown values ignored)."""

    kind: str | None
    status: str | None
    household: str | None

    @classmethod
    def of(cls, request: HttpRequest) -> Chosen:
        kind, status = request.GET.get("kind"), request.GET.get("status")
        household = (request.GET.get("household") or "").strip()[:200]
        return cls(
            kind if kind in KINDS else None,
            status if status in STATUSES else None,
            household or None,
        )

    def query(self, run: Run, **more: Any) -> str:
        values = {"run": run.pk, "kind": self.kind, "status": self.status,
                  "household": self.household, **more}  # fmt: skip
        return str(urlencode({k: v for k, v in values.items() if v not in (None, "")}))

    def filter(self, found: dict[str, Handling]) -> engine.Filter:
        if self.status is None:
            return engine.Filter(kind=self.kind, household=self.household)
        if self.status == OPEN:
            done = [key for key, h in found.items() if h.status != OPEN]
            return engine.Filter(kind=self.kind, household=self.household, without=done)
        keys = [key for key, h in found.items() if h.status == self.status]
        return engine.Filter(kind=self.kind, household=self.household, keys=keys)


def _counts(run: Run, code: str, found: dict[str, Handling]) -> list[dict[str, Any]]:
    """Per kind with findings in the annex: its count by handling status, and in all."""
    counted = engine.counts_of_annex(
        findings_path(run), code, {key: h.status for key, h in found.items()}
    )
    rows = []
    for kind in KINDS:
        by_status = [(status, counted.get((kind, status), 0)) for status in STATUSES]
        total = sum(n for _status, n in by_status)
        if total:
            rows.append({"kind": kind, "by_status": by_status, "total": total})
    return rows


def work_list(request: HttpRequest, code: str) -> HttpResponse:
    """The annex's findings as cases to work, filtered, a page at a time."""
    run, fig = annex_of(request, code, request.GET.get("run"))
    chosen = Chosen.of(request)
    found = handling.statuses(code)
    path = findings_path(run)
    if request.GET.get("format"):
        every = engine.findings_of_annex(path, code, limit=None, chosen=chosen.filter(found))
        export = downloads.if_asked(request, tables.findings_table(code, every, found))
        assert export is not None
        return export
    # Past the last finding a page is empty; a number no list reaches is the same page.
    page = selection.page(request.GET.get("page"))
    size = engine.WORKLIST_PAGE
    rows = engine.findings_of_annex(
        path, code, limit=size + 1, offset=(page - 1) * size, chosen=chosen.filter(found)
    )
    counts = _counts(run, code, found)
    context = {
        "run": run,
        "fig": fig,
        "trail": selection.trail(request.user, fig),
        "chosen": chosen,
        "query": chosen.query(run),
        "statuses": STATUSES,
        "counts": counts,
        "kinds": [row["kind"] for row in counts],
        "cases": [case(f, found.get(f.key or "")) for f in rows[:size]],
        "page": page,
        "previous": chosen.query(run, page=page - 1) if page > 1 else None,
        "next": chosen.query(run, page=page + 1) if len(rows) > size else None,
        "may_handle": handling.may_handle(request.user),
        "links": _links(run, code),
    }
    return render(request, "worklists/findings.html", context)


def _links(run: Run, code: str) -> int:
    """The annex's link candidates in the run (reviewed on their own page)."""
    return int(Candidate.objects.filter(run=run, annex_code=code).count())


def _back(request: HttpRequest, code: str, run: Run) -> str:
    """Where a form posted without htmx returns: the list it came from, on this site."""
    asked = request.POST.get("next", "")
    target = reverse("worklists:findings", args=[code])
    if asked.startswith(target) and url_has_allowed_host_and_scheme(asked, None):
        return str(asked)
    return f"{target}?run={run.pk}"


def handle(request: HttpRequest, code: str) -> HttpResponse:
    """Set a finding's handling status and note (POST: run, key, status, note)."""
    run, fig = annex_of(request, code, request.POST.get("run"))
    key = request.POST.get("key", "")
    try:
        done = handling.handle(
            request.user, run, code, key, request.POST.get("status", ""),
            request.POST.get("note", ""),
        )  # fmt: skip
    except (NotVisible, ValueError):
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    if not getattr(request, "htmx", False):
        return redirect(_back(request, code, run))
    finding = engine.finding_of_annex(findings_path(run), code, key)
    assert finding is not None
    context = {"c": case(finding, done), "run": run, "fig": fig, "may_handle": True,
               "statuses": STATUSES, "saved": True, "back": _back(request, code, run)}  # fmt: skip
    return render(request, "worklists/_case.html", context)
