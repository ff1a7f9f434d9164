"""Reconciliation runs: on the back office's own registers or on uploaded extracts, in the
background, with their progress kept on the run for the page that polls it.

A run works in its own folder, `SIJILL_DATA_DIR/runs/<id>/`: `extracts/` (exported or
uploaded), `out/` (what `sijill reconcile` writes) and `findings.parquet` (sorted by annex).
The background is the task queue (Django's Tasks API, django-tasks-db: a table of the back
office's database, no broker): starting a run enqueues `reconcile_run`, which `sijill
worker` runs. A web request never does a run's work. A run whose worker stopped mid-way is
started again or failed by `runs.heartbeat`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from sijill.audit.chain import Change, record
from sijill.engine import STAGES, InvalidExtracts, Parameters, Problem, extracts_in, reconcile
from sijill.runs.imports import import_run
from sijill.runs.models import BACK_OFFICE, DIRECTORY, FAILED, QUEUED, RUNNING, SUCCEEDED, Run
from sijill.territories import scope

log = logging.getLogger(__name__)
# Stages shown: the export of the registers (back-office runs), reconcile's, the import.
EXPORT, IMPORT = "export", "import"
INVALID = "invalid extracts"  # the run's error when its problems table says why


def runs_root() -> Path:
    return Path(settings.DATA_DIR) / "runs"


class FutureRun(ValueError):
    """A reference day after today: such a run would stay the latest one for ever."""


def create(
    source: str, params: Parameters, *, actor: str, user: Any = None, with_links: bool = True
) -> Run:
    """A queued run with its own work folder, scoped to the user's territory (national
    without a user); recorded in the audit log. FutureRun when `as_of` is after today."""
    if params.as_of > timezone.localdate():
        raise FutureRun(params.as_of.isoformat())
    stages = len(STAGES) + 1 + (1 if source == BACK_OFFICE else 0)
    run: Run = Run.objects.create(
        source=source,
        parameters=params.as_dict(),
        as_of=params.as_of,
        with_links=with_links,
        stages_total=stages,
        created_by=user,
        territory_id=None if user is None else user.territory_code,
        work_dir="",
    )
    run.work_dir = str(runs_root() / str(run.pk))
    run.save(update_fields=["work_dir"])
    # A folder left by a database since replaced must not mix its files into this run.
    shutil.rmtree(run.work_dir, ignore_errors=True)
    private_folder(extracts_folder(run), levels=3)  # runs/, runs/ID/, runs/ID/extracts/
    after = {**run.parameters, "territory": run.scope_code}
    record(Change(actor, "run.create", "monitoring.run", run.pk, after=after))
    return run


def managed_by(user: Any) -> QuerySet[Run]:
    """The runs a user may follow and retire: those of the user's subtree (national runs
    for national users only)."""
    return scope.within(Run.objects.all(), user.territory_code, "territory_id")


def retire(run: Run, *, actor: str, retired: bool = True) -> None:
    """Take a run off the dashboards (or put it back); its history and files stay."""
    before = run.retired_at
    run.retired_at = timezone.now() if retired else None
    run.save(update_fields=["retired_at"])
    action = "run.retire" if retired else "run.reinstate"
    after = {"retired_at": run.retired_at}
    record(Change(actor, action, "monitoring.run", run.pk, {"retired_at": before}, after))


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
    """Progress, saved on the run as the engine reports it; `heartbeat_at` says when."""
    run.stage, run.stages_done, run.heartbeat_at = stage, done, timezone.now()
    run.save(update_fields=["stage", "stages_done", "heartbeat_at"])


def _finish(run: Run, status: str, **fields: object) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.status, run.finished_at = status, timezone.now()
    if status == SUCCEEDED:
        run.stages_done = run.stages_total
    run.save(update_fields=[*fields, "status", "finished_at", "stages_done"])


def execute(run_id: int) -> None:
    """Do the run's work and record how it ended. Only the worker's own stop (SystemExit,
    KeyboardInterrupt) escapes: the run stays open, its extracts kept, and is started again
    (`runs.heartbeat`)."""
    run = Run.objects.get(pk=run_id)
    run.status, run.started_at, run.heartbeat_at = RUNNING, timezone.now(), timezone.now()
    run.save(update_fields=["status", "started_at", "heartbeat_at"])
    _work(run)
    discard_extracts(run)


@task()
def reconcile_run(run_id: int) -> str:
    """The background task of a run, one per attempt; returns how the run ended."""
    execute(run_id)
    status: str = Run.objects.values_list("status", flat=True).get(pk=run_id)
    return status


def private_folder(folder: Path, levels: int = 1) -> None:
    """Create `folder` if needed; it and the `levels - 1` folders above it become
    owner-only (FILE_UPLOAD_DIRECTORY_PERMISSIONS): extracts are personal data."""
    folder.mkdir(parents=True, exist_ok=True)
    for level in (folder, *folder.parents)[:levels]:
        level.chmod(settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS)


def discard_extracts(run: Run) -> None:
    """Remove the run's copy of the extracts (uploaded, or exported from the registers):
    personal data, needed by nothing once the run is over. Its results stay (`out/`,
    `findings.parquet`), for the dashboards and work lists."""
    shutil.rmtree(extracts_folder(run), ignore_errors=True)


def discard_leftover_extracts() -> int:
    """Remove the extracts that runs over (finished, failed, interrupted by a stopped
    server) left behind; returns how many runs had some."""
    over = Run.objects.filter(status__in=(SUCCEEDED, FAILED)).exclude(work_dir="")
    left = [run for run in over.only("pk", "work_dir") if extracts_folder(run).exists()]
    for run in left:
        discard_extracts(run)
    return len(left)


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
        problems = [_shown_problem(run, p) for p in exc.problems]
        _finish(run, FAILED, problems=problems, error=INVALID)
    except Exception as exc:  # kept for operators; the page says only that it failed
        log.exception("run %s failed", run.pk)
        _finish(run, FAILED, error=_without_folders(run, f"{type(exc).__name__}: {exc}")[:2000])
    else:
        _finish(run, SUCCEEDED)


def _without_folders(run: Run, text: str) -> str:
    """The text with the server's folders left out: a file is named from the run's own."""
    return text.replace(f"{run.work_dir}/", "").replace(str(settings.DATA_DIR), "")


def _shown_problem(run: Run, problem: Problem) -> dict[str, Any]:
    """A problem as the run's page shows it (`Problem.as_json`): its file by name, and no
    server folder in its detail, worded in English or from its id and parameters."""
    found = problem.as_json()
    return {
        **found,
        "file": Path(problem.file).name,
        "detail": _without_folders(run, found["detail"]),
        "detail_params": _params_without_folders(run, found["detail_params"]),
    }


def _params_without_folders(run: Run, params: dict[str, Any]) -> dict[str, Any]:
    """A message's parameters with the server's folders left out, nested messages too
    (DuckDB names the file it could not read)."""
    return {name: _value_without_folders(run, value) for name, value in params.items()}


def _value_without_folders(run: Run, value: Any) -> Any:
    if isinstance(value, str):
        return _without_folders(run, value)
    if isinstance(value, dict):
        params = _params_without_folders(run, value.get("params") or {})
        return {**value, "params": params}
    return value


def launch(run: Run) -> None:
    """Queue the run for a worker, once its row is committed."""
    transaction.on_commit(lambda: reconcile_run.enqueue(run.pk))


def requeue(run: Run) -> None:
    """Queue the run again from its start, its progress reset (its worker stopped). Called
    within the transaction that settles it: the new task appears with the run's reset."""
    run.status, run.stage, run.stages_done, run.started_at = QUEUED, "", 0, None
    run.save(update_fields=["status", "stage", "stages_done", "started_at"])
    reconcile_run.enqueue(run.pk)


def from_directory(out_dir: Path, extracts: Mapping[str, Path], *, actor: str) -> Run:
    """A reconciliation done elsewhere (`sijill reconcile`), imported as it is, with the
    parameters its summary.json names; ValueError when the folder cannot be read."""
    try:
        summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
        params = _parameters(summary["parameters"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{out_dir} is not a reconciliation output folder: {exc}") from exc
    run = create(DIRECTORY, params, actor=actor, with_links=bool(summary.get("links", True)))
    run.status, run.started_at, run.heartbeat_at = RUNNING, timezone.now(), timezone.now()
    run.save(update_fields=["status", "started_at", "heartbeat_at"])
    try:
        import_run(run, out_dir, extracts)
    except ValueError as exc:
        _finish(run, FAILED, error=str(exc))
        raise
    _finish(run, SUCCEEDED)
    return run
