"""What the validator weighs: a form's content beside what the RSU and the RNP hold.

One table per person the form names: each field as captured, as the RSU household holds it
and as the RNP holds it, a difference marked; for an AMO request, the RSU members the file
leaves out too. Read-only: the gates (sijill.intake.gates) decide, this only shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sijill.domain import rules, scoring
from sijill.intake import drafts, workflow
from sijill.intake.forms_capture import same, shown
from sijill.intake.models import Form
from sijill.registry.models import Household as RsuHousehold
from sijill.registry.models import Member, Person

_NAMES = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat")
_PERSON = ("idcs", *_NAMES, "sex", "birth_date")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    differs: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    field: str  # a code of vocabulary.FIELDS
    captured: str
    rsu: Cell | None
    rnp: Cell | None


@dataclass
class Evidence:
    """One person: the lines, and whether each register knows them."""

    number: int  # the row of the form (0: a member the form leaves out)
    name: str
    lines: list[Line] = field(default_factory=list)
    in_rsu: bool = False
    in_rnp: bool = False
    deceased: bool = False
    left_out: bool = False  # an RSU member the AMO file does not cover

    @property
    def differences(self) -> int:
        return sum(
            1 for line in self.lines for cell in (line.rsu, line.rnp) if cell and cell.differs
        )


@dataclass
class HouseholdFacts:
    household_id: str
    score: float | None
    threshold: float
    address: str
    known: bool


@dataclass
class Sheet:
    """Everything the validator compares, and which registers the columns are."""

    people: list[Evidence]
    columns: tuple[str, ...]  # "rsu", "rnp"
    household: HouseholdFacts | None = None


def _person_rows(form: Form) -> tuple[list[Mapping[str, Any]], str, tuple[str, ...]]:
    """The people the form names, as captured, and its household identifier."""
    payload: Mapping[str, Any] = form.payload if isinstance(form.payload, Mapping) else {}
    if form.kind == workflow.RNP_REGISTRATION:
        return [drafts.section(payload, "person")], "", ("rnp",)
    if form.kind in (workflow.RSU_DECLARATION, workflow.RSU_UPDATE):
        members = drafts.section(payload, "household").get("members")
        rows = [m for m in members if isinstance(m, Mapping)] if isinstance(members, list) else []
        return rows, str(payload.get("household_id") or ""), ("rsu", "rnp")
    if form.kind == workflow.AMO_REQUEST:
        found = payload.get("beneficiaries")
        rows = [b for b in found if isinstance(b, Mapping)] if isinstance(found, list) else []
        return rows, str(payload.get("household_id") or ""), ("rsu", "rnp")
    return [], "", ()


def _values(record: Any, names: Sequence[str]) -> dict[str, Any]:
    if record is None:
        return {}
    if isinstance(record, Mapping):
        return {name: record.get(name) for name in names}
    return {name: getattr(record, name, None) for name in names}


def sheet(form: Form) -> Sheet | None:
    """The comparison for the form's page, or None for a form that names nobody."""
    rows, household_id, columns = _person_rows(form)
    if not columns or not (rows or household_id):
        return None  # nothing captured yet
    ids = [str(r.get("idcs") or "").strip() for r in rows]
    rnp = {p.idcs: p for p in Person.objects.filter(idcs__in=[i for i in ids if i])}
    if form.kind == workflow.RNP_REGISTRATION and rows and rows[0].get("cin"):
        # The person should be new to the RNP: anyone holding the same CIN is shown.
        same_cin = Person.objects.filter(cin=str(rows[0].get("cin")).strip().upper()).first()
        if same_cin is not None:
            ids, rnp = [same_cin.idcs], {same_cin.idcs: same_cin}
    household = (
        RsuHousehold.objects.filter(household_id=household_id).first() if household_id else None
    )
    rsu: dict[str, Member] = {}
    if household is not None:
        rsu = {m.idcs: m for m in household.members.order_by("member_id") if m.idcs}
    elif form.kind == workflow.RSU_DECLARATION:
        rsu = {m.idcs: m for m in Member.objects.filter(idcs__in=[i for i in ids if i]) if m.idcs}
    amo = form.kind == workflow.AMO_REQUEST
    names = (*_PERSON, "relation") if columns != ("rnp",) else (*_PERSON, "cin")
    people = [
        _evidence(n, row, rsu.get(idcs), rnp.get(idcs), names, amo)
        for n, (row, idcs) in enumerate(zip(rows, ids, strict=True), start=1)
    ]
    if amo and household is not None:
        listed = set(ids)
        for member in household.members.order_by("member_id"):
            if member.idcs not in listed:
                left = _evidence(0, {}, member, rnp_of(member.idcs), names, amo)
                left.left_out = True
                people.append(left)
    return Sheet(people, columns, _household(household_id, household) if household_id else None)


def rnp_of(idcs: str | None) -> Person | None:
    return Person.objects.filter(idcs=idcs).first() if idcs else None


def _household(household_id: str, found: RsuHousehold | None) -> HouseholdFacts:
    threshold = scoring.threshold("amo_tadamon")
    if found is None:
        return HouseholdFacts(household_id, None, threshold, "", False)
    return HouseholdFacts(household_id, float(found.score), threshold, str(found.address), True)


def _evidence(
    number: int,
    row: Mapping[str, Any],
    member: Member | None,
    person: Person | None,
    names: Sequence[str],
    amo: bool,
) -> Evidence:
    captured = _values(row, names)
    registered = _values(member, names)
    if amo and member is not None:
        registered["relation"] = rules.AMO_RELATION_OF.get(str(member.relation), "other")
    held = _values(person, [n for n in names if n != "relation"])
    first = captured if row else registered
    name = " ".join(str(first.get(n) or "") for n in ("first_name_ar", "last_name_ar")).strip()
    evidence = Evidence(number, name, in_rsu=member is not None, in_rnp=person is not None)
    evidence.deceased = bool(person is not None and person.deceased)
    for code in names:
        rsu = _cell(code, row, captured.get(code), registered, member is not None)
        rnp = _cell(code, row, captured.get(code), held, person is not None)
        evidence.lines.append(Line(code, shown(code, captured.get(code)) if row else "", rsu, rnp))
    return evidence


def _cell(
    code: str, row: Mapping[str, Any], captured: Any, held: dict[str, Any], known: bool
) -> Cell | None:
    if not known:
        return None
    if code not in held:
        return Cell("—")  # a field this register does not keep
    value = held.get(code)
    if isinstance(value, dt.date):
        value = value.isoformat()
    if code == "idcs" and not captured:
        return Cell(shown(code, value))  # assigned by the register (a registration)
    return Cell(shown(code, value), bool(row) and not same(code, captured, value))
