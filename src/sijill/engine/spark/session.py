"""The SparkSession a job runs on: where it comes from, how it is set up, and its end.

`--spark-master` is passed to Spark as it is (`local[*]`, `spark://host:7077`, `yarn`,
`k8s://…`). Under `spark-submit`, which starts the driver itself with its own `--master`,
no master is given here unless the command line names one, so spark-submit's stands.

The settings are the ones every run needs, whatever the cluster: no progress bar of
Spark's own (it would garble ours and CI logs), Parquet written as zstd like DuckDB's, and
Parquet timestamps read without a zone (the contract's are local days and times).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sijill.domain.message import Message, Refused
from sijill.engine.database import default_memory_limit

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"
APP_NAME = "sijill"
# spark-submit starts the Python driver with this set: the session is then its own.
SUBMITTED = "PYSPARK_GATEWAY_PORT"
SETTINGS: Mapping[str, str] = {
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.parquet.compression.codec": "zstd",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionOverwriteMode": "static",
}


def java_problem() -> Message | None:
    """Why Spark cannot start here, before it tries: no Java to run it, or no PySpark."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return Message("the Spark engine needs PySpark: pip install 'sijill[spark]'")
    home = os.environ.get("JAVA_HOME")
    if not (home and (Path(home) / "bin" / "java").exists()) and shutil.which("java") is None:
        return Message("the Spark engine needs Java 17 or 21 (JAVA_HOME or java on the PATH)")
    return None


def master_for(requested: str | None) -> str | None:
    """The master to give Spark: the one asked for, spark-submit's own, or local[*]."""
    if requested:
        return requested
    return None if SUBMITTED in os.environ else DEFAULT_MASTER


def _spark_size(size: str) -> str | None:
    """A DuckDB memory size ("8GB", "9830MB") as Spark writes it ("8g", "9830m")."""
    found = re.fullmatch(r"\s*(\d+)\s*([KMGT])i?B?\s*", size, re.IGNORECASE)
    return f"{found.group(1)}{found.group(2).lower()}" if found else None


def _driver_settings(master: str | None) -> dict[str, str]:
    """Settings of the JVM this process starts (none under spark-submit, which starts it):
    Spark's log quiet (log4j2.properties), Splink's jar of similarity functions on the driver's
    and the executors' classpath (linkage), and for a local master the memory DuckDB would
    take (SIJILL_MEMORY_LIMIT, or 40 % of the machine): local executors live in the driver."""
    if SUBMITTED in os.environ:
        return {}
    from sijill.engine.spark.linkage import similarity_jar

    config = Path(__file__).with_name("log4j2.properties")
    found = {
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={config.as_uri()}",
        "spark.jars": similarity_jar(),
    }
    memory = _spark_size(default_memory_limit())
    if master is not None and master.startswith("local") and memory is not None:
        found["spark.driver.memory"] = memory
    return found


def start(master: str | None, settings: Mapping[str, str] | None = None) -> SparkSession:
    """A SparkSession on `master` (see master_for), with the engine's settings."""
    problem = java_problem()
    if problem is not None:
        raise Refused(problem)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(APP_NAME)
    chosen = master_for(master)
    if chosen is not None:
        builder = builder.master(chosen)
    for key, value in {**SETTINGS, **_driver_settings(chosen), **(settings or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # PySpark logs every failed statement with its stack (JSON on standard error); the
    # engine catches the ones it expects (an unreadable file) and raises the others.
    # (Made by PySpark's own class: PySpark logs through them with arguments of its own.)
    from pyspark.logger import PySparkLogger

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)
    return session


@contextmanager
def running(
    master: str | None, settings: Mapping[str, str] | None = None
) -> Iterator[SparkSession]:
    """A session for one job, stopped at its end; a session already running in the process
    (a notebook's, a test suite's) is used as it is and left running."""
    problem = java_problem()
    if problem is not None:
        raise Refused(problem)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    session = start(master, settings)
    try:
        yield session
    finally:
        session.stop()
