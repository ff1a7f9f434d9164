"""Validation gates: the rules a form must pass before a register changes, as data.

Each rule has a code and a message that names the field concerned: both the message and
the field's words are message ids of the gettext catalogues (English source texts, marked
with `_` for their extraction); a violation is a `Message`, put into a language only where
it is shown.
A gate returns every violation it finds (a clerk fixes a form once, not once per error),
never raises on bad input, and needs no database: the caller passes what the registers
hold about the people concerned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sijill.domain import contract, vocabulary
from sijill.domain.message import Message
from sijill.domain.names import name_key
from sijill.domain.vocabulary import words as _

# The contract's formats and enumerations: what a form accepts, its registers accept.
IDCS = re.compile(contract.IDCS_PATTERN)
CIN = re.compile(contract.CIN_PATTERN)
ISO3 = re.compile(contract.ISO3_PATTERN)
SEXES = contract.SEXES
RSU_RELATIONS = contract.RSU_RELATIONS
AMO_RELATIONS = contract.AMO_RELATIONS
# The AMO relation each RSU relation becomes in an enrollment file.
AMO_RELATION_OF = {"head": "insured", "spouse": "spouse", "child": "child"}

OLDEST_BIRTH = dt.date(1900, 1, 1)
ADULT = 18  # head and spouse (Family Code, art. 19)
GENERATION = 12  # minimum age gap between a parent and a child
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ' \-]*")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    text: str  # message id: `{field}` is the field's words, other braces the violation's params
    worded: tuple[str, ...] = ()  # params that are message ids, translated before filling in


# Field labels, as the counter forms print them: the vocabulary's words of each field.
FIELDS: dict[str, str] = {code: term.words for code, term in vocabulary.FIELDS.items()}

_RULES = (
    Rule("required", _("The field “{field}” is required.")),
    Rule("idcs_format", _("The field “{field}” must have exactly 10 digits.")),
    Rule(
        "cin_format",
        _("The field “{field}”: one or two capital letters followed by 1 to 6 digits."),
    ),
    Rule("iso3_format", _("The field “{field}”: a code of 3 capital letters (MAR for Moroccans).")),
    Rule("choice", _("Value of the field “{field}” not accepted; possible values: {allowed}.")),
    Rule("arabic_script", _("The field “{field}” must be written in Arabic letters.")),
    Rule("latin_script", _("The field “{field}” must be written in Latin letters, as on the CIN.")),
    Rule("date_future", _("The field “{field}” cannot be in the future.")),
    Rule("date_too_old", _("The field “{field}” is before 1900.")),
    Rule("no_members", _("The field “{field}” must list at least one person.")),
    Rule(
        "one_head",
        _(
            "Field “{field}”: the household must have exactly one head of household "
            "({count} found)."
        ),
    ),
    Rule(
        "one_insured",
        _("Field “{field}”: the file must have exactly one main insured person ({count})."),
    ),
    Rule(
        "adult",
        _(
            "Field “{field}”: the head of household and the spouse must be at "
            "least {years} years old."
        ),
    ),
    Rule(
        "younger_than_head",
        _(
            "Field “{field}”: this person must be at least {years} years younger "
            "than the head of household."
        ),
    ),
    Rule(
        "older_than_head",
        _(
            "Field “{field}”: a parent must be at least {years} years older than "
            "the head of household."
        ),
    ),
    Rule("duplicate_person", _("Field “{field}”: this person is listed twice.")),
    Rule(
        "not_in_rnp",
        _("Field “{field}”: this person is not in the RNP and must be registered there first."),
    ),
    Rule("deceased", _("Field “{field}”: this person is deceased according to the RNP.")),
    Rule("differs_from_rnp", _("The field “{field}” differs from what the RNP holds.")),
    Rule(
        "in_other_household",
        _("Field “{field}”: this person already belongs to another RSU household."),
    ),
    Rule("household_unknown", _("Field “{field}”: this household does not exist in the RSU.")),
    Rule(
        "above_threshold",
        _("The field “{field}” ({score}) is above the eligibility threshold ({threshold})."),
    ),
    Rule(
        "not_a_member",
        _("Field “{field}”: this beneficiary is not a member of the household in the RSU."),
    ),
    Rule(
        "member_missing",
        _("Field “{field}”: a member of the household is missing from the beneficiaries."),
    ),
    Rule(
        "answer",
        _("Field “{field}”: the answer “{variable}” is missing or outside the accepted bounds."),
        ("variable",),
    ),
    Rule("differs_from_rsu", _("The field “{field}” differs from what was declared to the RSU.")),
)
RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
# A violation of one member or beneficiary: `{problem}` is the rule's message.
IN_ROW = _("Person {row}: {problem}")


def message_ids() -> Iterator[str]:
    """Every message id of the rules (its test checks that each catalogue has them)."""
    yield from FIELDS.values()
    yield from (rule.text for rule in _RULES)
    yield IN_ROW


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    field: str
    row: int | None = None  # 1-based position among members/beneficiaries
    params: tuple[tuple[str, str], ...] = ()

    def as_message(self) -> Message:
        """What the clerk reads, in no language yet: the rule's text with the field's words
        (and any worded param) as messages of their own, in the row's words if any."""
        rule = RULES[self.rule]
        params = {k: Message(v) if k in rule.worded else v for k, v in self.params}
        problem = Message(rule.text, {"field": Message(FIELDS[self.field]), **params})
        if self.row is None:
            return problem
        return Message(IN_ROW, {"row": self.row, "problem": problem})

    def as_dict(self) -> dict[str, object]:
        """The violation as data, in no language: the form keeps it, pages render it."""
        return {
            "rule": self.rule,
            "field": self.field,
            "row": self.row,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Violation:
        """The violation `as_dict` gave (read back from a form's saved violations)."""
        row = data.get("row")
        params = data.get("params") or {}
        return cls(
            str(data["rule"]),
            str(data["field"]),
            row if isinstance(row, int) else None,
            tuple((str(k), str(v)) for k, v in params.items()),
        )


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person as written on a form: an RNP registration, an RSU member, an AMO beneficiary."""

    first_name_ar: str = ""
    last_name_ar: str = ""
    first_name_lat: str = ""
    last_name_lat: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    idcs: str | None = None
    relation: str = ""
    cin: str | None = None
    nationality: str = "MAR"


@dataclass(frozen=True, slots=True)
class Registered:
    """What the RNP holds about a person, for comparison with a form."""

    idcs: str
    first_name_ar: str
    last_name_ar: str
    sex: str
    birth_date: dt.date
    deceased: bool = False


@dataclass(frozen=True, slots=True)
class Household:
    """What the RSU holds about a household, for an AMO request."""

    household_id: str
    score: float
    members: tuple[PersonRow, ...]


def age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- one person ------------------------------------------------------------------------


def person_gate(person: PersonRow, today: dt.date, row: int | None = None) -> list[Violation]:
    """Names, sex and birth date of anyone on any form."""
    found = _names(person, row)
    if person.sex not in SEXES:
        found.append(_choice("sex", SEXES, row))
    found += _birth_date(person.birth_date, today, row)
    return found


def registration_gate(person: PersonRow, today: dt.date) -> list[Violation]:
    """An RNP registration: the person, plus CIN and nationality (the IDCS is assigned)."""
    found = person_gate(person, today)
    if person.cin is not None and not CIN.fullmatch(person.cin):
        found.append(Violation("cin_format", "cin"))
    if not ISO3.fullmatch(person.nationality or ""):
        found.append(Violation("iso3_format", "nationality"))
    return found


def _names(person: PersonRow, row: int | None) -> list[Violation]:
    found: list[Violation] = []
    for field in ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat"):
        value = (getattr(person, field) or "").strip()
        if not value:
            found.append(Violation("required", field, row))
        elif field.endswith("_ar") and not _is_arabic(value):
            found.append(Violation("arabic_script", field, row))
        elif field.endswith("_lat") and not _LATIN_NAME.fullmatch(value):
            found.append(Violation("latin_script", field, row))
    return found


def _is_arabic(value: str) -> bool:
    return bool(_ARABIC_LETTER.search(value)) and not re.search(r"[A-Za-z]", value)


def _birth_date(birth: dt.date | None, today: dt.date, row: int | None) -> list[Violation]:
    if birth is None:
        return [Violation("required", "birth_date", row)]
    if birth > today:
        return [Violation("date_future", "birth_date", row)]
    if birth < OLDEST_BIRTH:
        return [Violation("date_too_old", "birth_date", row)]
    return []


def _choice(field: str, allowed: Sequence[str], row: int | None) -> Violation:
    return Violation("choice", field, row, (("allowed", ", ".join(allowed)),))


def _idcs(idcs: str | None, row: int | None) -> list[Violation]:
    if not idcs:
        return [Violation("required", "idcs", row)]
    if not IDCS.fullmatch(idcs):
        return [Violation("idcs_format", "idcs", row)]
    return []


# --- an RSU household -------------------------------------------------------------------


def household_gate(
    members: Sequence[PersonRow],
    today: dt.date,
    rnp: Mapping[str, Registered],
    household_of: Mapping[str, str],
    household_id: str | None = None,
) -> list[Violation]:
    """An RSU declaration or update.

    `rnp` holds the RNP rows of the members' identifiers; `household_of` maps identifiers to
    the household they belong to today; `household_id` is the household being updated.
    """
    if not members:
        return [Violation("no_members", "members")]
    found: list[Violation] = []
    seen: set[str] = set()
    for row, member in enumerate(members, start=1):
        found += person_gate(member, today, row)
        found += _member(member, row, rnp, household_of, household_id)
        if member.idcs and member.idcs in seen:
            found.append(Violation("duplicate_person", "idcs", row))
        seen.add(member.idcs or "")
    heads = [m for m in members if m.relation == "head"]
    if len(heads) != 1:
        found.append(Violation("one_head", "relation", None, (("count", str(len(heads))),)))
    elif _dated(heads[0], today):
        found += _ages(members, heads[0], today)
    return found


def _member(
    member: PersonRow,
    row: int,
    rnp: Mapping[str, Registered],
    household_of: Mapping[str, str],
    household_id: str | None,
) -> list[Violation]:
    found = _idcs(member.idcs, row)
    if member.relation not in RSU_RELATIONS:
        found.append(_choice("relation", RSU_RELATIONS, row))
    if found or member.idcs is None:
        return found
    registered = rnp.get(member.idcs)
    if registered is None:
        return [Violation("not_in_rnp", "idcs", row)]
    if registered.deceased:
        found.append(Violation("deceased", "idcs", row))
    found += [Violation("differs_from_rnp", f, row) for f in _differences(member, registered)]
    other = household_of.get(member.idcs)
    if other is not None and other != household_id:
        found.append(Violation("in_other_household", "idcs", row))
    return found


def _differences(row: PersonRow, other: Registered | PersonRow) -> list[str]:
    """Fields where two records of one person disagree (the contract's *field mismatch*)."""
    fields = []
    if name_key(row.first_name_ar, row.last_name_ar) != name_key(
        other.first_name_ar, other.last_name_ar
    ):
        fields.append("name_ar")
    if row.sex != other.sex:
        fields.append("sex")
    if row.birth_date != other.birth_date:
        fields.append("birth_date")
    return fields


def _dated(person: PersonRow, today: dt.date) -> bool:
    return person.birth_date is not None and OLDEST_BIRTH <= person.birth_date <= today


def _ages(members: Sequence[PersonRow], head: PersonRow, today: dt.date) -> list[Violation]:
    assert head.birth_date is not None
    head_age = age(head.birth_date, today)
    found: list[Violation] = []
    for row, member in enumerate(members, start=1):
        if not _dated(member, today) or member.birth_date is None:
            continue
        gap = head_age - age(member.birth_date, today)
        problem = _age_problem(member.relation, age(member.birth_date, today), gap)
        if problem:
            found.append(Violation(problem[0], "birth_date", row, (("years", str(problem[1])),)))
    return found


def _age_problem(relation: str, member_age: int, gap: int) -> tuple[str, int] | None:
    if relation in ("head", "spouse") and member_age < ADULT:
        return ("adult", ADULT)
    if relation == "child" and gap < GENERATION:
        return ("younger_than_head", GENERATION)
    if relation == "grandchild" and gap < 2 * GENERATION:
        return ("younger_than_head", 2 * GENERATION)
    if relation == "parent" and -gap < GENERATION:
        return ("older_than_head", GENERATION)
    return None


# --- an AMO Tadamon request -------------------------------------------------------------


def amo_gate(
    beneficiaries: Sequence[PersonRow], household: Household | None, threshold: float
) -> list[Violation]:
    """An AMO request: the beneficiaries are the RSU household, as declared, and it qualifies."""
    if household is None:
        return [Violation("household_unknown", "household_id")]
    found: list[Violation] = []
    if household.score > threshold:
        params = (("score", f"{household.score:g}"), ("threshold", f"{threshold:g}"))
        found.append(Violation("above_threshold", "score", None, params))
    if not beneficiaries:
        return [*found, Violation("no_members", "beneficiaries")]
    insured = sum(1 for b in beneficiaries if b.relation == "insured")
    if insured != 1:
        found.append(Violation("one_insured", "relation", None, (("count", str(insured)),)))
    members = {m.idcs: m for m in household.members if m.idcs}
    for row, beneficiary in enumerate(beneficiaries, start=1):
        found += _beneficiary(beneficiary, row, members)
    listed = {b.idcs for b in beneficiaries}
    for row, member in enumerate(household.members, start=1):
        if member.idcs not in listed:
            found.append(Violation("member_missing", "members", row))
    return found


def _beneficiary(
    beneficiary: PersonRow, row: int, members: Mapping[str, PersonRow]
) -> list[Violation]:
    found = _idcs(beneficiary.idcs, row)
    if beneficiary.relation not in AMO_RELATIONS:
        found.append(_choice("relation", AMO_RELATIONS, row))
    if found or beneficiary.idcs is None:
        return found
    member = members.get(beneficiary.idcs)
    if member is None:
        return [Violation("not_a_member", "idcs", row)]
    found += [Violation("differs_from_rsu", f, row) for f in _differences(beneficiary, member)]
    if beneficiary.relation != AMO_RELATION_OF.get(member.relation, "other"):
        found.append(Violation("differs_from_rsu", "relation", row))
    return found
