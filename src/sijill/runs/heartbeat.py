"""Signs of life of a run's worker, so that a run whose process stopped does not stay open.

A run works in a thread of the server process. When the process stops (a restart, a crash,
a deployment) the thread dies with it and nothing records how the run ended: left alone it
would show `running` for ever. While it works, a run's thread has a companion that stamps
`heartbeat_at` every HEARTBEAT; a queued or running run with no stamp for STALE is settled
as failed with the error INTERRUPTED. The stamp, not the process id, decides: it holds for
any number of server processes on any number of machines sharing the database.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

from sijill.runs.models import FAILED, QUEUED, RUNNING, Run

log = logging.getLogger(__name__)

HEARTBEAT = dt.timedelta(seconds=30)
# Far above HEARTBEAT: a busy database may delay a stamp or two, never ten minutes of them.
STALE = dt.timedelta(minutes=10)
INTERRUPTED = "interrupted"


def stamp(run_id: int) -> None:
    Run.objects.filter(pk=run_id, status__in=(QUEUED, RUNNING)).update(heartbeat_at=timezone.now())


def _beat(run_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(HEARTBEAT.total_seconds()):
            try:
                stamp(run_id)
            except DatabaseError:  # a write lock held by the run itself: the next beat
                log.warning("run %s: heartbeat not recorded this time", run_id)
    finally:
        connection.close()


@contextmanager
def beating(run_id: int) -> Iterator[None]:
    """Stamp the run now and every HEARTBEAT while the block runs."""
    stamp(run_id)
    stop = threading.Event()
    companion = threading.Thread(
        target=_beat, args=(run_id, stop), name=f"run-{run_id}-heartbeat", daemon=True
    )
    companion.start()
    try:
        yield
    finally:
        stop.set()
        companion.join()


def settle_interrupted() -> int:
    """Mark failed every open run whose worker has given no sign of life for STALE.

    A queued run that never started is judged by its creation. Returns how many."""
    now = timezone.now()
    silent = Q(heartbeat_at__lt=now - STALE) | Q(
        heartbeat_at__isnull=True, created_at__lt=now - STALE
    )
    settled: int = (
        Run.objects.filter(status__in=(QUEUED, RUNNING))
        .filter(silent)
        .update(status=FAILED, error=INTERRUPTED, finished_at=now)
    )
    return settled
