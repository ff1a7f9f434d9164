"""/api/v1/forms and /batches: the ledger, every query scoped to the caller's territory."""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import HeaderEx, P, Router, Status
from ninja.pagination import paginate

from sijill.accounts.access import scoped
from sijill.api.auth import user_of
from sijill.api.openapi import errors
from sijill.api.schemas import (
    BatchIn,
    BatchOut,
    BeneficiaryDecisionIn,
    CaptureIn,
    DecisionIn,
    DepositIn,
    FormOut,
    FormStatus,
    Key,
    Kind,
    Page,
    ReasonIn,
    ValidatedOut,
)
from sijill.intake import approval, cnss, counter, ledger
from sijill.intake.models import Form

router = Router(tags=["forms"])
PARQUET = "application/vnd.apache.parquet"
_EXTRACT = {
    200: {
        "description": "The batch as the contract's `amo` extract.",
        "content": {PARQUET: {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post("/forms", response={200: FormOut, 201: FormOut}, openapi_extra=errors(403, 404, 409))
def deposit(
    request: HttpRequest,
    body: DepositIn,
    idempotency_key: HeaderEx[str | None, P(alias="Idempotency-Key", max_length=128)] = None,
) -> Status[Form]:
    """Deposit a form; its receipt comes back at once. A retry with the same
    Idempotency-Key returns the first form (200) instead of creating one (201)."""
    form, created = counter.deposit(
        user_of(request),
        kind=body.kind,
        channel=body.channel,
        annex_code=body.annex_code,
        citizen_id=body.citizen_id,
        payload=body.payload,
        idempotency_key=idempotency_key,
    )
    return Status(201 if created else 200, form)


@router.get("/forms", response=list[FormOut])
@paginate(Page)
def list_forms(
    request: HttpRequest, status: FormStatus | None = None, kind: Kind | None = None
) -> Any:
    """Forms of the caller's territory, oldest deposit first; `?status=captured` is the
    day's validation queue."""
    forms = approval.queue(user_of(request), status) if status else _everything(request)
    if kind:
        forms = forms.filter(kind=kind)
    return forms.select_related("parent")


def _everything(request: HttpRequest) -> Any:
    return scoped(user_of(request), Form.objects.order_by("deposited_at", "id"))


@router.get("/forms/{receipt}", response=FormOut, openapi_extra=errors(404))
def get_form(request: HttpRequest, receipt: str) -> Form:
    return ledger.visible(user_of(request), receipt)


@router.put("/forms/{receipt}/payload", response=FormOut, openapi_extra=errors(403, 404, 409, 422))
def capture(request: HttpRequest, receipt: str, body: CaptureIn) -> Form:
    """Capture the form's content; 422 with every broken rule when a gate refuses it."""
    return counter.capture(user_of(request), receipt, body.payload)


@router.post(
    "/forms/{receipt}/validation",
    response=ValidatedOut,
    openapi_extra=errors(403, 404, 409, 422),
)
def validate(request: HttpRequest, receipt: str) -> dict[str, Form | None]:
    """Validate (local authority); returns the step it opened (integrated registration)."""
    form, opened = approval.validate(user_of(request), receipt)
    return {"form": form, "opened": opened}


@router.post(
    "/forms/{receipt}/rejection", response=FormOut, openapi_extra=errors(403, 404, 409, 422)
)
def reject(request: HttpRequest, receipt: str, body: ReasonIn) -> Form:
    return approval.reject(user_of(request), receipt, body.reason)


@router.post("/forms/{receipt}/review", response=FormOut, openapi_extra=errors(403, 404, 409))
def review(request: HttpRequest, receipt: str) -> Form:
    """CNSS starts examining a transmitted AMO request."""
    return cnss.review(user_of(request), receipt)


@router.post(
    "/forms/{receipt}/decision", response=FormOut, openapi_extra=errors(403, 404, 409, 422)
)
def decide(request: HttpRequest, receipt: str, body: DecisionIn) -> Form:
    """CNSS's decision, per beneficiary; a refusal must give a reason of the list."""
    each = {key: _decision(value) for key, value in body.beneficiaries.items()}
    return cnss.decide(user_of(request), receipt, _decision(body), each)


def _decision(body: BeneficiaryDecisionIn) -> cnss.Decision:
    return cnss.Decision(body.accepted, body.reason, body.note)


@router.post("/batches", response={201: BatchOut}, tags=["forms"], openapi_extra=errors(403, 409))
def transmit(request: HttpRequest, body: BatchIn) -> Status[dict[str, Any]]:
    """Send the validated AMO requests of the caller's territory to CNSS as one batch."""
    batch = cnss.transmit(user_of(request), body.receipts)
    receipts = list(batch.forms.order_by("deposited_at").values_list("receipt", flat=True))
    return Status(201, {"number": batch.number, "receipts": receipts})


@router.get(
    "/batches/{number}/amo.parquet", tags=["forms"], openapi_extra=errors(404, success=_EXTRACT)
)
def batch_amo(request: HttpRequest, number: Key) -> FileResponse:
    """The batch as the contract `amo` extract (Parquet) CNSS receives; 404 outside scope."""
    folder = Path(tempfile.mkdtemp(prefix="sijill-batch-"))
    path = folder / "amo.parquet"
    cnss.batch_extract(user_of(request), number, path)
    # The file is read into memory before the folder goes: a batch is one territory's day.
    content = path.read_bytes()
    shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{number}-amo.parquet",
        content_type=PARQUET,
    )
