"""sijill.intake.steps: integrated registration, RNP → RSU → AMO, one receipt per step."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from sijill.domain import scoring
from sijill.intake import approval, counter, workflow
from sijill.intake.models import Form
from sijill.registry.models import AmoFile, Household, Person
from tests.apps.backoffice import (
    ANNEX_1,
    REGISTRATION,
    RICH_ANSWERS,
    fassi_family,
    household_payload,
)
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def deposit_and_validate(
    people: Staff, kind: str, payload: Mapping[str, object]
) -> tuple[Form, Form | None]:
    form, _ = counter.deposit(
        people.clerk, kind=kind, channel="counter", annex_code=ANNEX_1, citizen_id="BK654321"
    )
    counter.capture(people.clerk, form.receipt, payload)
    return approval.validate(people.validator, form.receipt)


def test_a_new_rnp_person_opens_an_rsu_step_prefilled_with_them(people: Staff) -> None:
    form, step = deposit_and_validate(people, "rnp_registration", REGISTRATION)
    person = Person.objects.get(idcs=form.register_key)
    assert len(person.idcs) == 10 and person.cin == "BK654321" and person.annex_code == ANNEX_1
    assert step is not None and step.kind == workflow.RSU_DECLARATION
    assert (step.status, step.channel, step.parent_id) == ("deposited", "integrated", form.pk)
    head = step.payload["household"]["members"][0]
    assert (head["idcs"], head["relation"]) == (person.idcs, "head")
    assert step.citizen_cin_key == form.citizen_cin_key and step.citizen_idcs_key


def test_an_eligible_household_opens_the_amo_step(people: Staff) -> None:
    form, step = deposit_and_validate(people, "rsu_declaration", household_payload(fassi_family()))
    household = Household.objects.get(household_id=form.register_key)
    assert scoring.eligible(household.score)
    assert step is not None and step.kind == workflow.AMO_REQUEST
    assert step.payload["household_id"] == household.household_id
    relations = [b["relation"] for b in step.payload["beneficiaries"]]
    assert relations == ["insured", "spouse", "child"]


def test_a_household_above_the_threshold_opens_nothing(people: Staff) -> None:
    form, step = deposit_and_validate(
        people, "rsu_declaration", household_payload(fassi_family(), RICH_ANSWERS)
    )
    assert step is None
    assert not scoring.eligible(Household.objects.get(household_id=form.register_key).score)


def test_the_whole_path_ends_with_an_amo_file_awaiting_transmission(people: Staff) -> None:
    _, amo_step = deposit_and_validate(people, "rsu_declaration", household_payload(fassi_family()))
    assert amo_step is not None
    counter.capture(people.clerk, amo_step.receipt, amo_step.payload)
    amo_form, nothing = approval.validate(people.validator, amo_step.receipt)
    assert nothing is None
    amo_file = AmoFile.objects.get(amo_file_id=amo_form.register_key)
    assert amo_file.status == "validated" and amo_file.beneficiaries.count() == 3
    assert amo_form.status == workflow.VALIDATED
    assert not workflow.is_final(amo_form.kind, amo_form.status)
