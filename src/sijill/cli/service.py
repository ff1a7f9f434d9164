"""The commands that run the back office as a service: serve, worker, daily, backup, restore.
`register(app)` adds them (called by `sijill.cli.backoffice.register`); each is a thin
wrapper over `sijill.operations` and `sijill.background` (docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sijill.cli.backoffice import _actor, _django, _fail
from sijill.i18n.formats import number

if TYPE_CHECKING:
    from sijill.operations.daily import Outcome

_MAIN = "from sijill.cli.app import main; main()"
# A worker beside the server finishes its task at hand when told to stop; after this many
# seconds it is killed (its task is then marked failed and a run started again).
_WORKER_GRACE = 60


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=0, help="Server processes; 0: the processors, plus one.")
    ] = 0,
    threads: Annotated[int, typer.Option(min=1, help="Threads of each server process.")] = 2,
    dev: Annotated[
        bool, typer.Option(help="Django's development server, restarting when the code changes.")
    ] = False,
    with_worker: Annotated[
        bool, typer.Option(help="Also run a background worker (a small install, the demo).")
    ] = False,
) -> None:
    """Serve the back office: gunicorn with several processes, static files included, stopped
    gracefully by SIGTERM; --dev for Django's development server."""
    if dev:
        _django()
        from django.core.management import call_command

        with _worker_beside(with_worker):
            call_command("runserver", f"{host}:{port}", use_reloader=True)
        return
    os.environ.update(_server_environment())
    command = [
        sys.executable, "-m", "gunicorn", "--config", "python:sijill.web.gunicorn",
        "--bind", f"{host}:{port}", "--workers", str(workers or _processes()),
        "--threads", str(threads), "--worker-connections", str(threads),
    ]  # fmt: skip
    if not with_worker:
        os.execv(sys.executable, command)  # gunicorn becomes this process: signals reach it
    with _worker_beside(True):
        raise typer.Exit(_supervised(command))


def _processes() -> int:
    """One server process a processor, plus one. The pages spend their time in Python
    (templates, the ORM), not waiting: more processes only take turns on the same cores.
    On 2 cores, 3 processes × 2 threads served 190 req/s with p95 300 ms where gunicorn's
    usual 5 × 4 served 168 with p95 440 (docs/deploy.md, "sijill serve")."""
    return (os.cpu_count() or 1) + 1


def _server_environment() -> dict[str, str]:
    """What the server's processes share: Prometheus' counters (a folder gunicorn empties at
    start) and, unless set, database connections kept between the requests of a thread."""
    from sijill.web.environment import data_dir

    found = {"PROMETHEUS_MULTIPROC_DIR": str(data_dir(os.environ) / "metrics")}
    if not os.environ.get("SIJILL_DB_CONN_MAX_AGE"):
        found["SIJILL_DB_CONN_MAX_AGE"] = "60"
    return found


def _supervised(command: list[str]) -> int:
    """Run `command`, passing SIGTERM and SIGINT on to it; its exit code."""
    child = subprocess.Popen(command)

    def forward(signum: int, frame: object) -> None:
        child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, forward)
    return child.wait()


@contextlib.contextmanager
def _worker_beside(wanted: bool) -> Iterator[None]:
    """A `sijill worker` beside the server while it runs, stopped with it."""
    child = None
    if wanted and os.environ.get("RUN_MAIN") != "true":  # not again in runserver's reloader
        child = subprocess.Popen([sys.executable, "-c", _MAIN, "worker"])
    try:
        yield
    finally:
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=_WORKER_GRACE)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def worker(
    interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between looks at an empty queue.")
    ] = 1.0,
    batch: Annotated[bool, typer.Option(help="Run what is queued, then stop.")] = False,
) -> None:
    """Run the background tasks (reconciliation runs, imports, exports, CNSS batch files)
    until stopped; SIGTERM lets the task at hand finish first."""
    _django()
    from sijill.background.worker import serve as serve_queue
    from sijill.runs.heartbeat import settle_interrupted

    serve_queue(interval=interval, batch=batch, settle=settle_interrupted)


def daily(
    day: Annotated[
        str | None, typer.Option(help="The day to run, YYYY-MM-DD (default: today).")
    ] = None,
    reconcile: Annotated[
        bool, typer.Option(help="Queue the nightly reconciliation of the registers.")
    ] = True,
    links: Annotated[bool, typer.Option(help="With probabilistic linkage in that run.")] = True,
) -> None:
    """The daily rhythm: transmission batches, late files, notices (dashboard and e-mail),
    the nightly reconciliation. Running a day twice changes nothing the second time."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.operations.daily import run_day
    from sijill.runs.lifecycle import FutureRun

    try:
        when = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise _fail(_("Not a day: %(value)s (expected YYYY-MM-DD).") % {"value": day}) from None
    try:
        outcome = run_day(when, actor=_actor(), reconcile=reconcile, with_links=links)
    except FutureRun:
        raise _fail(_("The day cannot be after today.")) from None
    _say_day(outcome)


def _say_day(outcome: Outcome) -> None:
    from django.utils.translation import gettext as _

    from sijill.cli import terminal

    say = terminal.console.print
    say(_("Day %(day)s") % {"day": outcome.day.isoformat()})
    for batch in outcome.batches:
        say(
            _("Batch %(number)s sent to CNSS: %(files)s files (%(territory)s)")
            % {
                "number": batch["number"],
                "files": number(int(str(batch["files"]))),
                "territory": batch["territory"] or _("national"),
            }
        )
    if not outcome.batches:
        say(_("No validated file was waiting for transmission."))
    for annex in outcome.untransmitted:
        say(_("No validator may transmit the files of %(annex)s.") % {"annex": annex})
    say(
        _("Late-file notices: %(notices)s; e-mails sent now: %(mailed)s")
        % {"notices": number(outcome.notices), "mailed": number(outcome.mailed)}
    )
    if outcome.run_id is not None:
        said = (
            _("Nightly run %(run)s queued.")
            if outcome.run_started
            else _("Nightly run %(run)s was already queued today.")
        )
        say(said % {"run": outcome.run_id})


def backup(
    out: Annotated[Path, typer.Option(help="The archive to write (.tar.gz).")],
) -> None:
    """Back up the database and the key files of the data folder into one archive."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.cli import terminal
    from sijill.operations.backup import backup as write_backup

    try:
        made = write_backup(out)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise _fail(_("The backup failed: %(error)s") % {"error": _tool_error(exc)}) from None
    terminal.console.print(
        _(
            "Backup written to %(file)s: database (%(engine)s), keys: %(keys)s; "
            "audit log head %(head)s."
        )
        % {
            "file": made.path,
            "engine": made.manifest["engine"],
            "keys": ", ".join(made.manifest["keys"]) or "—",
            "head": made.manifest["audit_head"] or "—",
        }
    )
    if made.manifest["keys_from_environment"]:
        terminal.console.print(
            _("Not in the archive, keep them with it: %(names)s")
            % {"names": ", ".join(made.manifest["keys_from_environment"])}
        )


def _tool_error(exc: BaseException) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return str(exc.stderr or exc).strip()[:500]
    return str(exc)


def restore(
    archive: Annotated[Path, typer.Argument(help="An archive written by `sijill backup`.")],
    replace_keys: Annotated[
        bool, typer.Option(help="Replace the data folder's keys by the archive's.")
    ] = False,
) -> None:
    """Replace the database by a backup's (server and workers stopped), keys included; the
    audit log is verified afterwards."""
    from sijill.operations import archive as archives
    from sijill.web.environment import data_dir

    try:  # the keys first: Django would make new ones at start-up
        found = archives.manifest(archive)
        archives.place_keys(archive, data_dir(os.environ), replace=replace_keys)
    except archives.BadArchive as exc:
        _django()
        raise _fail(str(exc)) from None
    except archives.KeysDiffer as exc:
        _django()
        from django.utils.translation import gettext as _

        raise _fail(
            _("The data folder holds other keys than the archive: %(names)s. Restore into an "
              "empty data folder, or give --replace-keys.") % {"names": ", ".join(exc.names)}
        ) from None  # fmt: skip
    _django()
    _restore_database(archive, found)


def _restore_database(archive: Path, found: dict[str, Any]) -> None:
    from django.utils.translation import gettext as _

    from sijill.audit.chain import verify
    from sijill.cli import terminal
    from sijill.operations.backup import RestoreRefused
    from sijill.operations.backup import restore as restore_archive

    try:
        restore_archive(archive)
    except RestoreRefused as exc:
        raise _fail(_("Nothing was restored: %(reason)s") % {"reason": exc}) from None
    except (OSError, subprocess.CalledProcessError) as exc:
        raise _fail(_("The restore failed: %(error)s") % {"error": _tool_error(exc)}) from None
    verdict = verify(expected_head=found.get("audit_head"))
    terminal.console.print(
        _("Restored the backup of %(when)s: %(entries)s audit entries, head %(head)s")
        % {"when": found["created_at"], "entries": number(verdict.entries), "head": verdict.head}
    )
    if not verdict.ok:
        raise _fail("\n".join([_("The audit log was tampered with:"), *verdict.problems]), 1)
    terminal.console.print(_("The audit log is intact."))


def register(app: typer.Typer) -> None:
    """Add the service's commands to the `sijill` command."""
    for name, command in (("serve", serve), ("worker", worker), ("daily", daily)):
        app.command(name)(command)


def register_backups(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
