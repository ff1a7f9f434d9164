"""Which workers are alive, without a heartbeat to write.

Each `sijill worker` holds an exclusive lock on a file of its own in
`SIJILL_DATA_DIR/workers/` for as long as its process lives. The kernel lets go of the lock
the moment the process ends — a clean stop, a crash, a SIGKILL or the OOM killer alike — so
asking whether a worker is alive is trying its lock: no write, no thread, no clock to tune.

The data folder is shared by the server and its workers (the runs' results live there), so
every process that can see a task can also see whether its worker is alive. A worker's id
is new for every process (`host-pid-random`): a restarted worker never passes for the one
that stopped.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FOLDER = "workers"
SUFFIX = ".lock"
_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# A prober holds a shared lock for an instant: a starting worker tries again meanwhile.
_TRIES, _PAUSE = 50, 0.02


class AlreadyHeld(RuntimeError):
    """Another living process holds this worker id."""


def folder() -> Path:
    return Path(settings.DATA_DIR) / FOLDER


def new_id() -> str:
    """An id for this process: its host, its pid and a random part, at most 64 characters."""
    host = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname())[:40] or "host"
    return f"{host}-{os.getpid()}-{secrets.token_hex(3)}"


def _path(worker_id: str) -> Path:
    if not _ID.fullmatch(worker_id):
        raise ValueError(f"not a worker id: {worker_id!r}")
    return folder() / f"{worker_id}{SUFFIX}"


@dataclass(frozen=True)
class Presence:
    """A worker's lock, held until `release` or the end of the process."""

    worker_id: str
    fd: int

    def release(self) -> None:
        os.close(self.fd)
        _path(self.worker_id).unlink(missing_ok=True)


def hold(worker_id: str) -> Presence:
    """Take the lock of `worker_id` for this process; AlreadyHeld if a living one has it."""
    path = _path(worker_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    for _ in range(_TRIES):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            time.sleep(_PAUSE)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return Presence(worker_id, fd)
    os.close(fd)
    raise AlreadyHeld(worker_id)


def alive(worker_id: str) -> bool:
    """Whether a living process holds the lock of `worker_id`."""
    try:
        fd = os.open(_path(worker_id), os.O_RDONLY)
    except (FileNotFoundError, ValueError):
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True  # held exclusively: its worker lives
    finally:
        os.close(fd)  # closing drops the shared lock, if it was taken
    return False


def living() -> list[str]:
    """The ids of the workers alive now."""
    if not folder().is_dir():
        return []
    ids = sorted(p.name.removesuffix(SUFFIX) for p in folder().glob(f"*{SUFFIX}"))
    return [worker_id for worker_id in ids if alive(worker_id)]


def forget_dead() -> int:
    """Remove the lock files of workers that stopped; returns how many."""
    if not folder().is_dir():
        return 0
    gone = 0
    for path in folder().glob(f"*{SUFFIX}"):
        if not alive(path.name.removesuffix(SUFFIX)):
            path.unlink(missing_ok=True)
            gone += 1
    return gone
