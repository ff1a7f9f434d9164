"""DuckDB and Spark agree on a 100,000-person synthetic country: the funnel in every cell,
the same findings, the same anomaly flags, the same split suspects, the same files.

Spark's time here is mostly its fixed cost per statement, not the data: on this project's
2-core machine a Spark run of 100,000 persons took 55 s against 51 s for 20,000 (measured by
benchmarks/spark_scale.py, docs/spark.md), so the issue's size fits the suite's budget.
Both runs are without links: linkage is compared on a country both engines estimate whole
(test_linkage.py).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq
import pytest

from sijill.engine import Parameters, extracts_in, reconcile
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PERSONS = 100_000
KEYS = {
    "funnel": ("code",),
    "findings": ("kind", "source", "row_id", "idcs", "household_id", "amo_file_id"),
    "anomalies": ("annex_code", "indicator"),
    "split_suspects": ("cluster_id", "household_id"),
}


@pytest.fixture(scope="module")
def runs(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parity")
    config = SynthConfig(persons=PERSONS, seed=5)
    generate(config, folder / "country")
    paths, params = extracts_in(folder / "country"), Parameters(config.as_of)
    for engine in ("duckdb", "spark"):
        reconcile(paths, params, folder / engine, with_links=False, engine=engine)
    return {engine: folder / engine for engine in ("duckdb", "spark")}


def rows(run: Path, name: str) -> dict[tuple[object, ...], dict[str, object]]:
    found = pq.read_table(run / f"{name}.parquet").to_pylist()
    by_key = {tuple(row[k] for k in KEYS[name]): row for row in found}
    assert len(by_key) == len(found), f"{name}: keys not unique"
    return by_key


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300) or (
            math.isnan(a) and math.isnan(b)
        )
    return a == b


@pytest.mark.slow
@pytest.mark.parametrize("name", list(KEYS))
def test_outputs_agree_row_by_row_and_cell_by_cell(runs: dict[str, Path], name: str) -> None:
    duck, spark = rows(runs["duckdb"], name), rows(runs["spark"], name)
    assert duck, f"{name}: the country gives no rows to compare"
    assert spark.keys() == duck.keys()
    differing = [
        (key, column)
        for key, row in duck.items()
        for column, value in row.items()
        if not same(value, spark[key][column])
    ]
    assert differing == []


@pytest.mark.slow
def test_outputs_have_the_same_columns_and_types(runs: dict[str, Path]) -> None:
    for name in (*KEYS, "links"):
        schemas = [pq.read_schema(runs[e] / f"{name}.parquet") for e in ("duckdb", "spark")]
        assert [(f.name, f.type) for f in schemas[0]] == [(f.name, f.type) for f in schemas[1]]


@pytest.mark.slow
def test_the_same_files_are_written(runs: dict[str, Path]) -> None:
    names = [sorted(p.name for p in runs[e].iterdir()) for e in ("duckdb", "spark")]
    assert names[0] == names[1]


@pytest.mark.slow
def test_the_country_has_something_to_find(runs: dict[str, Path]) -> None:
    flagged = [r for r in rows(runs["spark"], "anomalies").values() if r["flagged"]]
    assert flagged and rows(runs["spark"], "split_suspects")
