"""sijill.runs.imports and runs.from_directory: a finished reconciliation into a run."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sijill.runs.imports import findings_path, import_run
from sijill.runs.lifecycle import from_directory
from sijill.runs.models import FAILED, SUCCEEDED, Anomaly, Candidate, Figures, Run
from tests.apps.reconciled import Reconciled
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, COUNTRY_AS_OF

pytestmark = pytest.mark.django_db


def test_a_folder_becomes_a_finished_run_with_its_figures(monitored: Run) -> None:
    run = Run.objects.get(pk=monitored.pk)
    assert run.status == SUCCEEDED and run.progress == 100
    assert run.as_of == COUNTRY_AS_OF and run.parameters["as_of"] == COUNTRY_AS_OF.isoformat()
    funnel = pq.read_table(Path(run.output_dir) / "funnel.parquet").to_pylist()
    assert Figures.objects.filter(run=run).count() == len(funnel)
    national = Figures.objects.get(run=run, code="ALL")
    assert national.rnp_persons == run.summary["national"]["rnp_persons"]
    anomalies = pq.read_metadata(Path(run.output_dir) / "anomalies.parquet").num_rows
    assert Anomaly.objects.filter(run=run).count() == anomalies
    assert Candidate.objects.filter(run=run, annex_code=ANNEX_1).count() == 2
    assert findings_path(run).is_file()


def test_importing_again_replaces_the_rows(monitored: Run, country: Reconciled) -> None:
    before = Figures.objects.filter(run=monitored).count()
    import_run(monitored, country.out, country.extracts)
    assert Figures.objects.filter(run=monitored).count() == before
    assert Candidate.objects.filter(run=monitored).count() == 4


def test_a_folder_that_is_no_run_is_refused(people: Staff, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a reconciliation output folder"):
        from_directory(tmp_path, {}, actor="test")
    assert not Run.objects.exists()


def test_a_run_whose_outputs_are_unreadable_fails(
    people: Staff, country: Reconciled, tmp_path: Path
) -> None:
    broken = tmp_path / "run"
    broken.mkdir()
    (broken / "summary.json").write_bytes((country.out / "summary.json").read_bytes())
    with pytest.raises(ValueError, match="cannot read the run's output"):
        from_directory(broken, country.extracts, actor="test")
    run = Run.objects.get()
    assert run.status == FAILED and "funnel.parquet" in run.error
    assert not Figures.objects.exists()
