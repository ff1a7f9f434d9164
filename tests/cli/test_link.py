"""`sijill link` from the command line: its outputs, and refusal of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sijill.cli.app import app
from sijill.cli.messages import number
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

runner = CliRunner()
NAMES = ("territories", "rnp", "rsu", "amo")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-link") / "country"
    generate(SynthConfig(persons=8_000, seed=3), folder, "csv")
    return folder


def _args(files: dict[str, Path], out: Path) -> list[str]:
    return ["link", *[f"--{n}={files[n]}" for n in NAMES], "--out", str(out)]


def _files(country: Path) -> dict[str, Path]:
    return {n: country / f"{n}.csv" for n in NAMES}


def test_link_writes_links_and_its_summary(country: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, _args(_files(country), tmp_path / "out"))
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "linkage.json").read_text())
    links = pq.read_table(tmp_path / "out" / "links.parquet")
    assert links.num_rows == summary["links"] > 0
    assert summary["rows"] >= summary["links"]
    assert set(summary["timings"]) == {"rows", "pool", "train", "predict"}
    assert number(summary["rows"]) in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_bad_input_exits_2_and_writes_nothing(country: Path, tmp_path: Path) -> None:
    broken = tmp_path / "rnp.csv"
    broken.write_text("idcs\n12345\n")
    result = runner.invoke(app, _args({**_files(country), "rnp": broken}, tmp_path / "out"))
    assert result.exit_code == 2
    assert "sex" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rnp.csv"]
