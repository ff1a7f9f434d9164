"""sijill.intake.counter_views: deposit, receipt (page and PDF) and capture, at the counter."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sijill.intake import counter, workflow
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1, ANNEX_2, REGISTRATION, fassi_family
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
FR = {"Accept-Language": "fr"}


def browser(user: object) -> Client:
    client = Client(headers=FR)
    client.force_login(user)
    return client


def deposited(people: Staff, kind: str = "rnp_registration", annex: str = ANNEX_1) -> Form:
    clerk = people.clerk if annex == ANNEX_1 else people.clerk_b
    form, _ = counter.deposit(
        clerk, kind=kind, channel="counter", annex_code=annex, citizen_id="BK654321"
    )
    return form


def test_a_clerk_deposits_a_form_and_gets_its_receipt(people: Staff) -> None:
    clerk = browser(people.clerk)
    page = clerk.get("/forms/new/").content.decode()
    assert ANNEX_1 in page and ANNEX_2 not in page  # only the annexes of the clerk's scope
    answer = clerk.post(
        "/forms/new/",
        {
            "kind": "amo_request",
            "channel": "counter",
            "annex_code": ANNEX_1,
            "citizen_id": " bk654321 ",
            "request_key": "k1",
        },
    )
    form = Form.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/forms/{form.receipt}/receipt/"
    assert (form.kind, form.status, form.clerk, form.annex_code) == (
        "amo_request",
        "deposited",
        people.clerk,
        ANNEX_1,
    )
    receipt = clerk.get(answer["Location"]).content.decode()
    assert form.receipt in receipt and "Documents à apporter" in receipt
    assert "Décision de la CNSS, dans les 30 jours suivant la transmission" in receipt
    assert "BK654321" not in receipt  # the identifier is never printed back


def test_a_double_submitted_deposit_makes_one_form(people: Staff) -> None:
    clerk = browser(people.clerk)
    data = {"kind": "other", "channel": "counter", "annex_code": ANNEX_1, "citizen_id": "A1"}
    first = clerk.post("/forms/new/", {**data, "request_key": "same"})
    second = clerk.post("/forms/new/", {**data, "request_key": "same"})
    assert first["Location"] == second["Location"] and Form.objects.count() == 1


def test_a_deposit_with_a_malformed_identifier_is_refused_beside_the_field(people: Staff) -> None:
    clerk = browser(people.clerk)
    data = {"kind": "other", "channel": "counter", "annex_code": ANNEX_1, "citizen_id": "12-34"}
    answer = clerk.post("/forms/new/", data)
    assert answer.status_code == 422 and not Form.objects.exists()
    html = answer.content.decode()
    assert re.search(r'id="id_citizen_id_error"[^>]*><li>Une CIN', html)
    assert 'aria-invalid="true"' in html


def test_a_validator_may_not_deposit_nor_capture(people: Staff) -> None:
    form = deposited(people)
    validator = browser(people.validator)
    assert validator.get("/forms/new/").status_code == 403
    assert validator.get(f"/forms/{form.receipt}/capture/").status_code == 403


def test_another_annexs_form_does_not_exist_for_a_clerk(people: Staff) -> None:
    form = deposited(people, annex=ANNEX_2)
    clerk = browser(people.clerk)
    for suffix in ("", "receipt/", "receipt.pdf", "capture/"):
        assert clerk.get(f"/forms/{form.receipt}/{suffix}").status_code == 404, suffix
    assert clerk.post(f"/forms/{form.receipt}/capture/", {}).status_code == 404
    assert clerk.post(f"/forms/{form.receipt}/capture/check/", {}).status_code == 404
    unknown = clerk.get("/forms/AAAA-AAAA-AAAA/receipt/")
    assert unknown.status_code == 404
    theirs = clerk.get(f"/forms/{form.receipt}/receipt/")
    # The same page but for the address the language switch comes back to (and the
    # anti-forgery tokens, masked anew on every page).
    back = re.compile(
        rb'name="next" value="[^"]*"'
        rb'|(?<=csrfmiddlewaretoken" value=")[^"]+|(?<="X-CSRFToken": ")[^"]+'
    )
    assert back.sub(b"", unknown.content) == back.sub(b"", theirs.content)


def registration(**changes: str) -> dict[str, str]:
    person = {**REGISTRATION["person"], **changes}
    return {k: str(v) for k, v in person.items()}


def test_a_capture_with_errors_keeps_the_form_and_shows_them_under_their_fields(
    people: Staff,
) -> None:
    form = deposited(people)
    clerk = browser(people.clerk)
    answer = clerk.post(
        f"/forms/{form.receipt}/capture/",
        registration(first_name_ar="YASSINE", birth_date="2999-01-01"),
    )
    assert answer.status_code == 422
    html = answer.content.decode()
    assert re.search(r'id="id_first_name_ar_error"[^>]*><li>[^<]*lettres arabes', html)
    assert re.search(r'id="id_birth_date_error"[^>]*><li>[^<]*futur', html)
    form.refresh_from_db()
    assert form.status == "deposited" and len(form.violations) == 2
    # Reopened later, the page shows what was typed and what is wrong with it.
    again = clerk.get(f"/forms/{form.receipt}/capture/").content.decode()
    assert 'value="YASSINE"' in again and "lettres arabes" in again


def test_a_fixed_capture_moves_the_form_on(people: Staff) -> None:
    form = deposited(people)
    clerk = browser(people.clerk)
    answer = clerk.post(f"/forms/{form.receipt}/capture/", registration())
    assert answer.status_code == 302 and answer["Location"] == f"/forms/{form.receipt}/"
    form.refresh_from_db()
    assert form.status == "captured" and form.violations == []
    assert form.payload["person"]["first_name_ar"] == "ياسين"
    assert "Saisi" in clerk.get(answer["Location"]).content.decode()


def household_post(members: list[dict[str, object]]) -> dict[str, str]:
    data = {
        "address": "Derb Sidi Bouloukat, Fès",
        "area": "rural",
        "members-TOTAL_FORMS": str(len(members) + 1),
        "members-INITIAL_FORMS": "0",
        "answer_head_education_years": "0",
        "answer_head_employed": "0",
        "answer_rooms_per_person": "0,33",  # a French decimal comma
        "answer_piped_water": "0",
        "answer_electricity": "1",
        "answer_sewer_or_septic": "0",
        "answer_refrigerator": "0",
        "answer_television": "1",
        "answer_car": "0",
        "answer_internet": "0",
        "answer_owns_dwelling": "1",
    }
    for row, member in enumerate(members):
        data |= {f"members-{row}-{key}": str(value) for key, value in member.items()}
    return data  # the last row stays blank, as on the page, and is ignored


def test_a_household_is_captured_member_by_member(registers: Staff) -> None:
    members = fassi_family()
    form = deposited(registers, kind="rsu_declaration")
    clerk = browser(registers.clerk)
    members[2]["relation"] = "spouse"  # a 14-year-old spouse and two spouses
    refused = clerk.post(f"/forms/{form.receipt}/capture/", household_post(members))
    assert refused.status_code == 422
    html = refused.content.decode()
    assert re.search(r'id="id_members-2-birth_date_error"[^>]*><li>Personne 3', html)
    members[2]["relation"] = "child"
    answer = clerk.post(f"/forms/{form.receipt}/capture/", household_post(members))
    assert answer.status_code == 302
    form.refresh_from_db()
    assert form.status == workflow.CAPTURED and len(form.payload["household"]["members"]) == 3
    assert form.payload["household"]["answers"]["rooms_per_person"] == 0.33


def test_add_a_person_keeps_what_was_typed_without_javascript(registers: Staff) -> None:
    form = deposited(registers, kind="rsu_declaration")
    clerk = browser(registers.clerk)
    data = household_post(fassi_family()[:1]) | {"add_row": ""}
    page = clerk.post(f"/forms/{form.receipt}/capture/", data).content.decode()
    assert 'name="members-TOTAL_FORMS" value="3"' in page and "DRISS" in page
    assert Form.objects.get().status == "deposited"


def test_a_changed_field_is_checked_alone_with_htmx(people: Staff) -> None:
    form = deposited(people)
    clerk = browser(people.clerk)
    hx = {"HX-Request": "true", "HX-Trigger-Name": "first_name_ar"}
    wrong = clerk.post(
        f"/forms/{form.receipt}/capture/check/",
        registration(first_name_ar="YASSINE", last_name_lat=""),
        headers=hx,
    )
    html = wrong.content.decode()
    assert html.startswith('<ul class="errors" id="id_first_name_ar_error"')
    assert "lettres arabes" in html and "obligatoire" not in html  # only this field's errors
    right = clerk.post(f"/forms/{form.receipt}/capture/check/", registration(), headers=hx)
    assert "<li>" not in right.content.decode()
    form.refresh_from_db()
    assert form.status == "deposited" and form.payload == {}  # checking saves nothing


def test_the_receipt_pdf_is_shaped_arabic(people: Staff) -> None:
    from tests.apps.documents.test_pdf import arabic_forms, debian_arabic, fonts

    form = deposited(people)
    client = Client(headers={"Accept-Language": "ar"})
    client.force_login(people.clerk)
    answer = client.get(f"/forms/{form.receipt}/receipt.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    assert any(debian_arabic(name) for name in fonts(answer.content))
    assert arabic_forms(answer.content)  # one letter drawn with several glyphs: joined forms


def test_the_clerk_lists_the_forms_to_capture_of_the_annex(people: Staff) -> None:
    mine, other = deposited(people), deposited(people, annex=ANNEX_2)
    html = browser(people.clerk).get("/forms/counter/").content.decode()
    assert mine.receipt in html and other.receipt not in html
    assert "Inscription au Registre national de la population (RNP)" in html
