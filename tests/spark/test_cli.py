"""`--engine spark` and `--spark-master` on the command line (in French, its default)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from sijill.cli.app import app
from tests.extract_files import changed, valid_rows, write_set

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

runner = CliRunner()


def options(paths: Mapping[str, Path | str]) -> list[str]:
    return [arg for name, path in paths.items() for arg in (f"--{name}", str(path))]


def test_validate_on_spark_exits_as_on_duckdb(spark: SparkSession, tmp_path: Path) -> None:
    rows = valid_rows()
    rows["rnp"][0] = changed(rows["rnp"][0], idcs="12AB")
    paths = write_set(tmp_path, "parquet", rows)
    spark_run = runner.invoke(
        app, ["validate", *options(paths), "--engine", "spark", "--spark-master", "local[2]"]
    )
    duckdb_run = runner.invoke(app, ["validate", *options(paths)])
    assert (spark_run.exit_code, duckdb_run.exit_code) == (2, 2)
    assert "12AB" not in spark_run.output  # rows are shown by number, never by value
    assert "motif" in spark_run.output and spark_run.output == duckdb_run.output


def test_uris_are_refused_on_duckdb_before_anything_is_written(tmp_path: Path) -> None:
    paths = write_set(tmp_path, "csv")
    uri = paths["rnp"].absolute().as_uri()
    given: dict[str, Path | str] = {**paths, "rnp": uri}
    args = ["--as-of", "2024-03-10", "--out", str(tmp_path / "out"), "--no-links"]
    result = runner.invoke(app, ["reconcile", *options(given), *args])
    assert result.exit_code == 2
    assert "--engine spark" in result.output and uri in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    paths = write_set(tmp_path, "csv")
    result = runner.invoke(app, ["validate", *options(paths), "--engine", "polars"])
    assert result.exit_code == 2
    assert "duckdb, spark" in result.output


@pytest.mark.parametrize("command", ["validate", "reconcile", "link"])
def test_help_names_the_engines_and_the_master(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert "--engine" in result.output and "--spark-master" in result.output
    assert "duckdb|spark" in result.output
