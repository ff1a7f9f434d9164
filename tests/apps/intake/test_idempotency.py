"""Twenty clients posting the same deposit at once, with one Idempotency-Key: one form.

Real concurrency needs real connections and committed data, so this runs on PostgreSQL
only, from threads, each with its own connection (the SQLite test database lives in one
process's memory). Here the database's unique constraint is what decides, not luck.
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from sijill.audit.chain import verify
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1, bearer, load_territories, staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent deposits need PostgreSQL (run with --db=postgresql)",
    ),
]
CLIENTS = 20


def test_parallel_retries_with_one_key_create_exactly_one_form() -> None:
    load_territories()
    headers = {**bearer(staff("clerk_a", "clerk", ANNEX_1)), "Idempotency-Key": "deposit-42"}
    body = json.dumps({"kind": "amo_request", "annex_code": ANNEX_1, "citizen_id": "BE123456"})
    start = threading.Barrier(CLIENTS)

    def post(_: int) -> tuple[int, str]:
        try:
            start.wait()
            response = Client().post(
                "/api/v1/forms", data=body, content_type="application/json", headers=headers
            )
            return response.status_code, json.loads(response.content)["receipt"]
        finally:
            connection.close()  # each thread's own connection; the test database is dropped

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(post, range(CLIENTS)))

    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (CLIENTS - 1) + [201]
    assert len({receipt for _, receipt in results}) == 1
    assert Form.objects.count() == 1
    assert verify().ok
