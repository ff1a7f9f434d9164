"""sijill.intake.counter: a receipt at once on deposit; capture only through the gates."""

from __future__ import annotations

from typing import Any

import pytest

from sijill.accounts.access import NotAllowed, NotVisible
from sijill.audit.models import Entry
from sijill.intake import counter, workflow
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form
from sijill.intake.public import lookup as public_lookup
from tests.apps.backoffice import ANNEX_1, ANNEX_2, COMMUNE, fassi_family, household_payload
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def test_a_deposit_gets_a_receipt_at_once(people: Staff) -> None:
    form, created = counter.deposit(
        people.clerk,
        kind="rsu_declaration",
        channel="counter",
        annex_code=ANNEX_1,
        citizen_id="BE123456",
    )
    assert created and form.status == workflow.DEPOSITED and form.deposited_at
    assert len(form.receipt) == 14 and form.clerk == people.clerk
    assert form.citizen_cin_key and "BE123456" not in form.citizen_cin_key
    assert Entry.objects.filter(target="intake.form", action="deposit").count() == 1


def test_a_retried_deposit_returns_the_first_receipt(people: Staff) -> None:
    args: dict[str, Any] = {"kind": "amo_request", "channel": "counter", "annex_code": ANNEX_1}
    first, created = counter.deposit(people.clerk, idempotency_key="k-1", **args)
    again, created_again = counter.deposit(people.clerk, idempotency_key="k-1", **args)
    assert created and not created_again and again.receipt == first.receipt
    other, _ = counter.deposit(people.supervisor, idempotency_key="k-1", **args)
    assert other.receipt != first.receipt  # keys belong to one clerk
    with pytest.raises(NotPossible):
        counter.deposit(people.clerk, idempotency_key="k-1", **{**args, "kind": "other"})
    assert Form.objects.count() == 2


def test_deposits_stay_within_the_clerks_territory(people: Staff) -> None:
    with pytest.raises(NotVisible):
        counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_2)
    with pytest.raises(NotVisible):  # a commune is no counter
        counter.deposit(people.supervisor, kind="other", channel="counter", annex_code=COMMUNE)
    with pytest.raises(NotAllowed):
        counter.deposit(people.cnss, kind="other", channel="counter", annex_code=ANNEX_1)
    form, _ = counter.deposit(people.supervisor, kind="other", channel="online", annex_code=ANNEX_2)
    assert form.annex_code == ANNEX_2


def test_a_capture_that_breaks_rules_is_kept_with_its_reasons(people: Staff) -> None:
    members = fassi_family()
    form, _ = counter.deposit(
        people.clerk, kind="rsu_declaration", channel="counter", annex_code=ANNEX_1
    )
    members[2] = {**members[2], "birth_date": "1969-01-01"}  # a daughter older than her father
    with pytest.raises(GateFailed) as raised:
        counter.capture(people.clerk, form.receipt, household_payload(members))
    assert {(v.rule, v.field, v.row) for v in raised.value.violations} == {
        ("differs_from_rnp", "birth_date", 3),
        ("younger_than_head", "birth_date", 3),
    }
    form.refresh_from_db()
    assert form.status == workflow.DEPOSITED
    # Kept as data, in no language: each page renders it in its reader's.
    assert {
        "rule": "younger_than_head",
        "field": "birth_date",
        "row": 3,
        "params": {"years": "12"},
    } in form.violations
    assert form.payload["household"]["members"][2]["birth_date"] == "1969-01-01"


def test_a_clean_capture_moves_the_form_on(people: Staff) -> None:
    form, _ = counter.deposit(
        people.clerk, kind="rsu_declaration", channel="counter", annex_code=ANNEX_1
    )
    captured = counter.capture(people.clerk, form.receipt, household_payload(fassi_family()))
    assert captured.status == workflow.CAPTURED and captured.captured_at
    assert captured.violations == []


def test_a_form_of_another_annex_cannot_be_captured(people: Staff) -> None:
    form, _ = counter.deposit(people.clerk_b, kind="other", channel="counter", annex_code=ANNEX_2)
    with pytest.raises(NotVisible):
        counter.capture(people.clerk, form.receipt, {})


def test_an_amo_request_from_an_rsu_household_is_captured_as_the_rsu_holds_it(
    registers: Staff,
) -> None:
    form = counter.request_amo(registers.clerk, ANNEX_1, "H001")
    assert (form.kind, form.status, form.violations) == ("amo_request", "captured", [])
    assert form.payload["household_id"] == "H001"
    people = form.payload["beneficiaries"]
    assert [p["relation"] for p in people] == ["insured", "spouse", "child"]
    assert public_lookup(form.receipt, people[0]["idcs"]) == form
    with pytest.raises(NotVisible):
        counter.request_amo(registers.clerk, ANNEX_1, "H-NONE")
