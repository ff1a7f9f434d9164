"""The registers' heavy work as background tasks, run by `sijill worker`: imports, exports and
CNSS batch files. Each writes whole or not at all: an import is one transaction; an export
and a batch file are written under another name, then renamed over their place. A worker
killed meanwhile leaves the previous state, and its task is marked failed with the reason
(`sijill.background.recovery`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from sijill.accounts.models import User
from sijill.intake import cnss
from sijill.registry.exports import export_registers
from sijill.registry.imports import import_extracts

BATCHES = "batches"


@task()
def import_registers(paths: dict[str, str], actor: str) -> dict[str, Any]:
    """`sijill import` in the background: checked first, then one transaction."""
    report = import_extracts({name: Path(path) for name, path in paths.items()}, actor=actor)
    counts = {
        name: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
        for name, c in report.counts.items()
    }
    return {"counts": counts, "warnings": len(report.warnings)}


@task()
def export(folder: str) -> dict[str, int]:
    """`sijill export` in the background; `folder` appears with every extract or not at all."""
    target = Path(folder)
    work = target.with_name(f".{target.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        rows = export_registers(work)
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return rows


def batch_file(number: str) -> Path:
    """Where the CNSS file of batch `number` is kept (the contract's `amo` extract)."""
    return Path(settings.DATA_DIR) / BATCHES / f"{number}-amo.parquet"


@task()
def write_batch_file(number: str, username: str) -> int:
    """Write batch `number` as the file CNSS receives, as `username` sees it; returns rows."""
    path = batch_file(number)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    partial = path.with_name(f".{path.name}.partial")
    try:
        rows = cnss.batch_extract(User.objects.get(username=username), number, partial)
        partial.chmod(0o600)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return rows
