"""The test suite's one SparkSession, and the `engine` every engine test runs on.

One session for the whole run (starting Spark costs seconds), small: two local cores, two
shuffle partitions, no web UI. Without Java or PySpark the Spark tests are skipped with the
reason shown, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from sijill.engine.spark.session import java_problem, start

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

MASTER = "local[2]"
SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "2g",
}
ENGINES = ("duckdb", "spark")


def spark_or_skip() -> None:
    problem = java_problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Spark is needed under CI=true: {problem}")
    pytest.skip(f"Spark tests skipped: {problem}")


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    spark_or_skip()
    session = start(MASTER, SETTINGS)
    yield session
    session.stop()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine test once per engine; on Spark, on the shared session."""
    name = str(request.param)
    if name == "spark":
        request.getfixturevalue("spark")
    return name
