"""Changes to the registers made by the back office itself (validated forms, API edits).

Every function writes in the caller's transaction and records the change in the audit log.
A row read to be changed is locked (`select_for_update`) inside that transaction, so that
two writers never replace each other's change or audit a stale `before`.
Identifiers the RNP, RSU and AMO platform would assign are drawn here at random: they are
opaque, and only their format (the IDCS's 10 digits) is fixed by the contract.

A direct edit (address, CIN) passes the same rules as a form's capture
(sijill.domain.rules): what the registers accept, `sijill export` writes and `sijill
validate` accepts. A value that breaks them raises Refused with every violation.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from sijill.audit.chain import Change, record, record_many
from sijill.domain import rules
from sijill.domain.rules import PersonRow, Violation
from sijill.registry import registers
from sijill.registry.models import (
    ACCEPTED,
    REJECTED,
    AmoFile,
    Beneficiary,
    Household,
    Member,
    Person,
)

_PERSON = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat", "sex", "birth_date")
# What an API client may change on a person; identity itself changes only through the RNP.
EDITABLE_PERSON = ("address", "annex_code", "cin")


class Refused(Exception):
    """A value breaks the capture's rules; every violation is listed (the API's 422)."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__(f"{len(violations)} rule(s) broken")


def _place_violations(changes: Mapping[str, Any]) -> list[Violation]:
    """The capture's rules for what an edit may change: an address that says something
    (the contract's required value: not empty, not blanks) and a CIN of the contract's
    format. (That an annex exists and is the editor's is the caller's check.)"""
    found = []
    if "address" in changes and not str(changes["address"] or "").strip():
        found.append(Violation("required", "address"))
    cin = changes.get("cin")
    if cin is not None and not rules.CIN.fullmatch(str(cin)):
        found.append(Violation("cin_format", "cin"))
    return found


def _fresh(prefix: str, digits: int, taken: Any, field: str) -> str:
    while True:
        candidate = prefix + "".join(secrets.choice("0123456789") for _ in range(digits))
        if not taken.objects.filter(**{field: candidate}).exists():
            return candidate


def _person_values(row: PersonRow) -> dict[str, Any]:
    values = asdict(row)
    return {name: values[name] for name in _PERSON}


def register_person(row: PersonRow, annex_code: str, address: str, actor: str) -> Person:
    with transaction.atomic():
        person: Person = Person.objects.create(
            idcs=_fresh("", 10, Person, "idcs"),
            cin=row.cin,
            nationality=row.nationality,
            annex_code=annex_code,
            address=address,
            registered_at=timezone.now(),
            deceased=False,
            **_person_values(row),
        )
        after = registers.values(person, registers.PERSONS)
        record(Change(actor, "create", registers.PERSONS.target, person.idcs, None, after))
    return person


def edit_person(person: Person, changes: Mapping[str, Any], actor: str) -> Person:
    """Change a person's address, annex or CIN (Refused when a value breaks a rule)."""
    unknown = set(changes) - set(EDITABLE_PERSON)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    violations = _place_violations(changes)
    if violations:
        raise Refused(violations)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = registers.values(person, registers.PERSONS)
        for name, value in changes.items():
            setattr(person, name, value)
        person.save(update_fields=list(changes))
        after = registers.values(person, registers.PERSONS)
        record(Change(actor, "update", registers.PERSONS.target, person.idcs, before, after))
    return person


def save_household(
    household_id: str | None,
    annex_code: str,
    address: str,
    score: float,
    members: Sequence[PersonRow],
    actor: str,
) -> Household:
    """Declare a household (`household_id` None) or replace an existing one's members."""
    with transaction.atomic():
        household: Household | None = (
            Household.objects.select_for_update().filter(household_id=household_id).first()
        )
        before = _household_state(household) if household else None
        if household is None:
            household = Household(household_id=_fresh("RSU", 10, Household, "household_id"))
        household.annex_code, household.address, household.score = annex_code, address, score
        household.save()
        # A member declared before keeps the day they were first declared.
        declared = dict(household.members.values_list("idcs", "declared_at")) if before else {}
        household.members.all().delete()
        now = timezone.now()
        Member.objects.bulk_create(
            Member(
                member_id=f"{household.household_id}-{n:02d}",
                household=household,
                idcs=row.idcs,
                relation=row.relation,
                declared_at=declared.get(row.idcs, now),
                **_person_values(row),
            )
            for n, row in enumerate(members)
        )
        action = "update" if before else "create"
        after = _household_state(household)
        record(Change(actor, action, "registry.household", household.household_id, before, after))
    return household


def _household_state(household: Household) -> dict[str, Any]:
    state = registers.values(household, registers.HOUSEHOLDS)
    state["members"] = [
        registers.values(m, registers.MEMBERS) for m in household.members.order_by("member_id")
    ]
    return state


def open_amo_file(
    household: Household, beneficiaries: Sequence[PersonRow], deposited_at: dt.datetime, actor: str
) -> AmoFile:
    with transaction.atomic():
        amo_file: AmoFile = AmoFile.objects.create(
            amo_file_id=_fresh("AMO", 10, AmoFile, "amo_file_id"),
            household_id=household.household_id,
            annex_code=household.annex_code,
            status="validated",
            deposited_at=deposited_at,
            validated_at=timezone.now(),
        )
        Beneficiary.objects.bulk_create(
            Beneficiary(
                beneficiary_id=f"{amo_file.amo_file_id}-{n:02d}",
                file=amo_file,
                idcs=row.idcs,
                relation=row.relation,
                **_person_values(row),
            )
            for n, row in enumerate(beneficiaries)
        )
        after = registers.values(amo_file, registers.AMO_FILES)
        record(
            Change(actor, "create", registers.AMO_FILES.target, amo_file.amo_file_id, None, after)
        )
    return amo_file


def set_amo_status(amo_file: AmoFile, status: str, at: dt.datetime, actor: str) -> AmoFile:
    """Move a file along before CNSS's decision: transmitted, then under review."""
    if status not in ("transmitted", "under_review"):
        raise ValueError(f"a file becomes {status} by CNSS's decision (decide_amo_file)")
    with transaction.atomic():
        before = registers.values(amo_file, registers.AMO_FILES)
        amo_file.status = status
        if status == "transmitted":
            amo_file.transmitted_at = at
        amo_file.save()
        after = registers.values(amo_file, registers.AMO_FILES)
        record(
            Change(actor, "update", registers.AMO_FILES.target, amo_file.amo_file_id, before, after)
        )
    return amo_file


def decide_amo_file(
    amo_file: AmoFile, reasons: Mapping[str, str | None], at: dt.datetime, actor: str
) -> AmoFile:
    """CNSS's decision on every beneficiary of the file, by beneficiary_id: None accepts
    them, a reason (the contract's text) refuses them. The file is accepted when it covers
    someone, rejected when every beneficiary is refused; either way decided `at`."""
    with transaction.atomic():
        amo_file = AmoFile.objects.select_for_update().get(pk=amo_file.pk)
        beneficiaries = list(amo_file.beneficiaries.select_for_update().order_by("beneficiary_id"))
        if {b.beneficiary_id for b in beneficiaries} != set(reasons):
            raise ValueError("a decision names every beneficiary of the file, and only them")
        changes = []
        for beneficiary in beneficiaries:
            before = registers.values(beneficiary, registers.BENEFICIARIES)
            reason = reasons[beneficiary.beneficiary_id]
            beneficiary.decision = REJECTED if reason else ACCEPTED
            beneficiary.rejection_reason = reason or None
            after = registers.values(beneficiary, registers.BENEFICIARIES)
            target = registers.BENEFICIARIES.target
            changes.append(
                Change(actor, "decide", target, beneficiary.beneficiary_id, before, after)
            )
        Beneficiary.objects.bulk_update(beneficiaries, ["decision", "rejection_reason"])
        before = registers.values(amo_file, registers.AMO_FILES)
        covered = any(b.decision == ACCEPTED for b in beneficiaries)
        amo_file.status = ACCEPTED if covered else REJECTED
        amo_file.decided_at = at
        amo_file.save()
        after = registers.values(amo_file, registers.AMO_FILES)
        target = registers.AMO_FILES.target
        changes.append(Change(actor, "decide", target, amo_file.amo_file_id, before, after))
        record_many(changes)
    return amo_file


def edit_household(household: Household, address: str, actor: str) -> Household:
    """Correct a household's address (Refused when it is empty or blank)."""
    violations = _place_violations({"address": address})
    if violations:
        raise Refused(violations)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        before = registers.values(household, registers.HOUSEHOLDS)
        household.address = address
        household.save(update_fields=["address"])
        after = registers.values(household, registers.HOUSEHOLDS)
        record(Change(actor, "update", "registry.household", household.household_id, before, after))
    return household
