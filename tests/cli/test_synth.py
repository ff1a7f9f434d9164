"""`sijill synth` and `sijill demo` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sijill.cli.app import app
from sijill.cli.messages import number

runner = CliRunner()


def test_synth_writes_a_country_and_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "country"
    result = runner.invoke(
        app,
        [
            "synth",
            "--persons",
            "2000",
            "--out",
            str(out),
            "--seed",
            "3",
            "--format",
            "csv",
            "--as-of",
            "2025-12-31",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "lignes : rnp" in result.output
    for name in ("territories", "rnp", "rsu", "amo"):
        assert (out / f"{name}.csv").stat().st_size > 0
    manifest = json.loads((out / "truth" / "manifest.json").read_text())
    assert manifest["config"]["as_of"] == "2025-12-31"
    assert manifest["config"]["seed"] == 3


def test_synth_refuses_a_busy_folder_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("keep")
    refused = runner.invoke(app, ["synth", "--persons", "500", "--out", str(out)])
    assert refused.exit_code == 2
    assert "n'est pas vide" in refused.output and "--force" in refused.output
    assert "Traceback" not in refused.output
    forced = runner.invoke(app, ["synth", "--persons", "500", "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert not (out / "notes.txt").exists()


def test_synth_rejects_an_unknown_format(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "--persons", "10", "--out", str(tmp_path / "x"), "--format", "xlsx"]
    )
    assert result.exit_code == 2
    assert "parquet, csv" in result.output


def test_synth_rejects_a_bad_date_and_a_bad_count(tmp_path: Path) -> None:
    bad_date = runner.invoke(
        app, ["synth", "--persons", "10", "--out", str(tmp_path / "x"), "--as-of", "30/06/2026"]
    )
    assert bad_date.exit_code == 2
    zero = runner.invoke(app, ["synth", "--persons", "0", "--out", str(tmp_path / "y")])
    assert zero.exit_code == 2


def test_demo_generates_reconciles_and_shows_the_losses(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out), "--persons", "3000"])
    assert result.exit_code == 0, result.output
    assert "Entonnoir national" in result.output and "pertes RNP → RSU" in result.output
    assert (out / "country" / "truth" / "funnel.parquet").exists()
    summary = json.loads((out / "run" / "summary.json").read_text())
    assert number(summary["national"]["rnp_not_in_rsu"]) in result.output
