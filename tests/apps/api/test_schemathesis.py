"""schemathesis against the live API: no server error, no answer the document does not declare.

Every operation of /api/v1/openapi.json is called over HTTP on pytest-django's live server,
with the bearer token of a national administrator and of an annex clerk (whose role and
territory make 403 and 404 answers likely), with valid and invalid values (positive and
negative generation). The checks: `not_a_server_error`, `status_code_conformance`,
`content_type_conformance` and `response_schema_conformance`.

Bounded: the coverage phase's boundary values, then FUZZING examples per operation, role and
mode, each request at most DEADLINE; deterministic (same seed, same cases on every run), and
nothing written to a Hypothesis database. A database test: it runs on SQLite and again on
PostgreSQL (`--db=postgresql -m django_db`). The module prints its totals at the end.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sijill.api.site import api
from tests.apps.backoffice import bearer, staff
from tests.conftest import Staff

pytestmark = pytest.mark.django_db(transaction=True)

FUZZING = 8  # examples per operation, role and generation mode, after the coverage phase
DEADLINE = dt.timedelta(seconds=5)  # per request: a slower answer fails the test
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 16,
        "generation": {
            "mode": "all",  # positive and negative
            "max-examples": FUZZING,
            "deterministic": True,
            "database": "none",
        },
        "phases": {"examples": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
# The document the live server serves (test_the_document_is_the_one_served checks).
schema = schemathesis.openapi.from_dict(dict(api.get_openapi_schema()), config=CONFIG)
calls: Counter[tuple[str, str]] = Counter()  # (operation, role) -> requests sent
seen: Counter[int] = Counter()  # status -> answers
failures = 0  # examples that failed a check (Hypothesis retries a failing one to shrink it)


@pytest.fixture(scope="module", autouse=True)
def totals(request: pytest.FixtureRequest) -> Iterator[None]:
    started = time.monotonic()
    yield
    if not calls:
        return
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    operations = len({operation for operation, _ in calls})
    answers = ", ".join(f"{status}: {n}" for status, n in sorted(seen.items()))
    line = (
        f"schemathesis: {operations} operations x {len({r for _, r in calls})} roles, "
        f"{sum(calls.values())} requests, {failures} failing, "
        f"{time.monotonic() - started:.0f} s; answers {answers}"
    )
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture(params=["admin", "clerk"])
def role(request: pytest.FixtureRequest, committed: None, people: Staff) -> tuple[str, str]:
    """The role's name and its Authorization header."""
    user = staff("root", "admin", None) if request.param == "admin" else people.clerk
    return request.param, bearer(user)["Authorization"]


@schema.parametrize()
@settings(
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_document(case: Any, role: tuple[str, str], live_server: Any) -> None:
    global failures
    name, authorization = role
    calls[(case.operation.label, name)] += 1
    try:
        response = case.call_and_validate(
            base_url=live_server.url, headers={"Authorization": authorization}, checks=CHECKS
        )
    except Exception:
        failures += 1
        raise
    seen[response.status_code] += 1


def test_the_document_is_the_one_served(live_server: Any) -> None:
    served = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json()
    assert served == schema.raw_schema
