"""gunicorn's settings for `sijill serve` (`gunicorn -c python:sijill.web.gunicorn`).

Several processes (`--workers`), each with a few threads (gthread: a thread serves many
requests, so a database connection can be kept between them), stopped gracefully: on
SIGTERM gunicorn stops accepting, lets the requests at hand finish for up to
`graceful_timeout` seconds, then exits. Prometheus' counters are shared by the processes
through PROMETHEUS_MULTIPROC_DIR, which `sijill serve` sets and which is emptied here at
start; a stopped process's live gauges are dropped. Requests are logged by
`sijill.web.logs.RequestLog` (their route, never their path): gunicorn's access log stays
off.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

wsgi_app = "sijill.web.wsgi:application"
worker_class = "gthread"
graceful_timeout = 30
timeout = 120  # a dashboard PDF or a large download may take a while
# No keep-alive: each request is accepted by a process free to take it. Kept-alive
# connections stay with the process that accepted them, so some processes queue while others
# idle: 50 clients on loopback got 117 req/s with 5 s of keep-alive and 178 without
# (benchmarks/load.py). A reverse proxy in front keeps the clients' connections alive.
keepalive = 0
# `sijill serve` gives each process as many connections as it has threads
# (--worker-connections): a process whose threads are all busy stops accepting, and the
# next request waits in the listening socket's queue for whichever process frees a thread
# first, not behind the requests of one busy process.
max_requests = 20000  # each process is replaced now and then, with some jitter
max_requests_jitter = 2000
accesslog = None
control_socket_disable = True  # managed by signals (systemd), not by a socket in $HOME
errorlog = "-"
_formatter = (
    "JsonFormatter" if os.environ.get("SIJILL_LOG_FORMAT", "json") == "json" else "PlainFormatter"
)
_handler = {
    "class": "logging.StreamHandler",
    "formatter": "sijill",
    "stream": "ext://sys.stderr",
}
# gunicorn's own lines (start, stop, a worker replaced) in the back office's format.
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"sijill": {"()": f"sijill.web.logs.{_formatter}"}},
    "handlers": {"console": _handler, "error_console": _handler},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
    },
}


def on_starting(server: Any) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, mode=0o700)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
