"""sijill.intake.citizen: /status/ without login, telling nothing about anyone else."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sijill.intake import counter
from tests.apps.backoffice import ANNEX_1
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
FR = {"Accept-Language": "fr"}
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')
# What was typed is given back after a miss, to be corrected: masked for the comparison.
_TYPED = re.compile(rb'(name="(?:receipt|citizen_id)"[^>]*? value=")[^"]*"')


def deposited(people: Staff, kind: str = "amo_request") -> str:
    form, _ = counter.deposit(
        people.clerk, kind=kind, channel="counter", annex_code=ANNEX_1, citizen_id="BE123456"
    )
    return str(form.receipt)


def look_up(client: Client, receipt: str, citizen_id: str) -> tuple[int, bytes]:
    answer = client.post("/status/", {"receipt": receipt, "citizen_id": citizen_id})
    # Anti-forgery tokens are masked anew on every page; nothing else may differ.
    return answer.status_code, _TOKEN.sub(rb"\1TOKEN", answer.content)


def test_the_page_needs_no_login_and_labels_its_fields(people: Staff) -> None:
    html = Client(headers=FR).get("/status/").content.decode()
    assert '<label for="id_receipt">Numéro du récépissé</label>' in html
    assert '<label for="id_citizen_id">Votre CIN ou IDCS</label>' in html


def test_receipt_and_cin_give_status_next_step_deadline_and_what_to_bring(
    people: Staff,
) -> None:
    receipt = deposited(people)
    status, html = look_up(Client(headers=FR), receipt.lower(), "be123456")
    text = html.decode()
    assert status == 200
    assert "Déposé" in text and "Saisie de votre formulaire" in text
    assert "Au plus tard le" in text and "La CIN de l&#x27;assuré" in text
    assert "BE123456" not in text.upper() and ANNEX_1 not in text
    assert receipt not in text  # the typed values are not echoed back


def test_a_wrong_identifier_looks_exactly_like_an_unknown_receipt(people: Staff) -> None:
    receipt = deposited(people)
    other = deposited(people)
    client = Client(headers=FR)
    wrong_id = look_up(client, receipt, "BE999999")
    unknown = look_up(client, "AAAA-AAAA-AAAA", "BE123456")
    malformed = look_up(client, "not a receipt", "BE123456")
    someone_else = look_up(client, other, "BE000001")
    assert wrong_id[0] == unknown[0] == malformed[0] == someone_else[0] == 404
    pages = [
        _TYPED.sub(rb"\1TYPED", page) for _, page in (wrong_id, unknown, malformed, someone_else)
    ]
    assert pages[0] == pages[1] == pages[2] == pages[3]
    assert b"Aucun dossier ne correspond" in wrong_id[1]


def test_after_a_miss_what_was_typed_stays_and_spaces_and_eastern_digits_are_forgiven(
    people: Staff,
) -> None:
    receipt = deposited(people)
    status, html = look_up(Client(headers=FR), receipt, "BE 999 999")
    assert status == 404 and 'value="BE 999 999"' in html.decode()  # kept, to be corrected
    spaced = " ".join(receipt.replace("-", ""))  # every character apart
    assert look_up(Client(headers=FR), spaced, " be ١٢٣ ٤٥٦ ")[0] == 200


def test_look_ups_share_the_apis_limit_per_address(people: Staff) -> None:
    receipt = deposited(people)
    one, other = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(5):
        assert one.get(f"/api/v1/status/{receipt}?id=BE000000").status_code == 404
    codes = [look_up(one, receipt, "BE000000")[0] for _ in range(6)]
    assert codes == [404] * 5 + [429]
    limited = one.post("/status/", {"receipt": receipt, "citizen_id": "BE123456"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert look_up(other, receipt, "BE123456")[0] == 200


def test_the_steps_page_explains_rnp_rsu_and_amo(people: Staff) -> None:
    html = Client(headers=FR).get("/status/steps/").content.decode()
    for title in (
        "Inscription au Registre national de la population (RNP)",
        "Déclaration du ménage au Registre social unifié (RSU)",
        "Demande d&#x27;assurance maladie AMO Tadamon",
    ):
        assert title in html
    assert html.count("Documents à apporter") == 3
    arabic = Client().get("/status/steps/").content.decode()
    assert 'dir="rtl"' in arabic and "السجل الاجتماعي الموحد" in arabic
