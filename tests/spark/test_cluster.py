"""A reconciliation submitted by the `sijill` command to a standalone Spark cluster on loopback
(a master and two workers from the PySpark installation, tests/spark/cluster.py).

The command runs as it would on a cluster's edge machine, given file:// URIs: a process of
its own, whose driver reaches the master at `spark://127.0.0.1:PORT` and whose work runs in
the workers' executors.
The funnel must be DuckDB's, cell by cell; Spark's start-up must not fill standard error; and
the cluster is stopped, its processes gone, whatever the outcome.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sijill.engine import Parameters, extracts_in, reconcile
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate
from tests.spark.cluster import Cluster, running
from tests.spark.session import spark_or_skip

PERSONS = 2_000
# Lines of Spark's own log (log4j's pattern, or its default one) and its level banner.
SPARK_LOG = re.compile(r"^\d\d/\d\d/\d\d \d\d:\d\d:\d\d (INFO|WARN)|Setting default log level")
# The JVM's own notice, printed before any logging exists (Spark 4 adds the vector module).
JVM_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector"


def submit(cluster: Cluster, country: Path, out: Path) -> subprocess.CompletedProcess[str]:
    # Extracts and output as file:// URIs: read by the executors, the output staged and
    # swapped in through Hadoop's filesystem API, as on hdfs:// or s3a://.
    extracts = extracts_in(country).items()
    given = [arg for name, p in extracts for arg in (f"--{name}", p.absolute().as_uri())]
    command = [
        *(sys.executable, "-m", "sijill.cli", "reconcile", *given, "--no-links"),
        *("--as-of", SynthConfig(persons=1).as_of.isoformat(), "--out", out.absolute().as_uri()),
        *("--engine", "spark", "--spark-master", cluster.master),
    ]
    return subprocess.run(command, env=cluster.env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    spark_or_skip()
    folder = tmp_path_factory.mktemp("cluster")
    generate(SynthConfig(persons=PERSONS, seed=3), folder / "country")
    with running(folder) as cluster:
        done = submit(cluster, folder / "country", folder / "spark")
        cluster.wait_for_workers()  # long up: a failed submission says so below
        apps = cluster.state().get("completedapps")
    found: dict[str, object] = {"done": done, "apps": apps, "left": _left(cluster)}
    config = SynthConfig(persons=PERSONS, seed=3)
    paths, params = extracts_in(folder / "country"), Parameters(config.as_of)
    reconcile(paths, params, folder / "duckdb", with_links=False)
    return {**found, "folder": folder}


def _left(cluster: Cluster) -> list[int]:
    """The cluster's processes still running a few seconds after it was stopped."""
    deadline = time.monotonic() + 10
    while cluster.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    return cluster.alive()


@pytest.mark.slow
def test_the_command_succeeds_on_the_cluster(submitted: dict[str, object]) -> None:
    done = submitted["done"]
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 0, done.stderr[-3000:]
    apps = submitted["apps"]
    assert isinstance(apps, list) and [app["name"] for app in apps] == ["sijill"]
    assert apps[0]["cores"] == 2  # one executor core on each of the two workers


@pytest.mark.slow
def test_the_funnel_is_duckdbs_cell_by_cell(submitted: dict[str, object]) -> None:
    folder = submitted["folder"]
    assert isinstance(folder, Path)
    funnels = [
        {row["code"]: row for row in pq.read_table(folder / e / "funnel.parquet").to_pylist()}
        for e in ("duckdb", "spark")
    ]
    assert funnels[0] and funnels[1] == funnels[0]


@pytest.mark.slow
def test_spark_start_up_does_not_flood_standard_error(submitted: dict[str, object]) -> None:
    done = submitted["done"]
    assert isinstance(done, subprocess.CompletedProcess)
    logged = [line for line in done.stderr.splitlines() if SPARK_LOG.search(line)]
    assert logged == []
    assert done.stderr.count(JVM_NOTICE) <= 1


@pytest.mark.slow
def test_no_process_of_the_cluster_is_left(submitted: dict[str, object]) -> None:
    assert submitted["left"] == []
