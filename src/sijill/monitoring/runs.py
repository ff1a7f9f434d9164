"""Reconciliation runs: on the back office's own registers or on uploaded extracts, in the
background, with their progress kept on the run for the page that polls it.

A run works in its own folder, `SIJILL_DATA_DIR/runs/<id>/`: `extracts/` (exported or
uploaded), `out/` (what `sijill reconcile` writes) and `findings.parquet` (sorted by annex).
The background is a thread of the server process: it works on SQLite and PostgreSQL alike
and needs no broker; a run cut short by a server restart is settled as interrupted once its
heartbeat has stopped (`monitoring.heartbeat`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import threading
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from sijill.audit.chain import Change, record
from sijill.engine.extracts import extracts_in
from sijill.engine.params import Parameters
from sijill.engine.problems import InvalidExtracts
from sijill.engine.reconcile import STAGES, reconcile
from sijill.monitoring.heartbeat import beating
from sijill.monitoring.imports import import_run
from sijill.monitoring.models import BACK_OFFICE, DIRECTORY, FAILED, RUNNING, SUCCEEDED, Run

log = logging.getLogger(__name__)
# Stages shown: the export of the registers (back-office runs), reconcile's, the import.
EXPORT, IMPORT = "export", "import"


def runs_root() -> Path:
    return Path(settings.DATA_DIR) / "runs"


def create(
    source: str, params: Parameters, *, actor: str, user: object = None, with_links: bool = True
) -> Run:
    """A queued run with its own work folder; recorded in the audit log."""
    stages = len(STAGES) + 1 + (1 if source == BACK_OFFICE else 0)
    run: Run = Run.objects.create(
        source=source,
        parameters=params.as_dict(),
        as_of=params.as_of,
        with_links=with_links,
        stages_total=stages,
        created_by=user,
        work_dir="",
    )
    run.work_dir = str(runs_root() / str(run.pk))
    run.save(update_fields=["work_dir"])
    # A folder left by a database since replaced must not mix its files into this run.
    shutil.rmtree(run.work_dir, ignore_errors=True)
    extracts_folder(run).mkdir(parents=True)
    record(Change(actor, "run.create", "monitoring.run", run.pk, after=run.parameters))
    return run


def extracts_folder(run: Run) -> Path:
    return Path(run.work_dir) / "extracts"


def extract_paths(run: Run) -> dict[str, Path]:
    """The run's extracts by name (Parquet or CSV, as exported or uploaded)."""
    return extracts_in(extracts_folder(run))


def _parameters(found: Mapping[str, object]) -> Parameters:
    return Parameters(
        dt.date.fromisoformat(str(found["as_of"])),
        float(str(found["threshold"])),
        int(str(found["validation_days"])),
        int(str(found["cnss_days"])),
    )


def parameters(run: Run) -> Parameters:
    return _parameters(run.parameters)


def _step(run: Run, stage: str, done: int) -> None:
    run.stage, run.stages_done = stage, done
    run.save(update_fields=["stage", "stages_done"])


def _finish(run: Run, status: str, **fields: object) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.status, run.finished_at = status, timezone.now()
    if status == SUCCEEDED:
        run.stages_done = run.stages_total
    # Only what ends the run: heartbeat_at is the companion thread's to write.
    run.save(update_fields=[*fields, "status", "finished_at", "stages_done"])


def execute(run_id: int) -> None:
    """Do the run's work and record how it ended; never raises (a thread's body)."""
    run = Run.objects.get(pk=run_id)
    run.status, run.started_at = RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    with beating(run_id):
        _work(run)


def _work(run: Run) -> None:
    offset = 0
    try:
        if run.source == BACK_OFFICE:
            from sijill.registry.exports import export_registers

            _step(run, EXPORT, 0)
            export_registers(extracts_folder(run))
            offset = 1
        out = Path(run.work_dir) / "out"
        paths = extract_paths(run)
        reconcile(
            paths,
            parameters(run),
            out,
            with_links=run.with_links,
            progress=lambda stage, done: _step(run, stage, offset + done),
        )
        _step(run, IMPORT, run.stages_total - 1)
        import_run(run, out, paths)
    except InvalidExtracts as exc:
        problems = [{**asdict(p), "file": Path(p.file).name} for p in exc.problems]
        _finish(run, FAILED, problems=problems, error="invalid extracts")
    except Exception as exc:  # the run's page shows it; nothing else may see a traceback
        log.exception("run %s failed", run.pk)
        _finish(run, FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
    else:
        _finish(run, SUCCEEDED)


def _in_thread(run_id: int) -> None:
    try:
        execute(run_id)
    finally:
        connection.close()


def launch(run: Run) -> None:
    """Start the run once its row is committed, so that the thread's connection sees it."""
    transaction.on_commit(lambda: start(run))


def start(run: Run) -> threading.Thread:
    """Run in a background thread of this process; returns the thread (tests join it)."""
    close_old_connections()
    thread = threading.Thread(target=_in_thread, args=(run.pk,), name=f"run-{run.pk}", daemon=True)
    thread.start()
    return thread


def from_directory(out_dir: Path, extracts: Mapping[str, Path], *, actor: str) -> Run:
    """A reconciliation done elsewhere (`sijill reconcile`), imported as it is, with the
    parameters its summary.json names; ValueError when the folder cannot be read."""
    try:
        summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
        params = _parameters(summary["parameters"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{out_dir} is not a reconciliation output folder: {exc}") from exc
    run = create(DIRECTORY, params, actor=actor, with_links=bool(summary.get("links", True)))
    run.status, run.started_at = RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        with beating(run.pk):
            import_run(run, out_dir, extracts)
    except ValueError as exc:
        _finish(run, FAILED, error=str(exc))
        raise
    _finish(run, SUCCEEDED)
    return run
