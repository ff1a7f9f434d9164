"""Runs: history, start (on the back office's registers or uploaded extracts), progress
and retirement.

Run pages are for the roles that may run (`roles.RUN`), and show the runs of the user's
subtree only; a run outside it answers like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Case, OuterRef, Subquery, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from sijill.accounts.roles import RUN, may
from sijill.i18n.formats import number
from sijill.runs import lifecycle as runs
from sijill.runs import selection
from sijill.runs.forms import RunForm, UploadForm, declared_size
from sijill.runs.heartbeat import INTERRUPTED, restarts, settle_interrupted
from sijill.runs.models import BACK_OFFICE, FAILED, SUCCEEDED, UPLOAD, Figures, Run

HISTORY = 100


def _require_runner(request: HttpRequest) -> None:
    if not may(getattr(request.user, "role", ""), RUN):
        raise PermissionDenied


def _history(request: HttpRequest) -> Any:
    """The user's runs, each with the living RNP persons of its own territory."""
    place = Case(
        When(territory__isnull=True, then=Value(selection.NATIONAL)),
        default="territory_id",
        output_field=TextField(),
    )
    persons = Figures.objects.filter(run=OuterRef("pk"), code=OuterRef("place"))
    found = runs.managed_by(request.user).select_related("territory").annotate(place=place)
    count = Cast(KeyTextTransform("rnp_persons", "counts"), BigIntegerField())
    found = found.annotate(rnp_persons=Subquery(persons.annotate(n=count).values("n")[:1]))
    return found.order_by("-id")[:HISTORY]


def _page(request: HttpRequest, form: RunForm | None, status: int = 200) -> HttpResponse:
    context = {
        "runs": _history(request),
        "finished": selection.runs(selection.home(request.user))[:HISTORY],
        "form": form,
        "may_start": True,
    }
    return render(request, "runs/runs.html", context, status=status)


def history(request: HttpRequest) -> HttpResponse:
    _require_runner(request)
    settle_interrupted()
    runs.discard_leftover_extracts()
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
    return redirect("runs:run", run_id=run.pk)


def _upload_view(request: HttpRequest) -> HttpResponse:
    """A run on uploaded extracts; they are checked first, in the run (see its page).

    An upload above SIJILL_UPLOAD_MAX_BYTES is refused with 413 by its declared length,
    before anything reads its body; the anti-forgery check, which reads it, comes after."""
    _require_runner(request)
    if request.method == "POST" and declared_size(request) > settings.SIJILL_UPLOAD_MAX_BYTES:
        return _too_large(request)
    return _checked_upload(request)


def _upload(request: HttpRequest) -> HttpResponse:
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
        return redirect("runs:run", run_id=run.pk)
    return _upload_page(request, form, status=400 if request.method == "POST" else 200)


View = Callable[[HttpRequest], HttpResponse]
_checked_upload = cast(View, csrf_protect(_upload))
# The anti-forgery check reads the body: done by _checked_upload, once its size is checked.
upload = cast(View, csrf_exempt(_upload_view))


def _too_large(request: HttpRequest) -> HttpResponse:
    refused = _("These extracts are too large: nothing was kept.")
    return _upload_page(request, UploadForm(), status=413, refused=refused)


def _upload_page(
    request: HttpRequest, form: UploadForm, status: int, refused: str | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "refused": refused,
        "limit_mb": number(settings.SIJILL_UPLOAD_MAX_BYTES // 2**20),
    }
    return render(request, "runs/upload.html", context, status=status)


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
        "restarts": restarts(run),
        "dashboard_code": run.scope_code or selection.NATIONAL,
    }
    if getattr(request, "htmx", False):
        response = render(request, "runs/_progress.html", context)
        if context["finished"]:
            response["HX-Refresh"] = "true"  # the whole page: results or the error table
        return response
    return render(request, "runs/run.html", context)


def retire(request: HttpRequest, run_id: int) -> HttpResponse:
    """Take a run off the dashboards (`retired=1`) or put it back (`retired=0`)."""
    run = _managed(request, run_id)
    runs.retire(run, actor=_actor(request), retired=request.POST.get("retired") != "0")
    return redirect("runs:run", run_id=run.pk)
