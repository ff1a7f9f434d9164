"""sijill.api.status: the public look-up needs no login, tells little, and is rate-limited."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from sijill.intake import counter
from tests.apps.backoffice import ANNEX_1
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def deposited(people: Staff) -> str:
    form, _ = counter.deposit(
        people.clerk,
        kind="amo_request",
        channel="counter",
        annex_code=ANNEX_1,
        citizen_id="BE123456",
    )
    return str(form.receipt)


def test_receipt_and_cin_give_status_next_step_and_deadline_only(people: Staff) -> None:
    receipt = deposited(people)
    response = Client().get(
        f"/api/v1/status/{receipt}?id=BE123456", headers={"Accept-Language": "fr"}
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    assert set(body) == {"status", "status_label", "next_step", "next_step_label", "deadline"}
    assert (body["status"], body["status_label"], body["next_step"]) == (
        "deposited",
        "Déposé",
        "capture",
    )
    assert "BE123456" not in response.content.decode() and ANNEX_1 not in response.content.decode()


def test_a_wrong_identifier_looks_exactly_like_an_unknown_receipt(people: Staff) -> None:
    receipt = deposited(people)
    wrong_id = Client().get(f"/api/v1/status/{receipt}?id=BE999999")
    unknown = Client().get("/api/v1/status/AAAA-AAAA-AAAA?id=BE123456")
    assert wrong_id.status_code == unknown.status_code == 404
    assert wrong_id.content == unknown.content
    assert Client().get(f"/api/v1/status/{receipt}").status_code == 422  # no id at all


def test_lookups_are_rate_limited_per_address(people: Staff) -> None:
    receipt = deposited(people)
    one, other = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    codes = [one.get(f"/api/v1/status/{receipt}?id=BE000000").status_code for _ in range(11)]
    assert codes == [404] * 10 + [429]
    limited = one.get(f"/api/v1/status/{receipt}?id=BE123456")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited["Content-Type"].startswith("application/problem+json")
    assert other.get(f"/api/v1/status/{receipt}?id=BE123456").status_code == 200


def test_labels_speak_arabic_by_default(people: Staff, settings: Settings) -> None:
    settings.LANGUAGE_CODE = "ar"
    receipt = deposited(people)
    body = json.loads(Client().get(f"/api/v1/status/{receipt}?id=BE123456").content)
    assert body["status_label"] == "تم الإيداع"
    assert body["next_step_label"] == "معالجة مطبوعكم بالملحقة الإدارية"
