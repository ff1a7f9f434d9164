"""What the API takes and gives, as typed schemas (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import P, PathEx, Schema
from ninja.pagination import LimitOffsetPagination, PaginationBase
from pydantic import Field

from sijill.api.problems import worded
from sijill.domain import vocabulary
from sijill.domain.contract import AMO_STATUSES, CIN_PATTERN, IDCS_PATTERN
from sijill.intake import public, workflow

Kind = Literal["rnp_registration", "rsu_declaration", "rsu_update", "amo_request", "other"]
Channel = Literal["counter", "online", "mobile_unit", "integrated"]
FormStatus = Literal[
    "deposited", "captured", "validated", "transmitted", "under_review", "accepted", "rejected"
]
AmoStatus = Literal[
    "pending_validation", "validated", "transmitted", "under_review", "accepted", "rejected"
]
# Literal types must be spelled out for OpenAPI; they must still be the workflow's, and the
# statuses those the vocabulary has words for (the contract's, for AMO files).
assert set(get_args(Kind)) == set(workflow.KINDS)
assert set(get_args(Channel)) == set(workflow.CHANNELS)
assert set(get_args(FormStatus)) == set(workflow.STATUSES) == set(vocabulary.FORM_STATUSES)
assert set(get_args(AmoStatus)) == set(AMO_STATUSES)

# Path segments naming a record. An IDCS has the contract's pattern; other identifiers
# (households, AMO files, batches) are opaque but must be text a register can hold:
# PostgreSQL refuses NUL characters. Anything else is a 422 naming the parameter.
Idcs = PathEx[str, P(pattern=IDCS_PATTERN, description="The person's IDCS (10 digits).")]
Key = PathEx[str, P(pattern=r"^[^\x00]+$")]
# Documented without being enforced by the schema: the capture's rules judge these values,
# and a breach is a 422 listing each violation in every language (sijill.registry.writes).
NOT_BLANK: dict[str, Any] = {"pattern": r"\S"}
CIN: dict[str, Any] = {"pattern": CIN_PATTERN}

LIMIT, MAX_LIMIT, MAX_OFFSET = 100, 500, 1_000_000_000


class Page(LimitOffsetPagination):
    """`limit` (1 to 500, 100 when omitted) items from `offset` (0 to a billion, far past
    any register): bounded, so that no page asks the database for more than it can count."""

    class Input(Schema):
        limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class RegisterPage(PaginationBase):
    """A page of a national register: `limit` items from `offset`, and `next_offset` (None
    on the last page) instead of a total, which would count every row in scope for every
    page (1.7 s a page at 37M persons)."""

    class Input(PaginationBase.Input):
        limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    class Output(Schema):
        items: list[Any]
        next_offset: int | None = Field(description="The offset of the next page; none at the end.")

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start, limit = pagination.offset, pagination.limit
        rows = list(queryset[start : start + limit + 1])  # one more says whether there is more
        more = len(rows) > limit
        return {"items": rows[:limit], "next_offset": start + limit if more else None}


class DepositIn(Schema):
    kind: Kind
    channel: Channel = "counter"
    annex_code: str = Field(min_length=1, description="The annex where the form is deposited.")
    citizen_id: str | None = Field(
        None, description="The depositor's CIN or IDCS, for the public status look-up."
    )
    payload: dict[str, Any] = Field(default_factory=dict, description="Content, if captured now.")


class CaptureIn(Schema):
    payload: dict[str, Any] = Field(
        description="The form's content: `person` (rnp_registration), `household` with "
        "`members`, `area`, `answers`, `address` (rsu_*), `household_id` and "
        "`beneficiaries` (amo_request)."
    )


class ReasonIn(Schema):
    reason: str = Field(min_length=1)


class BeneficiaryDecisionIn(Schema):
    accepted: bool
    reason: str = Field(
        "", description="When refused: a code of the rejection reasons (`other` needs a note)."
    )
    note: str = Field("", max_length=500)


class DecisionIn(BeneficiaryDecisionIn):
    """CNSS's decision on a file: for every beneficiary, but those `beneficiaries` names."""

    beneficiaries: dict[str, BeneficiaryDecisionIn] = Field(
        default_factory=dict, description="By beneficiary_id, a decision of its own."
    )


class BatchIn(Schema):
    receipts: list[str] | None = Field(None, description="Omit to send every validated request.")


class FormOut(Schema):
    receipt: str
    kind: str
    channel: str
    annex_code: str
    status: str
    payload: dict[str, Any]
    violations: list[dict[str, Any]]
    parent: str | None
    register_key: str | None
    rejection_reason: str | None
    next_step: str | None
    deadline: dt.date | None
    deposited_at: dt.datetime
    captured_at: dt.datetime | None
    validated_at: dt.datetime | None
    transmitted_at: dt.datetime | None
    under_review_at: dt.datetime | None
    accepted_at: dt.datetime | None
    rejected_at: dt.datetime | None

    @staticmethod
    def resolve_violations(form: Any) -> list[dict[str, Any]]:
        return worded(form.violations)

    @staticmethod
    def resolve_parent(form: Any) -> str | None:
        return str(form.parent.receipt) if form.parent_id else None

    @staticmethod
    def resolve_next_step(form: Any) -> str | None:
        return workflow.next_step(form.kind, form.status)

    @staticmethod
    def resolve_deadline(form: Any) -> dt.date | None:
        return public.deadline(form)


class ValidatedOut(Schema):
    form: FormOut
    opened: FormOut | None = Field(None, description="The next step it opened, if any.")


class BatchOut(Schema):
    number: str
    receipts: list[str]


class StatusOut(Schema):
    status: str
    status_label: str
    next_step: str | None
    next_step_label: str | None
    deadline: dt.date | None


class PersonOut(Schema):
    idcs: str
    cin: str | None
    first_name_ar: str
    last_name_ar: str
    first_name_lat: str
    last_name_lat: str
    sex: str
    birth_date: dt.date
    nationality: str
    annex_code: str
    address: str
    registered_at: dt.datetime
    deceased: bool


class PersonPatch(Schema):
    address: str | None = Field(
        None,
        description="Where the person lives: not empty, not blanks.",
        json_schema_extra=NOT_BLANK,
    )
    annex_code: str | None = Field(
        None, description="An annex of the caller's territory (a move); 404 otherwise."
    )
    cin: str | None = Field(
        None, description="The national identity card number.", json_schema_extra=CIN
    )


class MemberOut(Schema):
    member_id: str
    idcs: str | None
    relation: str
    first_name_ar: str
    last_name_ar: str
    first_name_lat: str
    last_name_lat: str
    sex: str
    birth_date: dt.date
    declared_at: dt.datetime


class HouseholdOut(Schema):
    household_id: str
    annex_code: str
    address: str
    score: float
    members: list[MemberOut]


class HouseholdPatch(Schema):
    address: str = Field(description="Not empty, not blanks.", json_schema_extra=NOT_BLANK)


class BeneficiaryOut(Schema):
    beneficiary_id: str
    idcs: str | None
    relation: str
    first_name_ar: str
    last_name_ar: str
    first_name_lat: str
    last_name_lat: str
    sex: str
    birth_date: dt.date
    decision: str | None = Field(None, description="accepted or rejected, once decided.")
    rejection_reason: str | None = None


class AmoFileOut(Schema):
    amo_file_id: str
    household_id: str
    annex_code: str
    status: AmoStatus
    deposited_at: dt.datetime
    validated_at: dt.datetime | None
    transmitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    beneficiaries: list[BeneficiaryOut]
