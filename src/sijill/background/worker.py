"""`sijill worker`: django-tasks-db's worker, with a presence lock and a clean start.

The worker takes its presence lock first (`presence`), then settles what stopped workers
left (`recovery`, and whatever the caller adds: the runs start their interrupted runs
again), then hands over to django-tasks-db's `db_worker`, which polls the queue and runs one
task at a time. SIGTERM or SIGINT stop it after the task at hand (`db_worker`'s graceful
shutdown); a second one stops it at once, marking the task failed.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable

from django.core.management import call_command

from sijill.background import presence, recovery

log = logging.getLogger(__name__)
ALL_QUEUES = "*"


def serve(
    *,
    interval: float = 1.0,
    batch: bool = False,
    settle: Callable[[], object] | None = None,
    verbosity: int = 1,
) -> str:
    """Run the queue's tasks until stopped (or, with `batch`, until the queue is empty);
    returns the worker's id."""
    worker_id = presence.new_id()
    held = presence.hold(worker_id)
    handlers = {s: signal.getsignal(s) for s in _SIGNALS}  # db_worker sets its own
    try:
        orphaned = recovery.settle_orphans()
        presence.forget_dead()
        if settle is not None:
            settle()
        log.info("worker started", extra={"worker": worker_id, "orphans_settled": orphaned})
        call_command(
            "db_worker",
            queue_name=ALL_QUEUES,
            interval=interval,
            batch=batch,
            reload=False,
            startup_delay=False,
            worker_id=worker_id,
            verbosity=verbosity,
        )
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        held.release()
    return worker_id


_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
