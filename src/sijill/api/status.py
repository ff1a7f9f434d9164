"""/api/v1/status/{receipt}?id=CIN-or-IDCS: the public look-up, without login, rate-limited."""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.throttling import AnonRateThrottle
from pydantic import Field

from sijill.accounts.access import NotVisible
from sijill.api.openapi import errors
from sijill.api.schemas import StatusOut
from sijill.intake import public

router = Router(tags=["public"])


class Citizen(Schema):
    id: str = Field(
        min_length=1,
        max_length=16,
        pattern=r"^[^\x00]+$",
        description="The depositor's CIN or IDCS.",
    )


@router.get(
    "/status/{receipt}",
    response=StatusOut,
    auth=None,
    throttle=[AnonRateThrottle(settings.SIJILL_STATUS_RATE)],
    openapi_extra=errors(404, 429),
)
def status(request: HttpRequest, receipt: str, citizen: Query[Citizen]) -> public.PublicStatus:
    """Status, next step and its deadline; 404 alike for an unknown receipt and a wrong id."""
    form = public.lookup(receipt, citizen.id)
    if form is None:
        raise NotVisible(receipt)
    return public.status_of(form)
