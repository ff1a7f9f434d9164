"""Database connections end with their request, however the server runs requests
(issue 16, item 3: under load, connections leaked until PostgreSQL refused new clients).

Django keeps a persistent connection in the thread that opened it. The ASGI handler runs
every request in a thread of its own, so with CONN_MAX_AGE above 0 each request left an
open connection behind in a finished thread. Here 40 concurrent requests go through the
project's ASGI application; afterwards none of their connections may remain.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from django.db import connection

from sijill.web.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)
REQUESTS = 40
NAME = "sijill-connection-test"


async def _get(path: str) -> int:
    """One request to the ASGI application, as a server would send it."""
    answered = asyncio.Event()
    messages: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"authorization", b"Bearer not-a-token")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            answered.set()

    await application(scope, receive, send)
    status: int = messages[0]["status"]
    return status


async def _many() -> list[int]:
    return list(await asyncio.gather(*(_get("/api/v1/persons") for _ in range(REQUESTS))))


def _ours() -> int:
    with connection.cursor() as cursor:
        # Not this test's own connection, which may have opened under the name too.
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE application_name = %s AND pid <> pg_backend_pid()",
            [NAME],
        )
        (count,) = cursor.fetchone()
    return int(count)


def test_no_connection_outlives_its_request(
    committed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("connections are counted by PostgreSQL (pg_stat_activity)")
    # The requests' connections are named, so that only they are counted.
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "application_name", NAME)
    statuses = asyncio.run(_many())
    assert statuses == [401] * REQUESTS  # each request read the tokens table
    deadline = time.monotonic() + 5  # a closed connection's server process may linger
    while _ours() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ours() == 0
