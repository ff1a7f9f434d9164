"""The gates of a form, fed with what the registers hold about the people it names.

`check(form)` returns every violation of the domain rules (sijill.domain.rules) for the
form's kind, plus the score it would give an RSU household, computed with the current
scoring formula from the captured answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sijill.domain import rules, scoring
from sijill.domain.rules import PersonRow, Registered, Violation
from sijill.intake import drafts, workflow
from sijill.intake.models import Form
from sijill.registry.models import Household, Member, Person

CHILD_AGE = 15  # the formula's children_share counts members under this age
# Answers the back office derives from the member list instead of asking for them.
DERIVED = ("household_size", "children_share")


@dataclass(frozen=True, slots=True)
class Verdict:
    violations: list[Violation]
    score: scoring.Score | None = None


def check(form: Form) -> Verdict:
    today = timezone.localdate()
    payload: Mapping[str, Any] = form.payload if isinstance(form.payload, Mapping) else {}
    if form.kind == workflow.RNP_REGISTRATION:
        return Verdict(_registration(payload, today))
    if form.kind in (workflow.RSU_DECLARATION, workflow.RSU_UPDATE):
        return _household(payload, today, updating=form.kind == workflow.RSU_UPDATE)
    if form.kind == workflow.AMO_REQUEST:
        return Verdict(_amo(payload, today))
    return Verdict([])


def _registration(payload: Mapping[str, Any], today: dt.date) -> list[Violation]:
    body = drafts.section(payload, "person")
    found = rules.registration_gate(drafts.person(body), today)
    if not str(drafts.section(payload, "person").get("address") or "").strip():
        found.append(Violation("required", "address"))
    return found


def _household(payload: Mapping[str, Any], today: dt.date, updating: bool) -> Verdict:
    body = drafts.section(payload, "household")
    members = drafts.people(body.get("members"))
    household_id = str(payload.get("household_id") or "") or None
    found: list[Violation] = []
    if updating and not Household.objects.filter(household_id=household_id).exists():
        found.append(Violation("household_unknown", "household_id"))
    ids = [m.idcs for m in members if m.idcs]
    found += rules.household_gate(members, today, _rnp(ids), _households_of(ids), household_id)
    if not str(body.get("address") or "").strip():
        found.append(Violation("required", "address"))
    score, problems = _score(body, members, today)
    return Verdict(found + problems, score)


def _rnp(ids: Sequence[str]) -> dict[str, Registered]:
    rows = Person.objects.filter(idcs__in=ids).values_list(
        "idcs", "first_name_ar", "last_name_ar", "sex", "birth_date", "deceased"
    )
    return {row[0]: Registered(*row) for row in rows}


def _households_of(ids: Sequence[str]) -> dict[str, str]:
    rows = Member.objects.filter(idcs__in=ids).values_list("idcs", "household__household_id")
    return {idcs: household for idcs, household in rows}


def derived_answers(members: Sequence[PersonRow], today: dt.date) -> dict[str, float]:
    children = sum(
        1 for m in members if m.birth_date and rules.age(m.birth_date, today) < CHILD_AGE
    )
    size = max(len(members), 1)
    return {"household_size": float(size), "children_share": children / size}


def _score(
    body: Mapping[str, Any], members: Sequence[PersonRow], today: dt.date
) -> tuple[scoring.Score | None, list[Violation]]:
    area = str(body.get("area") or "")
    answers = {**drafts.answers(body.get("answers")), **derived_answers(members, today)}
    # Every problem at once: a missing area does not hide the missing answers.
    missing = [_answer(v) for v in scoring.variables() if not _answered(v, answers)]
    if area not in scoring.AREAS:
        allowed = (("allowed", ", ".join(scoring.AREAS)),)
        return None, [Violation("choice", "area", None, allowed), *missing]
    try:
        return scoring.score(answers, area), []
    except scoring.InvalidAnswers:
        return None, missing


def _answered(variable: scoring.Variable, answers: Mapping[str, float]) -> bool:
    value = answers.get(variable.name)
    return value is not None and variable.minimum <= value <= variable.maximum


def _answer(variable: scoring.Variable) -> Violation:
    return Violation("answer", "score", None, (("variable", variable.label),))


def _amo(payload: Mapping[str, Any], today: dt.date) -> list[Violation]:
    """The AMO gate, and every beneficiary checked as a person of any form (names in their
    script — no Arabic letter in a Latin name —, sex, birth date): all problems at once,
    even when the household is unknown."""
    beneficiaries = drafts.people(payload.get("beneficiaries"))
    household = household_facts(str(payload.get("household_id") or ""))
    found = rules.amo_gate(beneficiaries, household, scoring.threshold("amo_tadamon"))
    for row, beneficiary in enumerate(beneficiaries, start=1):
        if household is None:
            found += _identified(beneficiary, row)
        found += rules.person_gate(beneficiary, today, row)
    return found


def _identified(beneficiary: PersonRow, row: int) -> list[Violation]:
    """What the AMO gate checks of a row before comparing it with its household."""
    found = []
    if not beneficiary.idcs:
        found.append(Violation("required", "idcs", row))
    elif not rules.IDCS.fullmatch(beneficiary.idcs):
        found.append(Violation("idcs_format", "idcs", row))
    if beneficiary.relation not in rules.AMO_RELATIONS:
        allowed = (("allowed", ", ".join(rules.AMO_RELATIONS)),)
        found.append(Violation("choice", "relation", row, allowed))
    return found


def household_facts(household_id: str) -> rules.Household | None:
    household = Household.objects.filter(household_id=household_id).first()
    if household is None:
        return None
    members = tuple(
        PersonRow(
            m.first_name_ar,
            m.last_name_ar,
            m.first_name_lat,
            m.last_name_lat,
            m.sex,
            m.birth_date,
            m.idcs,
            m.relation,
        )
        for m in household.members.order_by("member_id")
    )
    return rules.Household(household.household_id, household.score, members)
