"""`/healthz` (the process answers) and `/readyz` (it can do its work).

Ready means: the database answers, every migration is applied, and at least one worker is
alive to run the background tasks (`sijill.background.presence`: a living `sijill worker`
holds its lock). The answer lists each check, with the queue's depth and the age of its
oldest waiting task; 503 when one fails, so that a load balancer or an orchestrator waits.
Neither page needs a login, and neither says anything about a person.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sijill.background import presence

_migrated: list[bool] = []  # once all are applied, they stay so for this process


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "alive"})


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _migrations() -> dict[str, Any]:
    if not _migrated:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return {"ok": False, "pending": len(pending)}
        _migrated.append(True)
    return {"ok": True}


def _worker() -> dict[str, Any]:
    living = presence.living()
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    waiting = 0.0 if oldest is None else (timezone.now() - oldest).total_seconds()
    return {
        "ok": bool(living),
        "alive": len(living),
        "queued": ready.count(),
        "oldest_waiting_seconds": round(waiting, 1),
    }


CHECKS = {"database": _database, "migrations": _migrations, "worker": _worker}


def checks() -> dict[str, dict[str, Any]]:
    """Each check's answer; a database error fails the check it stopped."""
    found: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        try:
            found[name] = check()
        except DatabaseError as exc:
            found[name] = {"ok": False, "error": type(exc).__name__}
    return found


def readyz(request: HttpRequest) -> JsonResponse:
    found = checks()
    ready = all(check["ok"] for check in found.values())
    body = {"status": "ready" if ready else "not ready", "checks": found}
    return JsonResponse(body, status=200 if ready else 503)
