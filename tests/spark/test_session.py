"""Which master a job asks Spark for, and the local driver's memory (engine/spark/session.py)."""

from __future__ import annotations

import pytest

from sijill.engine.spark import session


@pytest.mark.parametrize(
    "given", ["local[2]", "spark://10.0.0.5:7077", "yarn", "k8s://https://api.example:443"]
)
def test_a_given_master_is_passed_as_it_is(given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(session.SUBMITTED, raising=False)
    assert session.master_for(given) == given


def test_no_master_is_local_unless_spark_submit_started_the_driver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(session.SUBMITTED, raising=False)
    assert session.master_for(None) == "local[*]"
    monkeypatch.setenv(session.SUBMITTED, "40123")
    assert session.master_for(None) is None


@pytest.mark.parametrize(
    ("size", "spark"),
    [("8GB", "8g"), ("9830MB", "9830m"), ("8 GiB", "8g"), ("2g", "2g"), ("lots", None)],
)
def test_duckdbs_memory_size_in_sparks_words(size: str, spark: str | None) -> None:
    assert session._spark_size(size) == spark


def test_local_driver_takes_the_memory_duckdb_would(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(session.SUBMITTED, raising=False)
    monkeypatch.setenv("SIJILL_MEMORY_LIMIT", "3GB")
    assert session._driver_settings("local[*]")["spark.driver.memory"] == "3g"
    assert "spark.driver.memory" not in session._driver_settings("yarn")
    monkeypatch.setenv(session.SUBMITTED, "40123")
    assert session._driver_settings("local[*]") == {}  # spark-submit's JVM, spark-submit's settings
