"""sijill.intake.gates: the domain gates fed with what the registers hold."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from sijill.domain import scoring
from sijill.intake import gates
from sijill.intake.models import Form
from tests.apps.backoffice import (
    ANNEX_1,
    POOR_ANSWERS,
    REGISTRATION,
    fassi_family,
    household_payload,
    person_payload,
)
from tests.conftest import Staff
from tests.domain.test_rules import said

pytestmark = pytest.mark.django_db


def verdict(kind: str, payload: Mapping[str, object]) -> gates.Verdict:
    return gates.check(Form(kind=kind, payload=payload, annex_code=ANNEX_1))


def rules_of(found: gates.Verdict) -> set[tuple[str, str, int | None]]:
    return {(v.rule, v.field, v.row) for v in found.violations}


def test_a_declaration_gets_its_score_from_the_answers_and_the_members(people: Staff) -> None:
    found = verdict("rsu_declaration", household_payload(fassi_family()))
    assert found.violations == [] and found.score is not None
    answers = {**POOR_ANSWERS, "household_size": 3.0, "children_share": 1 / 3}
    assert found.score.value == scoring.score(answers, "rural").value


def test_missing_answers_are_named_in_both_languages(people: Staff) -> None:
    answers = {k: v for k, v in POOR_ANSWERS.items() if k != "refrigerator"}
    found = verdict("rsu_declaration", household_payload(fassi_family(), answers))
    assert rules_of(found) == {("answer", "score", None)}
    assert "« réfrigérateur »" in said(found.violations[0], "fr")
    assert "«ثلاجة»" in said(found.violations[0], "ar")
    assert found.score is None


def test_members_already_in_an_rsu_household_are_refused(registers: Staff) -> None:
    members = [person_payload("0012345674", "head"), person_payload("0012345682", "spouse")]
    found = verdict("rsu_declaration", household_payload(members))
    assert rules_of(found) == {("in_other_household", "idcs", 1), ("in_other_household", "idcs", 2)}
    update = {"household_id": "H001", **household_payload(members)}
    assert rules_of(verdict("rsu_update", update)) == set()
    assert rules_of(verdict("rsu_update", {**update, "household_id": "H404"})) == {
        ("household_unknown", "household_id", None),
        ("in_other_household", "idcs", 1),
        ("in_other_household", "idcs", 2),
    }


def test_an_amo_request_is_checked_against_the_rsu_household(registers: Staff) -> None:
    h001 = [
        {**person_payload("0012345674", "insured")},
        {**person_payload("0012345682", "spouse")},
        {**person_payload("0098765432", "child")},
    ]
    assert (
        rules_of(verdict("amo_request", {"household_id": "H001", "beneficiaries": h001})) == set()
    )
    h002 = [person_payload("0000000017", "insured")]
    assert rules_of(verdict("amo_request", {"household_id": "H002", "beneficiaries": h002})) == {
        ("above_threshold", "score", None)
    }
    assert rules_of(
        verdict("amo_request", {"household_id": "H001", "beneficiaries": h001[:2]})
    ) == {("member_missing", "members", 3)}


def test_a_registration_needs_an_address(people: Staff) -> None:
    assert verdict("rnp_registration", REGISTRATION).violations == []
    for blank in ("", "   ", "\t"):
        person = {**REGISTRATION["person"], "address": blank}
        assert rules_of(verdict("rnp_registration", {"person": person})) == {
            ("required", "address", None)
        }
    assert rules_of(verdict("other", {})) == set()
