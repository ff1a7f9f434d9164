"""What a stopped worker leaves behind: tasks marked running that nobody runs any more.

django-tasks-db marks a task RUNNING when a worker claims it, and SUCCESSFUL or FAILED when
the task returns or raises. A worker killed in between (SIGKILL, a crash, a power cut)
records neither, and the task would stay RUNNING for ever (django-tasks-db issue 5). Here a
running task whose worker holds no presence lock any more is marked FAILED with
WORKER_STOPPED as its exception and a sentence saying what happened as its traceback: the
tasks backend keeps the record, and the owner of the work decides whether to start it again
(`sijill.runs.heartbeat` does so for reconciliation runs).

Outputs are never half-written by such a stop: the engine writes its folders under another
name and renames them whole (`engine.staging`), and database writes are transactions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sijill.background import presence

WORKER_STOPPED = "sijill.background.recovery.WorkerStopped"
STOPPED_TEXT = (
    "The worker running this task stopped before the task ended (killed, crashed, or its "
    "machine stopped). Nothing it was writing was kept."
)


class WorkerStopped(Exception):
    """The worker running a task stopped before the task ended (see STOPPED_TEXT)."""


def _worker(task: DBTaskResult[Any, Any]) -> str:
    ids = task.worker_ids or []
    return str(ids[-1]) if ids else ""


def orphans() -> list[DBTaskResult[Any, Any]]:
    """The running tasks whose worker is no longer alive."""
    running = DBTaskResult.objects.running().only("id", "worker_ids")
    return [task for task in running if not presence.alive(_worker(task))]


def settle_orphans() -> int:
    """Mark failed, with WORKER_STOPPED, every running task whose worker stopped; returns
    how many. A task that a living worker finished meanwhile is left as it ended."""
    settled = 0
    for task in orphans():
        settled += stopped(DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING))
    return settled


def stopped(tasks: QuerySet[DBTaskResult[Any, Any]]) -> int:
    count: int = tasks.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=WORKER_STOPPED,
        traceback=STOPPED_TEXT,
        return_value=None,
    )
    return count


# A worker told twice to stop (SIGTERM, Ctrl-C) ends its task at once with one of these.
_STOPS = frozenset({WORKER_STOPPED, "builtins.SystemExit", "builtins.KeyboardInterrupt"})


def was_stopped(task: DBTaskResult[Any, Any]) -> bool:
    """Whether the task failed because its worker stopped, not because of its own work."""
    return task.status == TaskResultStatus.FAILED and task.exception_class_path in _STOPS
