"""Signs of life of the runs' worker, so that a run whose worker stopped does not stay open.

A run is one task of the background queue (`lifecycle.reconcile_run`). The worker running
it holds a presence lock for as long as its process lives (`sijill.background.presence`):
when it stops mid-run (SIGKILL, a crash, a power cut) the lock goes with it, and
`sijill.background.recovery` marks its task failed with WORKER_STOPPED. The run is then
started again as a new task, up to ATTEMPTS times in all, from its start: nothing the
stopped worker was writing is used (the engine writes its folders whole or not at all, the
import is one transaction), so nothing is lost or counted twice. After ATTEMPTS stops the
run is failed with the error INTERRUPTED, and its page says to start it again.

Runs are settled by the worker as it starts, by `sijill daily` and as their pages are
opened; no thread or clock of ours watches them.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sijill.background import recovery
from sijill.runs import lifecycle
from sijill.runs.models import DIRECTORY, FAILED, QUEUED, RUNNING, Run

log = logging.getLogger(__name__)

ATTEMPTS = 3
# A run with no task at all (its server stopped between the run's row and its task) or, for
# a run imported from a folder by the command line, no sign of life for this long.
STALE = dt.timedelta(hours=1)
INTERRUPTED = "interrupted"
TASK = "sijill.runs.lifecycle.reconcile_run"


def tasks(run_id: int) -> QuerySet[DBTaskResult[Any, Any]]:
    """The run's tasks, oldest first: one per attempt."""
    found: QuerySet[DBTaskResult[Any, Any]] = DBTaskResult.objects.filter(
        task_path=TASK, args_kwargs__args__0=run_id
    ).order_by("enqueued_at")
    return found


def restarts(run: Run) -> int:
    """How many times a stopped worker made the run start again."""
    return sum(1 for task in tasks(run.pk) if recovery.was_stopped(task))


def settle_interrupted() -> int:
    """Settle every open run whose worker stopped: start it again, or fail it after ATTEMPTS
    stops. Returns how many runs were settled."""
    recovery.settle_orphans()
    open_runs = Run.objects.filter(status__in=(QUEUED, RUNNING)).values_list("pk", flat=True)
    return sum(_settle(run_id) for run_id in list(open_runs))


def _settle(run_id: int) -> int:
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in (QUEUED, RUNNING):
            return 0
        attempts = list(tasks(run.pk))
        if not attempts:
            if _last_sign(run) < timezone.now() - STALE:
                _fail(run, INTERRUPTED)
                return 1
            return 0
        last = attempts[-1]
        if last.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            return 0
        if recovery.was_stopped(last):
            discard_partial(run)
            if len(attempts) < ATTEMPTS:
                log.warning("run %s: its worker stopped; started again", run.pk)
                lifecycle.requeue(run)
            else:
                log.warning("run %s: its worker stopped %s times; failed", run.pk, ATTEMPTS)
                _fail(run, INTERRUPTED)
            return 1
        # The task ended without the run recording it (its last write failed).
        ended = last.status == TaskResultStatus.SUCCESSFUL
        _fail(run, INTERRUPTED if ended else last.exception_class_path)
        return 1


def _last_sign(run: Run) -> dt.datetime:
    """When a run without a task last showed life: its creation, or for a folder imported
    by the command line (no task: the command does the work) its last progress."""
    created: dt.datetime = run.created_at
    stamped: dt.datetime | None = run.heartbeat_at
    if run.source == DIRECTORY and stamped is not None:
        return max(created, stamped)
    return created


def _fail(run: Run, error: str) -> None:
    run.status, run.error, run.finished_at = FAILED, error[:2000], timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])


def discard_partial(run: Run) -> None:
    """Remove what a stopped worker was writing in the run's folder: the hidden copies
    (`.out.partial-PID`, `.findings.parquet.partial`) that would have replaced an output
    whole, and a previous output it was swapping out. Readers never look at them."""
    if not run.work_dir:
        return
    folder = Path(run.work_dir)
    for path in [*folder.glob(".*.partial*"), *folder.glob(".*.old-*")]:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
