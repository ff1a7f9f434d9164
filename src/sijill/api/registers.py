"""/api/v1/persons, /households, /amo-files: the registers, read and edited within scope.

Identity (names, sex, birth date, IDCS) changes only through an RNP form; a household's
members and score only through an RSU form; an AMO file only through its workflow.
What can change here directly is where people live and their identity card number, under
the capture's rules (sijill.registry.writes: a 422 naming the field otherwise).
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from sijill.accounts import roles
from sijill.accounts.access import NotVisible, require, require_place, scoped, visible_one
from sijill.api.auth import user_of
from sijill.api.openapi import errors
from sijill.api.schemas import (
    AmoFileOut,
    HouseholdOut,
    HouseholdPatch,
    Idcs,
    Key,
    PersonOut,
    PersonPatch,
    RegisterPage,
)
from sijill.registry import writes
from sijill.registry.models import AmoFile, Household, Person
from sijill.territories.models import Territory

router = Router(tags=["registers"])


@router.get("/persons", response=list[PersonOut])
@paginate(RegisterPage)
def list_persons(request: HttpRequest) -> Any:
    return scoped(user_of(request), Person.objects.order_by("idcs"))


@router.get("/persons/{idcs}", response=PersonOut, openapi_extra=errors(404))
def get_person(request: HttpRequest, idcs: Idcs) -> Any:
    return visible_one(user_of(request), Person.objects.all(), idcs=idcs)


@router.patch("/persons/{idcs}", response=PersonOut, openapi_extra=errors(403, 404, 422))
def edit_person(request: HttpRequest, idcs: Idcs, body: PersonPatch) -> Any:
    """Change a person's address, annex (a move within the caller's territory) or CIN.
    An annex unknown or outside the caller's territory is a 404, like the person."""
    user = user_of(request)
    require(user, roles.EDIT_REGISTERS)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    # The row is locked from the scope check to the audit entry: one transaction.
    with transaction.atomic():
        person = visible_one(user, Person.objects.select_for_update(), idcs=idcs)
        if "annex_code" in changes:
            if not Territory.objects.filter(code=changes["annex_code"], level="annex").exists():
                raise NotVisible(changes["annex_code"])
            require_place(user, changes["annex_code"])
        return writes.edit_person(person, changes, actor=user.username)


@router.get("/households", response=list[HouseholdOut])
@paginate(RegisterPage)
def list_households(request: HttpRequest) -> Any:
    households = Household.objects.order_by("household_id").prefetch_related("members")
    return scoped(user_of(request), households)


@router.get("/households/{household_id}", response=HouseholdOut, openapi_extra=errors(404))
def get_household(request: HttpRequest, household_id: Key) -> Any:
    households = Household.objects.prefetch_related("members")
    return visible_one(user_of(request), households, household_id=household_id)


@router.patch(
    "/households/{household_id}", response=HouseholdOut, openapi_extra=errors(403, 404, 422)
)
def edit_household(request: HttpRequest, household_id: Key, body: HouseholdPatch) -> Any:
    """Correct a household's address (its members and score change through an RSU form)."""
    user = user_of(request)
    require(user, roles.EDIT_REGISTERS)
    with transaction.atomic():
        found = Household.objects.select_for_update()
        household = visible_one(user, found, household_id=household_id)
        return writes.edit_household(household, body.address, actor=user.username)


@router.get("/amo-files", response=list[AmoFileOut])
@paginate(RegisterPage)
def list_amo_files(request: HttpRequest) -> Any:
    files = AmoFile.objects.order_by("amo_file_id").prefetch_related("beneficiaries")
    return scoped(user_of(request), files)


@router.get("/amo-files/{amo_file_id}", response=AmoFileOut, openapi_extra=errors(404))
def get_amo_file(request: HttpRequest, amo_file_id: Key) -> Any:
    files = AmoFile.objects.prefetch_related("beneficiaries")
    return visible_one(user_of(request), files, amo_file_id=amo_file_id)
