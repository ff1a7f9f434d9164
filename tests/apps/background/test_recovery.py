"""sijill.background.recovery: a task left running by a worker that stopped is marked failed,
once, with a sentence saying why; the tasks of living workers and finished ones are left as
they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sijill.background import presence, recovery
from sijill.operations import tasks

pytestmark = pytest.mark.django_db


def claimed(folder: Path, worker_id: str) -> DBTaskResult[Any, Any]:
    result = tasks.export.enqueue(str(folder))
    task: DBTaskResult[Any, Any] = DBTaskResult.objects.get(pk=result.id)
    task.claim(worker_id)
    return task


def test_a_task_whose_worker_stopped_is_failed_with_the_reason(tmp_path: Path) -> None:
    task = claimed(tmp_path / "out", presence.new_id())  # no process holds that id
    assert [t.pk for t in recovery.orphans()] == [task.pk]
    assert recovery.settle_orphans() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.finished_at is not None
    assert task.exception_class_path == recovery.WORKER_STOPPED
    assert task.traceback == recovery.STOPPED_TEXT
    assert "Nothing it was writing was kept" in task.traceback
    assert recovery.was_stopped(task)
    assert recovery.settle_orphans() == 0  # once


def test_the_task_of_a_living_worker_is_left_running(tmp_path: Path) -> None:
    held = presence.hold(presence.new_id())
    try:
        task = claimed(tmp_path / "out", held.worker_id)
        assert recovery.orphans() == [] and recovery.settle_orphans() == 0
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    finally:
        held.release()


def test_waiting_and_finished_tasks_are_not_touched(tmp_path: Path) -> None:
    waiting = tasks.export.enqueue(str(tmp_path / "a"))
    done = claimed(tmp_path / "b", presence.new_id())
    done.set_successful({"rnp": 0})
    failed = claimed(tmp_path / "c", presence.new_id())
    failed.set_failed(ValueError("its own error"))
    assert recovery.settle_orphans() == 0
    statuses = {str(pk): s for pk, s in DBTaskResult.objects.values_list("pk", "status")}
    assert statuses == {
        str(waiting.id): TaskResultStatus.READY,
        str(done.pk): TaskResultStatus.SUCCESSFUL,
        str(failed.pk): TaskResultStatus.FAILED,
    }
    failed.refresh_from_db()
    assert not recovery.was_stopped(failed)  # failed by its own work, not by a stop


@pytest.mark.parametrize("stop", [SystemExit(1), KeyboardInterrupt()])
def test_a_worker_stopped_by_a_second_signal_counts_as_stopped(
    tmp_path: Path, stop: BaseException
) -> None:
    task = claimed(tmp_path / "out", presence.new_id())
    task.set_failed(stop)
    assert recovery.was_stopped(task)
