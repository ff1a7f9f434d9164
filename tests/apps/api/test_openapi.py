"""The OpenAPI document declares every answer of every operation, problem+json errors
included (issue 16, item 13); tests/apps/api/test_schemathesis.py checks the API keeps to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# What each operation may answer: its success, then the errors of its shape (400 body,
# 401 token, 422 values) and of its own logic (403 role, 404 scope, 409 status, 422 rules,
# 429 rate). A new operation fails here until its answers are written down.
ANSWERS: dict[tuple[str, str], set[int]] = {
    ("POST", "/forms"): {200, 201, 400, 401, 403, 404, 409, 422},
    ("GET", "/forms"): {200, 401, 422},
    ("GET", "/forms/{receipt}"): {200, 401, 404},
    ("PUT", "/forms/{receipt}/payload"): {200, 400, 401, 403, 404, 409, 422},
    ("POST", "/forms/{receipt}/validation"): {200, 401, 403, 404, 409, 422},
    ("POST", "/forms/{receipt}/rejection"): {200, 400, 401, 403, 404, 409, 422},
    ("POST", "/forms/{receipt}/review"): {200, 401, 403, 404, 409},
    ("POST", "/forms/{receipt}/decision"): {200, 400, 401, 403, 404, 409, 422},
    ("POST", "/batches"): {201, 400, 401, 403, 409, 422},
    ("GET", "/batches/{number}/amo.parquet"): {200, 401, 404, 422},
    ("GET", "/persons"): {200, 401, 422},
    ("GET", "/persons/{idcs}"): {200, 401, 404, 422},
    ("PATCH", "/persons/{idcs}"): {200, 400, 401, 403, 404, 422},
    ("GET", "/households"): {200, 401, 422},
    ("GET", "/households/{household_id}"): {200, 401, 404, 422},
    ("PATCH", "/households/{household_id}"): {200, 400, 401, 403, 404, 422},
    ("GET", "/amo-files"): {200, 401, 422},
    ("GET", "/amo-files/{amo_file_id}"): {200, 401, 404, 422},
    ("GET", "/status/{receipt}"): {200, 404, 422, 429},
    ("GET", "/scoring"): {200, 401, 422},
    ("POST", "/scoring"): {200, 400, 401, 422},
}


@pytest.fixture
def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path.removeprefix("/api/v1")): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def test_every_operation_declares_each_answer_it_can_give(document: dict[str, Any]) -> None:
    declared = {key: {int(s) for s in op["responses"]} for key, op in operations(document).items()}
    assert declared == ANSWERS


def test_every_error_is_a_problem_with_its_schema(document: dict[str, Any]) -> None:
    problem = document["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "detail"]
    for key, operation in operations(document).items():
        for status, answer in operation["responses"].items():
            if int(status) < 400:
                assert "application/problem+json" not in answer.get("content", {}), key
                continue
            assert answer["content"] == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, (key, status)
            assert answer["description"], (key, status)
    status_answers = operations(document)[("GET", "/status/{receipt}")]["responses"]
    assert "Retry-After" in status_answers["429"]["headers"]


def test_the_documented_rules_are_the_contracts(document: dict[str, Any]) -> None:
    """Limits, patterns and versions a client needs are in the document, not only in code."""
    schemas = document["components"]["schemas"]
    person = schemas["PersonPatch"]["properties"]
    assert person["cin"]["pattern"] == "^[A-Z]{1,2}[0-9]{1,6}$"
    assert (
        person["address"]["pattern"]
        == schemas["HouseholdPatch"]["properties"]["address"]["pattern"]
        == r"\S"
    )
    persons = operations(document)[("GET", "/persons")]["parameters"]
    limit = next(p for p in persons if p["name"] == "limit")["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 500, 100)
    idcs = operations(document)[("GET", "/persons/{idcs}")]["parameters"][0]["schema"]
    assert idcs["pattern"] == "^[0-9]{10}$"
    version = operations(document)[("GET", "/scoring")]["parameters"][0]["schema"]
    assert version["enum"] == ["illustrative-1"]
    parquet = operations(document)[("GET", "/batches/{number}/amo.parquet")]["responses"]["200"]
    assert list(parquet["content"]) == ["application/vnd.apache.parquet"]
