"""The production stack for tests/stack: its own PostgreSQL database, `sijill serve` (gunicorn)
and `sijill worker` as child processes, and HTTP clients speaking to it over loopback.

Nothing here imports Django: the stack's processes are the back office, the test only talks
to them (HTTP, signals) and reads their database with psycopg.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest
import requests

from tests.conftest import POSTGRES_URL

CLI = "from sijill.cli.app import main; main()"
T = TypeVar("T")

# Users and their tokens in one process (setting up, not part of the stack under test).
USERS = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sijill.web.settings")
import django
django.setup()
from sijill.accounts import tokens
from sijill.accounts.models import User
from sijill.accounts.staff import add_user
annex, password = sys.argv[1], sys.argv[2]
issued = {}
for name, role, place in (("clerk", "clerk", annex), ("validator", "validator", annex),
                          ("cnss", "cnss", None), ("admin", "admin", None)):
    add_user(name, role, place, password, actor="stack-test")
    issued[name] = tokens.issue(User.objects.get(username=name), actor="stack-test")
print(json.dumps(issued))
"""


def wait_for(what: str, found: Callable[[], T | None], seconds: float = 30) -> T:
    """Poll `found` until it gives something, or fail saying what never happened."""
    until = time.monotonic() + seconds
    while True:
        value = found()
        if value is not None and value is not False:
            return value
        if time.monotonic() > until:
            pytest.fail(f"after {seconds:.0f} s: {what}")
        time.sleep(0.05)


@contextmanager
def database(suffix: str) -> Iterator[str]:
    """A PostgreSQL database of the test's own, dropped at the end; skipped visibly without a
    server, a failure under CI=true."""
    base, name = POSTGRES_URL.rsplit("/", 1)
    admin, own = f"{base}/postgres", f"{name}_{suffix}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{own}"')
    except psycopg.OperationalError as exc:
        reason = f"the stack test needs PostgreSQL at {admin}: {str(exc).strip()[:200]}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true requires it)")
        pytest.skip(reason)
    try:
        yield f"{base}/{own}"
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """The back office's processes, all on one database and one data folder."""

    url: str  # DATABASE_URL
    folder: Path  # the test's own folder: data, logs, extracts
    port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.folder / "var"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIJILL_", "DATABASE_"))}
        clean.pop("DJANGO_SETTINGS_MODULE", None)
        # INFO: the requests' and the tasks' lines, which the test reads for identifiers.
        return {**clean, "DATABASE_URL": self.url, "SIJILL_DATA_DIR": str(self.data),
                "SIJILL_LOG_LEVEL": "INFO", "SIJILL_LOG_FORMAT": "json"}  # fmt: skip

    def sijill(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-c", CLI, *args],
            input=stdin, capture_output=True, text=True, env=self.env(), timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, f"sijill {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout

    def users(self, annex: str, password: str) -> dict[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", USERS, annex, password],
            capture_output=True, text=True, env=self.env(), timeout=120, check=True,
        )  # fmt: skip
        issued: dict[str, str] = json.loads(done.stdout)
        return issued

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """Start `sijill ARGS` as `name`, its output (stdout and stderr) in logs/NAME.log."""
        logs = self.folder / "logs"
        logs.mkdir(exist_ok=True)
        with (logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", CLI, *args],
                env=self.env(), stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.folder / "logs" / f"{name}.log").read_text(encoding="utf-8")

    def children(self, name: str) -> list[int]:
        """The pids whose parent is the process `name` (gunicorn's workers)."""
        parent = str(self.processes[name].pid)
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{parent}$", text, re.MULTILINE):
                found.append(int(status.parent.name))
        return found

    def stop(self, name: str, timeout: float = 40) -> int:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout)

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def close(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait(10)
        self.processes.clear()

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as con:
            return list(con.execute(sql, args).fetchall())

    def answer(self, path: str) -> requests.Response | None:
        try:
            return requests.get(self.base + path, timeout=10)
        except (requests.ConnectionError, requests.Timeout):  # not listening, or starting
            return None


class Api:
    """/api/v1 as one user, with a bearer token."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.session = f"{base}/api/v1", requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        answer = self.session.request(
            method, self.base + path, json=body, headers=headers, timeout=30
        )
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def status(self, method: str, path: str, body: Any = None, **headers: str) -> int:
        return self.session.request(
            method, self.base + path, json=body, headers=headers, timeout=30
        ).status_code


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Pages:
    """The pages as one logged-in user: a session cookie and the anti-forgery token.

    The back office marks its cookies Secure (it is served over TLS); over plain HTTP on
    loopback they are sent back all the same, as browsers do for a loopback address."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base, self.session = base, requests.Session()
        login = self.get("/accounts/login/")
        answer = self.post("/accounts/login/", login.text, username=username, password=password)
        assert answer.status_code == 302, f"login refused: {answer.status_code}"

    def get(self, path: str) -> requests.Response:
        answer = self.session.get(self.base + path, timeout=30, allow_redirects=False)
        return self._loopback(answer)

    def post(self, path: str, page: str, **fields: str) -> requests.Response:
        match = _CSRF.search(page)
        assert match, f"no anti-forgery token on the page before POST {path}"
        data = {"csrfmiddlewaretoken": match.group(1), **fields}
        answer = self.session.post(self.base + path, data=data, timeout=30, allow_redirects=False)
        return self._loopback(answer)

    def _loopback(self, answer: requests.Response) -> requests.Response:
        for cookie in self.session.cookies:
            cookie.secure = False
        return answer
