"""sijill.operations.health: /healthz says the process answers; /readyz says whether it can do
its work — the database answers, every migration is applied, a worker is alive."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sijill.background import presence
from sijill.operations import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_login() -> None:
    answer = Client().get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "alive"}
    assert "no-cache" in answer["Cache-Control"]


def test_readyz_needs_a_living_worker() -> None:
    client = Client()
    waiting = client.get("/readyz")
    assert waiting.status_code == 503
    body = waiting.json()
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True}
    assert body["checks"]["worker"]["ok"] is False and body["checks"]["worker"]["alive"] == 0
    held = presence.hold(presence.new_id())
    try:
        ready = client.get("/readyz")
    finally:
        held.release()
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert ready.json()["checks"]["worker"]["alive"] == 1


def test_readyz_says_when_migrations_are_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    class Pending:
        def __init__(self, connection: Any) -> None:
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})

        def migration_plan(self, targets: Any) -> list[str]:
            return ["operations.0002"]

    monkeypatch.setattr(health, "MigrationExecutor", Pending)
    monkeypatch.setattr(health, "_migrated", [])
    answer = Client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["migrations"] == {"ok": False, "pending": 1}
