"""`sijill reconcile` from the command line: outputs, parameters, and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sijill.cli.app import app
from sijill.cli.messages import number
from sijill.engine.reconciliation.pipeline import OUTPUTS
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

runner = CliRunner()


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-recon") / "country"
    generate(SynthConfig(persons=5_000, seed=2), folder, "csv")
    return folder


def _args(country: Path, out: Path, *extra: str) -> list[str]:
    files = [f"--{n}={country / f'{n}.csv'}" for n in ("territories", "rnp", "rsu", "amo")]
    return ["reconcile", *files, "--as-of", "2026-06-30", "--out", str(out), *extra]


def test_reconcile_writes_every_output_and_prints_the_funnel(country: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, _args(country, tmp_path / "run"))
    assert result.exit_code == 0, result.output
    assert "Entonnoir national" in result.output
    for name in OUTPUTS:
        assert (tmp_path / "run" / f"{name}.parquet").exists(), name
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["links"] is True
    assert number(summary["national"]["rnp_persons"]) in result.output


def test_options_reach_the_parameters(country: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        _args(
            country,
            tmp_path / "run",
            "--threshold",
            "8.5",
            "--validation-days",
            "3",
            "--cnss-days",
            "20",
            "--no-links",
        ),
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["parameters"] == {
        "as_of": "2026-06-30",
        "threshold": 8.5,
        "validation_days": 3,
        "cnss_days": 20,
    }
    assert summary["links"] is False


def test_bad_input_exits_2_with_the_table_and_writes_nothing(country: Path, tmp_path: Path) -> None:
    broken = tmp_path / "rnp.csv"
    broken.write_text((country / "rnp.csv").read_text().replace(',"MAR",', ',"MA",', 3))
    args = _args(country, tmp_path / "run")
    args[2] = f"--rnp={broken}"
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "nationality" in result.output and "motif" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "run").exists()


def test_unknown_engine_and_missing_date_are_refused(country: Path, tmp_path: Path) -> None:
    engine = runner.invoke(app, _args(country, tmp_path / "run", "--engine", "polars"))
    assert engine.exit_code == 2 and "duckdb" in engine.output
    no_date = _args(country, tmp_path / "run")
    at = no_date.index("--as-of")
    del no_date[at : at + 2]
    assert runner.invoke(app, no_date).exit_code == 2


def test_a_threshold_that_is_no_number_is_refused(country: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, _args(country, tmp_path / "run", "--threshold", "inf"))
    assert result.exit_code == 2 and "nombre fini" in result.output
    assert "Traceback" not in result.output
