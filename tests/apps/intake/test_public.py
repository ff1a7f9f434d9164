"""sijill.intake.public: receipt + CIN or IDCS gives status, next step and deadline; no more."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from sijill.intake import approval, cnss, counter, ledger, public
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def test_the_receipt_and_the_cin_find_the_form(people: Staff) -> None:
    form, _ = counter.deposit(
        people.clerk, kind="other", channel="counter", annex_code=ANNEX_1, citizen_id="BE123456"
    )
    assert public.lookup(form.receipt, "be123456 ") == form
    assert public.lookup(form.receipt.lower().replace("-", ""), "BE123456") == form
    assert public.lookup(form.receipt, "BE123457") is None
    assert public.lookup(form.receipt, "") is None
    assert public.lookup("AAAA-AAAA-AAAA", "BE123456") is None


def test_after_a_rotation_of_the_secret_key_a_citizen_still_finds_their_file(
    people: Staff, settings: Any
) -> None:
    """Issue 16, item 6: the look-up hashes have their own key, so that a new
    SIJILL_SECRET_KEY (sessions, CSRF) loses no receipt, on the page as through the API."""
    form, _ = counter.deposit(
        people.clerk, kind="other", channel="counter", annex_code=ANNEX_1, citizen_id="BE123456"
    )
    stored = form.citizen_cin_key
    settings.SECRET_KEY = "a-rotated-secret-key-" + "r" * 50
    assert ledger.citizen_key("BE123456") == stored
    assert public.lookup(form.receipt, "BE123456") == form
    answer = Client().post("/status/", {"receipt": form.receipt, "citizen_id": "BE123456"})
    assert answer.status_code == 200
    assert Client().get(f"/api/v1/status/{form.receipt}?id=BE123456").status_code == 200
    # Only the look-up key decides; that one is not to be rotated lightly (docs/backoffice.md).
    settings.LOOKUP_KEY = "0f" * 32
    assert public.lookup(form.receipt, "BE123456") is None


def test_only_status_next_step_and_deadline_are_told(people: Staff) -> None:
    form, _ = counter.deposit(
        people.clerk, kind="other", channel="counter", annex_code=ANNEX_1, citizen_id="BE123456"
    )
    Form.objects.filter(pk=form.pk).update(
        deposited_at=timezone.make_aware(dt.datetime(2026, 3, 9, 16, 30))
    )
    form.refresh_from_db()
    with translation.override("fr"):
        told = public.status_of(form)
    assert [f.name for f in dataclasses.fields(told)] == [
        "status",
        "status_label",
        "next_step",
        "next_step_label",
        "deadline",
        "decisions",
    ]
    assert told.decisions == ()
    assert (told.status, told.next_step, told.deadline) == (
        "deposited",
        "capture",
        dt.date(2026, 3, 10),
    )
    assert told.next_step_label == "Saisie de votre formulaire à l'annexe"
    with translation.override("ar"):
        assert public.status_of(form).status_label == "تم الإيداع"


def test_a_transmitted_request_shows_the_cnss_deadline(people: Staff) -> None:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    form.refresh_from_db()
    told = public.status_of(form)
    assert told.next_step == "cnss_decision"
    assert told.deadline == timezone.localtime(form.transmitted_at).date() + dt.timedelta(days=30)
    decided = cnss.decide(people.cnss, form.receipt, cnss.ACCEPT)
    assert public.status_of(decided).deadline is None
    assert public.status_of(decided).next_step is None


def test_the_citizen_reads_cnss_decision_on_each_beneficiary_by_first_name_only(
    people: Staff,
) -> None:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    assert public.status_of(Form.objects.get(pk=form.pk)).decisions == ()
    child = next(b for b in cnss.beneficiaries(form) if b.relation == "child")
    aged = cnss.Decision(False, "age_limit", "25 ans")
    decided = cnss.decide(people.cnss, form.receipt, cnss.ACCEPT, {child.beneficiary_id: aged})
    with translation.override("fr"):
        rulings = public.status_of(decided).decisions
    assert [(r.first_name_lat, r.accepted) for r in rulings] == [
        ("DRISS", True),
        ("NEZHA", True),
        ("SALMA", False),
    ]
    refused = rulings[2]
    assert (refused.reason_label, refused.note) == (
        "Enfant au-delà de l'âge limite de couverture",
        "25 ans",
    )
    told = {f for r in rulings for f in dataclasses.asdict(r).values()}
    assert not any(b.idcs in told or b.last_name_lat in told for b in cnss.beneficiaries(form))


def test_an_integrated_step_is_found_with_the_identifier_given_at_the_first_counter(
    people: Staff,
) -> None:
    from tests.apps.backoffice import REGISTRATION

    form, _ = counter.deposit(
        people.clerk,
        kind="rnp_registration",
        channel="counter",
        annex_code=ANNEX_1,
        citizen_id="BK654321",
    )
    counter.capture(people.clerk, form.receipt, REGISTRATION)
    validated, step = approval.validate(people.validator, form.receipt)
    assert step is not None
    assert public.lookup(step.receipt, "BK654321") == step
    assert public.lookup(step.receipt, str(validated.register_key)) == step
