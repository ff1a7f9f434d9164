"""sijill.background.presence: a worker is alive exactly as long as its process holds its lock
— a clean release, an exit and a SIGKILL all end it, with nothing written to notice it."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from sijill.background import presence


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.DATA_DIR = tmp_path / "data"
    yield settings.DATA_DIR


def _hold_then_wait(worker_id: str, told: Connection) -> None:
    presence.hold(worker_id)
    told.send("held")
    signal.pause()  # until killed


@pytest.fixture
def other_process() -> Iterator[tuple[multiprocessing.process.BaseProcess, str]]:
    """Another process holding a worker's lock, as `sijill worker` does."""
    worker_id = presence.new_id()
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_hold_then_wait, args=(worker_id, theirs)
    )
    child.start()
    assert ours.poll(10) and ours.recv() == "held"
    yield child, worker_id
    if child.is_alive():
        child.kill()
    child.join(10)


def test_a_worker_killed_is_no_longer_alive(
    other_process: tuple[multiprocessing.process.BaseProcess, str],
) -> None:
    child, worker_id = other_process
    assert presence.alive(worker_id) and presence.living() == [worker_id]
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    assert not presence.alive(worker_id) and presence.living() == []
    assert presence.forget_dead() == 1
    assert list(presence.folder().iterdir()) == []


def test_a_living_workers_id_cannot_be_taken(
    other_process: tuple[multiprocessing.process.BaseProcess, str],
) -> None:
    _, worker_id = other_process
    with pytest.raises(presence.AlreadyHeld):
        presence.hold(worker_id)
    assert presence.forget_dead() == 0  # its lock file stays


def test_a_released_lock_leaves_no_file_and_the_folder_is_private() -> None:
    held = presence.hold(presence.new_id())
    assert oct(presence.folder().stat().st_mode & 0o777) == oct(0o700)
    assert presence.living() == [held.worker_id]
    held.release()
    assert presence.living() == [] and list(presence.folder().iterdir()) == []


def test_ids_are_new_for_every_process_and_safe_as_file_names() -> None:
    first, second = presence.new_id(), presence.new_id()
    assert first != second and len(first) <= 64
    assert str(os.getpid()) in first
    for bad in ("../escape", "", "a" * 65, "a/b"):
        with pytest.raises(ValueError):
            presence.hold(bad)
    assert not presence.alive("../escape")


def test_no_folder_means_no_worker() -> None:
    assert not presence.folder().exists()
    assert presence.living() == [] and presence.forget_dead() == 0
