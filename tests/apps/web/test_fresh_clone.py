"""From nothing to a working back office: migrate, add a user, issue a token, in new processes.

Runs the commands the way a fresh clone does, in a child process with a clean environment:
on SQLite in a new data folder (the default), and on a scratch PostgreSQL database when the
suite runs with --db=postgresql.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Marked so the PostgreSQL pass selects it; it uses its own database, not the test one.
pytestmark = pytest.mark.django_db

_CLI = (
    "import typer, sys\n"
    "from sijill.cli.backoffice import register\n"
    "app = typer.Typer()\n"
    "register(app)\n"
    "app(sys.argv[1:])\n"
)


def run(env: dict[str, str], cwd: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-c", _CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_migrate_then_user_add_then_token_issue(
    environment: dict[str, str], tmp_path: Path
) -> None:
    run(environment, tmp_path, "migrate")
    run(
        environment,
        tmp_path,
        "user",
        "add",
        "admin1",
        "--role",
        "admin",
        stdin="Sijill!2026-admin\n",
    )
    run(
        environment,
        tmp_path,
        "user",
        "add",
        "sup",
        "--role",
        "supervisor",
        "--territory",
        "06",
        stdin="Sijill!2026-sup\n",
    )
    token = run(environment, tmp_path, "token", "issue", "admin1").strip()
    assert token.startswith("sjl_") and len(token) > 40
    assert "intact" in run(environment, tmp_path, "audit", "verify")
    if "DATABASE_URL" not in environment:
        assert (tmp_path / "var" / "sijill.sqlite3").exists()
        assert (tmp_path / "var" / "secret.key").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_on_the_given_port(environment: dict[str, str], tmp_path: Path) -> None:
    run(environment, tmp_path, "migrate")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", _CLI, "serve", "--port", str(port)],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        document = _fetch(f"http://127.0.0.1:{port}/api/v1/openapi.json", deadline=30)
        assert b'"title": "sijill back office"' in document or b"sijill back office" in document
    finally:
        server.terminate()
        server.wait(timeout=10)


def _fetch(url: str, deadline: float) -> bytes:
    until = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body: bytes = response.read()
                return body
        except OSError:
            if time.monotonic() > until:
                raise
            time.sleep(0.3)
