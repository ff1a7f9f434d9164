"""sijill.background.worker: `sijill worker` holds its presence lock while it lives, settles
what stopped workers left before taking new work, runs the queue, and stops cleanly on
SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sijill.background import presence, recovery, worker
from sijill.operations import tasks

CLI = "from sijill.cli.app import main; main()"


@pytest.mark.django_db
def test_a_worker_settles_what_a_stopped_one_left_then_runs_the_queue(
    committed: None, tmp_path: Path
) -> None:
    left = tasks.export.enqueue(str(tmp_path / "left"))
    DBTaskResult.objects.get(pk=left.id).claim(presence.new_id())  # its worker is gone
    queued = tasks.export.enqueue(str(tmp_path / "queued"))
    settled: list[int] = []
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}

    worker_id = worker.serve(
        batch=True, interval=0.1, settle=lambda: settled.append(1), verbosity=0
    )

    stopped = DBTaskResult.objects.get(pk=left.id)
    assert stopped.status == TaskResultStatus.FAILED and recovery.was_stopped(stopped)
    done = DBTaskResult.objects.get(pk=queued.id)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.worker_ids == [worker_id]
    assert (tmp_path / "queued" / "rnp.parquet").exists()
    assert not (tmp_path / "left").exists()  # the stopped task is not run again by itself
    assert settled == [1]
    assert presence.living() == []  # its lock went with it
    assert {s: signal.getsignal(s) for s in handlers} == handlers


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_sijill_worker_stops_on_sigterm_and_lets_go_of_its_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "SIJILL_DATA_DIR": str(data), "SIJILL_LOG_LEVEL": "INFO"}
    env.pop("DATABASE_URL", None)
    assert _cli(env, "migrate").wait(60) == 0
    process = _cli(env, "worker", "--interval", "0.2")
    locks = data / presence.FOLDER
    try:
        until = time.monotonic() + 30
        while not list(locks.glob(f"*{presence.SUFFIX}")) and time.monotonic() < until:
            time.sleep(0.1)
        (lock,) = locks.glob(f"*{presence.SUFFIX}")
        assert lock.read_text().strip() == str(process.pid)
        time.sleep(0.5)  # in db_worker's loop by now
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    output = process.stdout.read() if process.stdout else ""
    assert '"message": "worker started"' in output
    assert list(locks.iterdir()) == []
