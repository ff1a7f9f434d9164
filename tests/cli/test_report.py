"""`sijill report` from the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from sijill.cli.app import app
from sijill.engine.params import Parameters
from sijill.engine.reconcile.pipeline import reconcile
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

runner = CliRunner()


def test_report_writes_a_workbook_and_csv_files(tmp_path: Path) -> None:
    generate(SynthConfig(persons=3_000, seed=4), tmp_path / "country")
    paths = {n: tmp_path / "country" / f"{n}.parquet" for n in ("territories", "rnp", "rsu", "amo")}
    reconcile(paths, Parameters(dt.date(2026, 6, 30)), tmp_path / "run")
    xlsx = runner.invoke(app, ["report", str(tmp_path / "run"), "--out", str(tmp_path / "r.xlsx")])
    assert xlsx.exit_code == 0, xlsx.output
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    csv = runner.invoke(app, ["report", str(tmp_path / "run"), "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    assert any((tmp_path / "run" / "report").glob("*.csv"))


def test_report_refuses_a_missing_run_and_an_unknown_format(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["report", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    (tmp_path / "run").mkdir()
    pdf = runner.invoke(app, ["report", str(tmp_path / "run"), "--format", "pdf"])
    assert pdf.exit_code == 2
