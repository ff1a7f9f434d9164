"""Transmission to CNSS: today's batch built from the validated AMO requests, the batches
of the user's territory, one batch's files and its download as the contract `amo` extract.

Every step goes through sijill.intake.cnss (the role, the territory and the audit log are
the API's); a batch outside the user's territory answers 404 like one that does not exist.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sijill.accounts import roles
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.documents.words import words
from sijill.intake import cnss, workflow
from sijill.intake.forms import territory_name
from sijill.intake.ledger import NotPossible
from sijill.intake.models import Form
from sijill.registry.models import ACCEPTED, REJECTED, Beneficiary
from sijill.territories.models import Territory

PARQUET = "application/vnd.apache.parquet"


def places(codes: Iterable[str | None]) -> dict[str, str]:
    """Territory names in the page's language, by code."""
    found = Territory.objects.filter(code__in={code for code in codes if code})
    return {place.code: territory_name(place) for place in found}


def tallies(forms: Iterable[Form]) -> dict[str, dict[str, int]]:
    """Per AMO file of these forms: its beneficiaries, and how many CNSS accepted and refused."""
    keys = [form.register_key for form in forms if form.register_key]
    counted = (
        Beneficiary.objects.filter(file__amo_file_id__in=keys)
        .values("file__amo_file_id")
        .annotate(
            persons=Count("id"),
            accepted=Count("id", filter=Q(decision=ACCEPTED)),
            refused=Count("id", filter=Q(decision=REJECTED)),
        )
    )
    return {
        row["file__amo_file_id"]: {k: row[k] for k in ("persons", "accepted", "refused")}
        for row in counted
    }


def file_row(
    form: Form, names: dict[str, str], counts: dict[str, dict[str, int]]
) -> dict[str, Any]:
    """What a list shows of an AMO request: its household, the insured, its beneficiaries."""
    payload = form.payload or {}
    people = [p for p in payload.get("beneficiaries") or [] if isinstance(p, dict)]
    insured = next(
        (p for p in people if p.get("relation") == "insured"), people[0] if people else {}
    )
    name = " ".join(str(insured.get(n) or "") for n in ("first_name_ar", "last_name_ar"))
    tally = counts.get(form.register_key or "", {})
    return {
        "form": form,
        "household_id": payload.get("household_id") or "",
        "insured": name.strip(),
        "persons": tally.get("persons", len(people)),
        "accepted": tally.get("accepted", 0),
        "refused": tally.get("refused", 0),
        "annex_name": names.get(form.annex_code, form.annex_code),
        "status_label": words(form.status, "form_statuses"),
    }


def batches(request: HttpRequest) -> HttpResponse:
    """GET: the validated requests waiting for today's batch, and the territory's batches.
    POST: the ticked requests leave for CNSS as one batch."""
    user = request.user
    may_transmit = roles.may(user.role, roles.TRANSMIT)
    if request.method == "POST":
        if not may_transmit:
            raise PermissionDenied(roles.TRANSMIT)
        return _transmit(request)
    waiting = list(cnss.to_transmit(user)) if may_transmit else []
    sent = list(cnss.batches(user)[:100])
    names = places([*(f.annex_code for f in waiting), *(b.territory_code for b in sent)])
    context = {
        "waiting": [file_row(form, names, {}) for form in waiting],
        "sent": [{"batch": b, "place": names.get(b.territory_code or "", "")} for b in sent],
        "may_transmit": may_transmit,
    }
    return render(request, "intake/batches.html", context)


def _transmit(request: HttpRequest) -> HttpResponse:
    receipts = [r for r in request.POST.getlist("receipts") if r.strip()]
    if not receipts:
        messages.error(request, _("Tick at least one file to transmit."))
        return redirect("intake:batches")
    try:
        sent = cnss.transmit(request.user, receipts)
    except NotPossible:
        messages.error(request, _("These files cannot be transmitted any more."))
        return redirect("intake:batches")
    # The batch's number stays left-to-right inside an Arabic sentence.
    text = conditional_escape(_("Batch %(number)s sent to CNSS. Files: %(count)s."))
    number = format_html('<bdi dir="ltr">{}</bdi>', sent.number)
    done = mark_safe(text % {"number": number, "count": sent.forms.count()})  # both escaped
    messages.success(request, done)
    return redirect("intake:batch", number=sent.number)


def batch(request: HttpRequest, number: str) -> HttpResponse:
    """One batch: when and by whom it left, its files and what CNSS decided on each."""
    try:
        found = cnss.batch(request.user, number)
    except (NotVisible, NotAllowed):
        raise Http404 from None
    forms = list(found.forms.order_by("deposited_at", "id"))
    names = places([*(f.annex_code for f in forms), found.territory_code])
    counts = tallies(forms)
    context = {
        "batch": found,
        "place": names.get(found.territory_code or "", ""),
        "rows": [file_row(form, names, counts) for form in forms],
        "may_decide": roles.may(request.user.role, roles.DECIDE),
        "open": {workflow.TRANSMITTED, workflow.UNDER_REVIEW},
    }
    return render(request, "intake/batch.html", context)


def extract(request: HttpRequest, number: str) -> FileResponse:
    """The batch as the contract `amo` extract (Parquet) that goes to CNSS (audited)."""
    folder = Path(tempfile.mkdtemp(prefix="sijill-batch-"))
    try:
        path = folder / "amo.parquet"
        try:
            cnss.batch_extract(request.user, number, path)
        except (NotVisible, NotAllowed):
            raise Http404 from None
        content = path.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{number.strip()}-amo.parquet",
        content_type=PARQUET,
    )
