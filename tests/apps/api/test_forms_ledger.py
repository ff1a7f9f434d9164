"""sijill.api.forms_ledger: the ledger over HTTP, with bearer tokens and problem+json errors."""

from __future__ import annotations

import io
import json
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.test import Client

from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1, ANNEX_2, bearer, fassi_family, household_payload
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json; charset=utf-8"


class Api:
    """A client speaking to /api/v1 as one user."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.client, self.headers = Client(), headers

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        send = getattr(self.client, method)
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        response = send(f"/api/v1{path}", **kwargs)
        return response.status_code, json.loads(response.content or b"null")


def as_user(people: Staff, name: str) -> Api:
    return Api(bearer(getattr(people, name)))


def test_a_deposit_returns_the_receipt_and_a_retry_returns_the_same(people: Staff) -> None:
    clerk = as_user(people, "clerk")
    body = {"kind": "rsu_declaration", "annex_code": ANNEX_1, "citizen_id": "BE123456"}
    status, form = clerk.call("post", "/forms", body, **{"Idempotency-Key": "a1"})
    assert status == 201 and form["status"] == "deposited" and form["next_step"] == "capture"
    again_status, again = clerk.call("post", "/forms", body, **{"Idempotency-Key": "a1"})
    assert (again_status, again["receipt"]) == (200, form["receipt"])
    assert Form.objects.count() == 1
    other_status, other = clerk.call("post", "/forms", body)
    assert other_status == 201 and other["receipt"] != form["receipt"]


def test_capture_validation_and_the_opened_step_over_http(people: Staff) -> None:
    clerk, validator = as_user(people, "clerk"), as_user(people, "validator")
    _, form = clerk.call("post", "/forms", {"kind": "rsu_declaration", "annex_code": ANNEX_1})
    payload = household_payload(fassi_family())
    status, captured = clerk.call("put", f"/forms/{form['receipt']}/payload", {"payload": payload})
    assert status == 200 and captured["status"] == "captured"
    status, done = validator.call("post", f"/forms/{form['receipt']}/validation")
    assert status == 200 and done["form"]["status"] == "validated"
    assert done["opened"]["kind"] == "amo_request"
    assert done["opened"]["parent"] == form["receipt"]


def test_broken_rules_come_back_as_a_problem_listing_each_in_both_languages(
    people: Staff,
) -> None:
    clerk = as_user(people, "clerk")
    _, form = clerk.call("post", "/forms", {"kind": "rsu_declaration", "annex_code": ANNEX_1})
    members = fassi_family()
    del members[0]  # no head any more
    response = clerk.client.put(
        f"/api/v1/forms/{form['receipt']}/payload",
        data=json.dumps({"payload": household_payload(members)}),
        content_type="application/json",
        headers={**clerk.headers, "Accept-Language": "fr"},
    )
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    problem = json.loads(response.content)
    assert problem["type"].endswith("/rules") and problem["status"] == 422
    assert problem["title"] == "Règles de validation non respectées"
    assert [v["rule"] for v in problem["violations"]] == ["one_head"]
    head = problem["violations"][0]
    assert head["params"] == {"count": "0"} and head["row"] is None
    # Every catalogue language, whatever the caller's: a client shows its reader's.
    assert head["message_fr"] == (
        "Champ « lien de parenté » : le ménage doit avoir exactement un chef de ménage (0 trouvé)."
    )
    assert "ربّ أسرة" in head["message_ar"]
    _, kept = clerk.call("get", f"/forms/{form['receipt']}")
    assert kept["violations"] == problem["violations"]


def test_the_queue_filter_lists_oldest_first(people: Staff) -> None:
    clerk = as_user(people, "clerk")
    receipts = [
        clerk.call("post", "/forms", {"kind": "other", "annex_code": ANNEX_1})[1]["receipt"]
        for _ in range(3)
    ]
    for receipt in receipts[::-1]:
        clerk.call("put", f"/forms/{receipt}/payload", {"payload": {"note": "x"}})
    status, page = clerk.call("get", "/forms?status=captured")
    assert status == 200 and page["count"] == 3
    assert [f["receipt"] for f in page["items"]] == receipts
    assert clerk.call("get", "/forms?status=validated")[1]["count"] == 0
    assert clerk.call("get", "/forms?status=lost")[0] == 422


def test_wrong_steps_and_wrong_roles_are_problems(people: Staff) -> None:
    clerk, validator = as_user(people, "clerk"), as_user(people, "validator")
    _, form = clerk.call("post", "/forms", {"kind": "other", "annex_code": ANNEX_1})
    status, problem = validator.call("post", f"/forms/{form['receipt']}/validation")
    assert (status, problem["type"].rsplit("/", 1)[1]) == (409, "conflict")
    status, problem = clerk.call("post", f"/forms/{form['receipt']}/rejection", {"reason": "x"})
    assert (status, problem["status"]) == (403, 403)
    status, _ = validator.call("post", f"/forms/{form['receipt']}/rejection", {"reason": "doublon"})
    assert status == 200


def test_a_batch_goes_to_cnss_which_decides(people: Staff) -> None:
    clerk, validator = as_user(people, "clerk"), as_user(people, "validator")
    cnss = as_user(people, "cnss")
    _, form = clerk.call("post", "/forms", {"kind": "rsu_declaration", "annex_code": ANNEX_1})
    clerk.call(
        "put", f"/forms/{form['receipt']}/payload", {"payload": household_payload(fassi_family())}
    )
    amo = validator.call("post", f"/forms/{form['receipt']}/validation")[1]["opened"]
    clerk.call("put", f"/forms/{amo['receipt']}/payload", {"payload": amo["payload"]})
    file_id = validator.call("post", f"/forms/{amo['receipt']}/validation")[1]["form"][
        "register_key"
    ]
    status, batch = validator.call("post", "/batches", {})
    assert status == 201 and batch["receipts"] == [amo["receipt"]]
    decision = f"/forms/{amo['receipt']}/decision"
    for unreasoned in ({"accepted": False}, {"accepted": False, "reason": "revenus déclarés"}):
        assert cnss.call("post", decision, unreasoned)[0] == 422
    status, amo_file = cnss.call("get", f"/amo-files/{file_id}")
    child = next(b for b in amo_file["beneficiaries"] if b["relation"] == "child")
    refused = {"accepted": False, "reason": "age_limit", "note": "25 ans"}
    body = {"accepted": True, "beneficiaries": {child["beneficiary_id"]: refused}}
    status, decided = cnss.call("post", decision, body)
    assert (status, decided["status"], decided["deadline"]) == (200, "accepted", None)
    status, amo_file = cnss.call("get", f"/amo-files/{file_id}")
    assert amo_file["status"] == "accepted"
    assert {
        (b["relation"], b["decision"], b["rejection_reason"]) for b in amo_file["beneficiaries"]
    } == {
        ("insured", "accepted", None),
        ("spouse", "accepted", None),
        ("child", "rejected", "age_limit: 25 ans"),
    }


def test_no_token_or_a_bad_one_is_a_401_problem(people: Staff) -> None:
    response = Client().get("/api/v1/forms")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == PROBLEM
    assert Api({"Authorization": "Bearer sjl_forged"}).call("get", "/forms")[0] == 401
    people.clerk.is_active = False
    people.clerk.save()
    assert as_user(people, "clerk").call("get", "/forms")[0] == 401


def test_a_deposit_elsewhere_is_not_found(people: Staff) -> None:
    status, problem = as_user(people, "clerk").call(
        "post", "/forms", {"kind": "other", "annex_code": ANNEX_2}
    )
    assert (status, problem["title"]) == (404, "غير موجود")  # Arabic unless asked otherwise


def test_the_openapi_document_is_served(people: Staff) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["version"] == "1"
    assert "/api/v1/forms" in document["paths"] and "/api/v1/status/{receipt}" in document["paths"]
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_a_batch_downloads_as_the_contract_amo_extract_within_scope(people: Staff) -> None:
    clerk, validator = as_user(people, "clerk"), as_user(people, "validator")
    _, form = clerk.call("post", "/forms", {"kind": "rsu_declaration", "annex_code": ANNEX_1})
    clerk.call(
        "put", f"/forms/{form['receipt']}/payload", {"payload": household_payload(fassi_family())}
    )
    amo = validator.call("post", f"/forms/{form['receipt']}/validation")[1]["opened"]
    clerk.call("put", f"/forms/{amo['receipt']}/payload", {"payload": amo["payload"]})
    validator.call("post", f"/forms/{amo['receipt']}/validation")
    _, batch = validator.call("post", "/batches", {})
    path = f"/api/v1/batches/{batch['number']}/amo.parquet"
    mine = validator.client.get(path, headers=validator.headers)
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(b"".join(mine.streaming_content)))
    assert table.num_rows > 0 and set(table.column("status").to_pylist()) == {"transmitted"}
    other = as_user(people, "validator_b")
    theirs = other.client.get(path, headers=other.headers)
    assert theirs.status_code == 404 and theirs["Content-Type"] == PROBLEM
