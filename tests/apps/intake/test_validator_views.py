"""sijill.intake.views: the validator's daily queue, validating and rejecting from it."""

from __future__ import annotations

import pytest
from django.test import Client

from sijill.intake import counter
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1, ANNEX_2, REGISTRATION
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
FR = {"Accept-Language": "fr"}
HX = {**FR, "HX-Request": "true"}


def browser(user: object) -> Client:
    client = Client(headers=FR)
    client.force_login(user)
    return client


def captured(people: Staff, annex: str = ANNEX_1, payload: dict[str, object] | None = None) -> Form:
    clerk = people.clerk if annex == ANNEX_1 else people.clerk_b
    form, _ = counter.deposit(
        clerk, kind="rnp_registration", channel="counter", annex_code=annex, citizen_id="BK1"
    )
    return counter.capture(clerk, form.receipt, payload or REGISTRATION)


def test_validating_from_the_queue_with_htmx_replaces_the_row(people: Staff) -> None:
    form = captured(people)
    validator = browser(people.validator)
    queue = validator.get("/forms/").content.decode()
    assert form.receipt in queue and "Valider" in queue
    row = validator.post(f"/forms/{form.receipt}/validation/", headers=HX)
    html = row.content.decode()
    assert html.startswith(f'<tr id="row-{form.receipt}"') and "</table>" not in html
    assert "Validé. Étape suivante ouverte : récépissé" in html
    form.refresh_from_db()
    assert form.status == "validated"
    assert form.receipt not in validator.get("/forms/").content.decode()


def test_validating_without_javascript_comes_back_to_the_queue(people: Staff) -> None:
    form = captured(people)
    validator = browser(people.validator)
    answer = validator.post(f"/forms/{form.receipt}/validation/", follow=True)
    assert answer.redirect_chain == [("/forms/", 302)]
    assert "Validé." in answer.content.decode()


def test_a_form_broken_by_todays_registers_is_not_validated(registers: Staff) -> None:
    form = captured(registers)
    Form.objects.filter(pk=form.pk).update(
        payload={"person": {**REGISTRATION["person"], "first_name_lat": "ياسين"}}
    )
    validator = browser(registers.validator)
    html = validator.post(f"/forms/{form.receipt}/validation/", headers=HX).content.decode()
    assert "Non validé" in html and "lettres latines" in html
    form.refresh_from_db()
    assert form.status == "captured" and form.violations


def test_a_rejection_needs_its_reason(people: Staff) -> None:
    form = captured(people)
    validator = browser(people.validator)
    empty = validator.post(f"/forms/{form.receipt}/rejection/", {"reason": " "}, headers=HX)
    assert "Indiquez le motif du rejet." in empty.content.decode()
    assert Form.objects.get(pk=form.pk).status == "captured"
    validator.post(f"/forms/{form.receipt}/rejection/", {"reason": "Documents manquants"})
    form.refresh_from_db()
    assert (form.status, form.rejection_reason) == ("rejected", "Documents manquants")


def test_a_clerk_may_not_validate_and_another_annex_sees_nothing(people: Staff) -> None:
    form = captured(people)
    assert browser(people.clerk).post(f"/forms/{form.receipt}/validation/").status_code == 403
    other = browser(people.validator_b)
    assert other.post(f"/forms/{form.receipt}/validation/").status_code == 404
    assert other.post(f"/forms/{form.receipt}/rejection/", {"reason": "x"}).status_code == 404
    assert form.receipt not in other.get("/forms/").content.decode()
    assert Form.objects.get(pk=form.pk).status == "captured"
    assert browser(people.validator).get("/forms/").content.decode().count(form.receipt) >= 1
    assert (
        captured(people, annex=ANNEX_2).receipt
        not in browser(people.validator).get("/forms/").content.decode()
    )


def test_the_menu_follows_the_role(people: Staff) -> None:
    clerk = browser(people.clerk).get("/forms/counter/").content.decode()
    validator = browser(people.validator).get("/forms/").content.decode()
    assert "Déposer un formulaire" in clerk and "File de validation" not in clerk
    assert "File de validation" in validator and "Déposer un formulaire" not in validator


def test_each_role_starts_where_its_work_is(people: Staff) -> None:
    assert browser(people.clerk).get("/forms/start/")["Location"] == "/forms/counter/"
    assert browser(people.validator).get("/forms/start/")["Location"] == "/forms/"
    assert browser(people.supervisor).get("/forms/start/")["Location"] == "/"
