"""sijill.operations.tasks: imports, exports and CNSS batch files as background tasks, run by
the worker, whole or not at all, with their outcome kept in the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sijill.background import worker
from sijill.intake import cnss
from sijill.operations import tasks
from sijill.registry.models import Person
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff
from tests.extract_files import write_set

pytestmark = pytest.mark.django_db


def test_an_import_queued_runs_in_the_worker_all_or_nothing(
    committed: None, people: Staff, tmp_path: Path
) -> None:
    paths = {name: str(path) for name, path in write_set(tmp_path / "good").items()}
    result = tasks.import_registers.enqueue(paths, "cli:test")
    broken = {**paths, "rnp": str(tmp_path / "missing.csv")}
    refused = tasks.import_registers.enqueue(broken, "cli:test")
    worker.serve(batch=True, interval=0.1, verbosity=0)
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value["counts"]["rnp"]["created"] == Person.objects.count() > 0
    failed = DBTaskResult.objects.get(pk=refused.id)
    assert failed.status == TaskResultStatus.FAILED and "InvalidExtracts" in failed.traceback


def test_an_export_appears_whole_and_a_batch_file_is_written_in_the_background(
    committed: None, people: Staff, settings: Any
) -> None:
    form = validated_amo_request(people)
    batch = cnss.transmit(people.validator)
    out = Path(settings.DATA_DIR) / "export"
    tasks.export.enqueue(str(out))
    tasks.write_batch_file.enqueue(batch.number, people.validator.username)
    worker.serve(batch=True, interval=0.1, verbosity=0)
    assert sorted(p.name for p in out.iterdir()) == [
        "amo.parquet", "rnp.parquet", "rsu.parquet", "territories.parquet",
    ]  # fmt: skip
    assert not list(out.parent.glob(".export.*"))
    written = tasks.batch_file(batch.number)
    assert oct(written.stat().st_mode & 0o777) == oct(0o600)
    amo = pq.read_table(written)
    assert set(amo.column("amo_file_id").to_pylist()) == {form.register_key}
