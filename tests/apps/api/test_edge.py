"""What the API's edge refuses with a problem+json 4xx instead of failing later with a 500
(issue 16, item 10): JSON that is not JSON, text no register can hold, pages past what a
database can count, a scoring version that does not exist."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sijill.intake.models import Form
from tests.apps.api.test_forms_ledger import PROBLEM, Api, as_user
from tests.apps.backoffice import ANNEX_1, POOR_ANSWERS
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def send(api: Api, method: str, path: str, raw: str) -> tuple[int, dict[str, Any]]:
    response = getattr(api.client, method)(
        f"/api/v1{path}",
        data=raw,
        content_type="application/json",
        headers={**api.headers, "Accept-Language": "fr"},
    )
    assert response["Content-Type"] == PROBLEM
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_numbers_that_are_not_finite_are_a_400(people: Staff, number: str) -> None:
    clerk = as_user(people, "clerk")
    answers = json.dumps(POOR_ANSWERS).replace('"car": 0', f'"car": {number}')
    status, problem = send(clerk, "post", "/scoring", f'{{"area": "rural", "answers": {answers}}}')
    assert (status, problem["type"]) == (400, "https://sijill.ma/problems/unreadable")
    assert problem["title"] == "Requête illisible" and "NaN" in problem["detail"]
    # In a free-form payload they would have reached the database.
    body = f'{{"kind": "other", "annex_code": "{ANNEX_1}", "payload": {{"x": [{number}]}}}}'
    assert send(clerk, "post", "/forms", body)[0] == 400
    assert not Form.objects.exists()


@pytest.mark.parametrize("text", ["\\u0000", "a\\u0000b", "\\ud800", "x\\udfff"])
def test_text_no_register_can_hold_is_a_400(people: Staff, text: str) -> None:
    """NUL characters (PostgreSQL refuses them) and unpaired surrogates (not UTF-8),
    anywhere in a body: a value, a key, deep in a payload."""
    clerk = as_user(people, "clerk")
    bodies = [
        f'{{"kind": "other", "annex_code": "{ANNEX_1}{text}"}}',
        f'{{"kind": "other", "annex_code": "{ANNEX_1}", "citizen_id": "{text}"}}',
        f'{{"kind": "other", "annex_code": "{ANNEX_1}", "payload": {{"{text}": 1}}}}',
        f'{{"kind": "other", "annex_code": "{ANNEX_1}", "payload": {{"a": [{{"b": "{text}"}}]}}}}',
    ]
    for body in bodies:
        status, problem = send(clerk, "post", "/forms", body)
        assert (status, problem["type"]) == (400, "https://sijill.ma/problems/unreadable"), body
        assert "NUL" in problem["detail"]
    assert not Form.objects.exists()


def test_a_body_that_is_not_json_is_a_400(people: Staff) -> None:
    clerk = as_user(people, "clerk")
    for raw in ("{", "[1,", "\xff", "1" * 5000, '{"kind": "other"}}'):
        status, problem = send(clerk, "post", "/forms", raw)
        assert (status, problem["detail"]) == (
            400,
            "Le corps de la requête n'est pas du JSON valide.",
        )


def test_nul_characters_in_paths_and_queries_are_a_422(registers: Staff) -> None:
    admin = as_user(registers, "cnss")
    for path in ("/households/H%00", "/amo-files/%00", "/batches/%00/amo.parquet"):
        status, problem = admin.call("get", path)
        assert (status, problem["type"]) == (422, "https://sijill.ma/problems/invalid-request")
    status, problem = Api({}).call("get", "/status/7KX4-9PQM-3TD2?id=BE%00")
    assert status == 422 and problem["errors"][0]["loc"] == ["query", "id"]
    assert admin.call("get", "/persons/00123456%00")[0] == 422


@pytest.mark.parametrize("path", ["/persons", "/households", "/amo-files", "/forms"])
def test_pages_are_bounded(registers: Staff, path: str) -> None:
    """Integers of 2**63 and more in `limit` or `offset` overflowed the database (500);
    `limit` had no cap. Both are bounded, and documented."""
    admin = as_user(registers, "cnss")
    for query in (
        f"limit={2**63}",
        f"offset={2**63}",
        f"limit={2**64}&offset={2**64}",
        f"offset={10**30}",
        "limit=501",
        "limit=0",
        "offset=-1",
        f"offset={10**9 + 1}",
    ):
        status, problem = admin.call("get", f"{path}?{query}")
        assert status == 422, query
        assert problem["errors"][0]["loc"][0] == "query"
    status, page = admin.call("get", f"{path}?limit=500&offset={10**9}")
    assert (status, page["items"]) == (200, [])
    page = admin.call("get", path)[1]
    assert page.get("next_offset") is None and len(page["items"]) == page.get(
        "count", len(page["items"])
    )


def test_an_unknown_scoring_version_is_a_422(people: Staff) -> None:
    clerk = as_user(people, "clerk")
    status, problem = clerk.call("get", "/scoring?version=rsu-2099")
    assert status == 422 and problem["errors"][0]["loc"] == ["query", "version"]
    body = {"area": "rural", "answers": POOR_ANSWERS, "version": "rsu-2099"}
    status, problem = clerk.call("post", "/scoring", body)
    assert status == 422 and problem["errors"][0]["loc"] == ["body", "body", "version"]
    assert clerk.call("get", "/scoring?version=illustrative-1")[0] == 200


def test_numbers_too_large_for_a_score_are_a_422(people: Staff) -> None:
    answers = {**POOR_ANSWERS, "car": 10**400}
    status, problem = as_user(people, "clerk").call(
        "post", "/scoring", {"area": "rural", "answers": answers}
    )
    assert status == 422 and problem["type"].endswith("/invalid-request")
