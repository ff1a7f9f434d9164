"""sijill.runs.heartbeat: a run whose worker stopped mid-way is started again from its start
(nothing of the stopped attempt used), then failed after ATTEMPTS stops, and the page says
so in the user's language; a run whose worker lives is left alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sijill.accounts.models import User
from sijill.background import presence, recovery
from sijill.engine.params import Parameters
from sijill.runs import heartbeat
from sijill.runs import lifecycle as runs
from sijill.runs.models import BACK_OFFICE, DIRECTORY, FAILED, QUEUED, RUNNING, SUCCEEDED, Run

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 10)


def queued_run() -> Run:
    run = runs.create(BACK_OFFICE, Parameters(AS_OF), actor="test", with_links=False)
    runs.reconcile_run.enqueue(run.pk)
    return run


def claimed(run: Run, worker_id: str) -> DBTaskResult[Any, Any]:
    """The run's last task, claimed by `worker_id` as django-tasks-db's worker does."""
    task: DBTaskResult[Any, Any] | None = heartbeat.tasks(run.pk).last()
    assert task is not None
    task.claim(worker_id)
    Run.objects.filter(pk=run.pk).update(status=RUNNING, stage="reconcile", stages_done=4)
    return task


def state(run: Run) -> tuple[str, str]:
    run.refresh_from_db()
    return run.status, run.error


def test_a_run_whose_worker_stopped_starts_again_from_its_start() -> None:
    run = queued_run()
    stopped = claimed(run, presence.new_id())  # no process holds that worker's lock
    work = Path(run.work_dir)
    partial = work / ".out.partial-4242"
    partial.mkdir(parents=True)
    (partial / "funnel.parquet").write_bytes(b"half")
    assert heartbeat.settle_interrupted() == 1
    stopped.refresh_from_db()
    assert stopped.status == TaskResultStatus.FAILED
    assert stopped.exception_class_path == recovery.WORKER_STOPPED
    assert "stopped before the task ended" in stopped.traceback
    run.refresh_from_db()
    assert (run.status, run.stage, run.stages_done) == (QUEUED, "", 0)
    attempts = list(heartbeat.tasks(run.pk))
    assert [t.status for t in attempts] == [TaskResultStatus.FAILED, TaskResultStatus.READY]
    assert heartbeat.restarts(run) == 1
    assert not partial.exists()  # what the stopped worker was writing is gone
    assert runs.extracts_folder(run).exists()  # the run's own extracts are kept for it
    assert heartbeat.settle_interrupted() == 0  # settled once: no second retry


def test_a_run_whose_worker_lives_is_left_alone(settings: Any) -> None:
    run = queued_run()
    worker_id = presence.new_id()
    held = presence.hold(worker_id)
    try:
        task = claimed(run, worker_id)
        assert presence.living() == [worker_id]
        assert heartbeat.settle_interrupted() == 0
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING and state(run) == (RUNNING, "")
    finally:
        held.release()
    assert presence.living() == []
    assert heartbeat.settle_interrupted() == 1  # its worker is gone now


def test_a_worker_id_is_held_by_one_process_at_a_time() -> None:
    worker_id = presence.new_id()
    held = presence.hold(worker_id)
    try:
        with pytest.raises(presence.AlreadyHeld):
            presence.hold(worker_id)
    finally:
        held.release()


def test_a_run_stopped_attempts_times_fails_as_interrupted() -> None:
    run = queued_run()
    for _ in range(heartbeat.ATTEMPTS):
        claimed(run, presence.new_id())
        heartbeat.settle_interrupted()
    assert state(run) == (FAILED, heartbeat.INTERRUPTED)
    assert heartbeat.tasks(run.pk).count() == heartbeat.ATTEMPTS
    assert heartbeat.restarts(run) == heartbeat.ATTEMPTS


def test_a_worker_told_twice_to_stop_counts_as_stopped() -> None:
    """db_worker ends the task at hand on a second SIGTERM with SystemExit: the run is
    started again, as after a kill."""
    run = queued_run()
    task = claimed(run, presence.new_id())
    task.set_failed(SystemExit(1))
    assert heartbeat.settle_interrupted() == 1
    assert state(run) == (QUEUED, "")


def test_a_task_that_ended_without_its_run_fails_the_run() -> None:
    run = queued_run()
    task = claimed(run, presence.new_id())
    task.set_failed(RuntimeError("the database went away"))
    assert heartbeat.settle_interrupted() == 1
    assert state(run) == (FAILED, "builtins.RuntimeError")


def test_runs_without_a_task_are_settled_once_stale() -> None:
    lost = runs.create(BACK_OFFICE, Parameters(AS_OF), actor="test", with_links=False)
    fresh = runs.create(BACK_OFFICE, Parameters(AS_OF), actor="test", with_links=False)
    folder = runs.create(DIRECTORY, Parameters(AS_OF), actor="test", with_links=False)
    long_ago = timezone.now() - heartbeat.STALE - dt.timedelta(minutes=1)
    Run.objects.filter(pk__in=(lost.pk, folder.pk)).update(created_at=long_ago)
    Run.objects.filter(pk=folder.pk).update(status=RUNNING, heartbeat_at=timezone.now())
    assert heartbeat.settle_interrupted() == 1
    assert state(lost) == (FAILED, heartbeat.INTERRUPTED)
    assert state(fresh) == (QUEUED, "")
    assert state(folder) == (RUNNING, "")  # its command line showed life recently


def test_finished_runs_are_not_touched() -> None:
    run = queued_run()
    claimed(run, presence.new_id())
    Run.objects.filter(pk=run.pk).update(status=SUCCEEDED)
    assert heartbeat.settle_interrupted() == 0
    assert state(run) == (SUCCEEDED, "")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "Le serveur s'est arrêté avant la fin de cette exécution"),
        ("ar", "توقف الخادم قبل انتهاء هذه العملية"),
    ],
)
def test_the_page_of_an_interrupted_run_says_to_start_it_again(
    admin: User, language: str, said: str
) -> None:
    run = queued_run()
    for _ in range(heartbeat.ATTEMPTS):
        claimed(run, presence.new_id())
        heartbeat.settle_interrupted()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(admin)
    page = client.get(f"/monitoring/runs/{run.pk}/").content.decode()
    assert said in page.replace("&#x27;", "'")
    assert f"<code>{heartbeat.INTERRUPTED}</code>" not in page
    assert 'id="restarted"' not in page
    assert state(run) == (FAILED, heartbeat.INTERRUPTED)


def test_the_page_of_a_run_started_again_says_so(admin: User) -> None:
    run = queued_run()
    claimed(run, presence.new_id())
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(admin)
    page = client.get(f"/monitoring/runs/{run.pk}/").content.decode()  # settles it
    notice = page.split('id="restarted">', 1)[1].split("</p>", 1)[0].replace("&#x27;", "'")
    assert "relancée depuis le début (arrêts jusqu'ici : 1)" in notice
    assert state(run) == (QUEUED, "")
