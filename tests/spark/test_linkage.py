"""`sijill link --engine spark` (Splink's Spark backend) agrees with DuckDB at 0.5, reading and
writing file:// URIs through Hadoop's filesystem.

The country is sized so that both engines estimate the same model: its 125 unresolved rows
and 1,931 RNP persons are below the samples' sizes (`TRAIN_ROWS`, `U_SAMPLE`) and give fewer
pairs than `U_PAIRS`, so every sample is the whole table and u is counted on every pair, on
both engines; and small, because Spark's linkage costs its statements' fixed costs (about
25 s here on the suite's warm session), whatever the size. Above those sizes each engine
draws its samples with its own hash function, and the two models differ by sampling noise
(docs/spark.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sijill.cli.app import app
from sijill.engine import extracts_in, link
from sijill.engine.linkage.matching import TRAIN_ROWS, U_PAIRS, U_SAMPLE
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PERSONS = 2_000
runner = CliRunner()
Links = dict[tuple[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def runs(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("linkage")
    generate(SynthConfig(persons=PERSONS, seed=5), folder / "country")
    paths = extracts_in(folder / "country")
    link(paths, folder / "duckdb")
    given = [arg for name, p in paths.items() for arg in (f"--{name}", p.absolute().as_uri())]
    out = (folder / "spark").absolute().as_uri()
    result = runner.invoke(app, ["link", *given, "--out", out, "--engine", "spark"])
    assert result.exit_code == 0, result.output
    return {"duckdb": folder / "duckdb", "spark": folder / "spark", "folder": folder}


def links(run: Path) -> Links:
    rows = pq.read_table(run / "links.parquet").to_pylist()
    return {(row["source"], row["row_id"]): row for row in rows}


def confident(found: Links) -> set[tuple[str, str, str]]:
    return {
        (*key, r["candidate_idcs"]) for key, r in found.items() if r["match_probability"] >= 0.5
    }


@pytest.mark.slow
def test_the_same_rows_get_the_same_candidates_at_one_half(runs: dict[str, Path]) -> None:
    duck, spark = links(runs["duckdb"]), links(runs["spark"])
    assert len(confident(duck)) > 40
    assert confident(spark) == confident(duck)


@pytest.mark.slow
def test_the_same_model_gives_the_same_probabilities(runs: dict[str, Path]) -> None:
    duck, spark = links(runs["duckdb"]), links(runs["spark"])
    assert spark.keys() == duck.keys()
    apart = max(abs(duck[k]["match_probability"] - spark[k]["match_probability"]) for k in duck)
    assert apart < 1e-9


def stats(run: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((run / "linkage.json").read_text())
    return found


@pytest.mark.slow
def test_both_engines_count_the_same_and_estimate_on_whole_tables(
    runs: dict[str, Path],
) -> None:
    duck, spark = stats(runs["duckdb"]), stats(runs["spark"])
    counted = ("rows", "register", "pool", "pairs", "links", "confident", "prior")
    assert {k: spark[k] for k in counted} == {k: duck[k] for k in counted}
    assert duck["rows"] <= TRAIN_ROWS and duck["register"] <= U_SAMPLE
    assert duck["rows"] * duck["register"] <= U_PAIRS


@pytest.mark.slow
def test_the_uri_output_is_the_files_alone(runs: dict[str, Path]) -> None:
    written = sorted(p.name for p in runs["spark"].iterdir())
    assert written == ["linkage.json", "links.parquet"]
    assert [p.name for p in runs["folder"].iterdir() if p.name.startswith(".")] == []
