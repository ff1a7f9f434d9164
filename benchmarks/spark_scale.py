"""`sijill reconcile` on DuckDB, on Spark `local[2]` and on a standalone two-worker Spark cluster,
same countries, one run per size.

For each size, on the same synthetic country (seed 1), in one fresh process (as a command):
- duckdb: `reconcile(..., engine="duckdb")`, the default engine;
- local[2]: a SparkSession on `local[2]` started and its first query answered ("start", the
  fixed cost of every Spark run, shown apart), then `reconcile(..., engine="spark")` on it;
- cluster: a standalone cluster on loopback from the PySpark installation (a master and two
  workers of one core each, tests/spark/cluster.py) started ("cluster start"), a session on
  it ("start"), then the same reconcile, its work in the workers' executors;
each with its stage timings, and with the linkage (`links` stage) when `--links` is given.
The funnels must equal DuckDB's in every cell (the run stops otherwise); with links, the
share of rows whose candidate at 0.5 agrees with DuckDB's is recorded (the two engines draw
their training samples with their own hash functions, docs/spark.md).

The `others` figures are the CPU other processes used meanwhile, in cores on average: this
machine is shared. Run each size on its own under the bench lock (each hold < 15 min):

    flock /tmp/bench.lock python benchmarks/spark_scale.py --sizes 1000000 --links
    flock /tmp/bench.lock python benchmarks/spark_scale.py --sizes 10000000 --targets cluster

Countries are reused from DIR/pN (N persons) or generated there. Results are merged into
benchmarks/results/spark_scale.json by (persons, target, links).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import pyarrow.parquet as pq

from sijill.engine import Parameters, extracts_in, reconcile
from sijill.engine.spark.session import start
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

# The cluster of the test suite, sized here for national files (tests/spark/cluster.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.spark.cluster import Cluster, running

RESULTS = Path(__file__).parent / "results" / "spark_scale.json"
TARGETS = ("duckdb", "local", "cluster")
LOCAL = "local[2]"
# Two workers of one core on this 2-core machine; 24 GiB: 6 GiB per worker, 3 for the driver
# (it only plans and collects: the anomaly model's rows, one per annex).
WORKER_MEMORY = "6g"
CLUSTER = {
    "spark.executor.memory": "5g",
    "spark.executor.cores": "1",
    "spark.driver.memory": "3g",
    "spark.ui.enabled": "false",
}


def busy_cores() -> tuple[float, float]:
    """(machine busy seconds, wall seconds) now, from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - fields[3] - fields[4]) / ticks, time.monotonic()


def own_cpu() -> float:
    """CPU seconds of this process and its children (Spark's JVMs, the cluster's among them)."""
    me = psutil.Process()
    total = 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            total += sum(process.cpu_times()[:2])
        except psutil.NoSuchProcess:
            continue
    return total


def timed(work: Callable[[], Any]) -> tuple[dict[str, float], Any]:
    """({seconds, others}, result): others = other processes' cores meanwhile."""
    busy, wall = busy_cores()
    mine = own_cpu()
    result = work()
    busy2, wall2 = busy_cores()
    seconds = wall2 - wall
    others = max(0.0, (busy2 - busy) - (own_cpu() - mine)) / max(seconds, 1e-9)
    return {"seconds": round(seconds, 2), "others": round(others, 2)}, result


def country(data: Path, persons: int) -> Path:
    folder = data / f"p{persons}"
    if not (folder / "rnp.parquet").exists():
        generate(SynthConfig(persons=persons, seed=1), folder)
    return folder


def funnel(run: Path) -> dict[str, Any]:
    return {r["code"]: r for r in pq.read_table(run / "funnel.parquet").to_pylist()}


def confident(run: Path) -> dict[tuple[str, str], str]:
    rows = pq.read_table(run / "links.parquet").to_pylist()
    return {
        (r["source"], r["row_id"]): r["candidate_idcs"]
        for r in rows
        if r["match_probability"] >= 0.5
    }


def agreement(a: Path, b: Path) -> dict[str, Any]:
    """How far two runs' links at 0.5 agree: rows either links, and the share both link alike."""
    left, right = confident(a), confident(b)
    either = left.keys() | right.keys()
    same = sum(1 for key in either if left.get(key) == right.get(key))
    return {"rows": len(either), "same": same, "share": round(same / max(len(either), 1), 5)}


class Measure:
    """One size, measured target by target in this process."""

    def __init__(self, data: Path, persons: int, out: Path, links: bool) -> None:
        self.paths = extracts_in(country(data, persons))
        self.params = Parameters(SynthConfig(persons=1).as_of)
        self.out, self.links = out, links
        self.found: list[dict[str, Any]] = []

    def _reconcile(self, target: str, engine: str) -> dict[str, Any]:
        started = time.monotonic()

        def progress(stage: str, _done: int) -> None:
            # On standard error as it happens: a run stopped by the time limit still says
            # how far it got and when.
            print(f"# {target} {stage} at {time.monotonic() - started:.1f} s", file=sys.stderr)

        figures, summary = timed(
            lambda: reconcile(
                self.paths,
                self.params,
                self.out / target,
                with_links=self.links,
                engine=engine,
                progress=progress,
            )
        )
        return {"run": figures, "stages": summary.timings, "linkage": _linkage(summary)}

    def _on_spark(self, target: str, master: str, settings: dict[str, str]) -> dict[str, Any]:
        def session() -> Any:
            made = start(master, settings)
            made.sql("SELECT 1").collect()
            return made

        figures, spark = timed(session)
        try:
            return {"start": figures, **self._reconcile(target, "spark")}
        finally:
            spark.stop()

    def run(self, target: str) -> None:
        if target == "duckdb":
            row = self._reconcile(target, "duckdb")
        elif target == "local":
            row = self._on_spark(target, LOCAL, {"spark.ui.enabled": "false"})
        else:
            with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:

                def up() -> Cluster:
                    settings = {"worker_memory": WORKER_MEMORY, "defaults": CLUSTER}
                    cluster = stack.enter_context(running(Path(folder), **settings))
                    cluster.wait_for_workers()
                    return cluster

                figures, cluster = timed(up)
                row = {"cluster_start": figures, **self._on_spark(target, cluster.master, {})}
        self.found.append({"target": target, "links": self.links, **row})

    def compare(self) -> None:
        """Funnels equal to DuckDB's (or the run stops); links' agreement recorded."""
        if not (self.out / "duckdb").exists():
            return
        for row in self.found:
            target = row["target"]
            if target == "duckdb":
                continue
            if funnel(self.out / target) != funnel(self.out / "duckdb"):
                raise SystemExit(f"{target}: the funnel differs from DuckDB's")
            if self.links:
                row["links_agree"] = agreement(self.out / "duckdb", self.out / target)


def _linkage(summary: Any) -> dict[str, Any] | None:
    if summary.linkage is None:
        return None
    found = summary.linkage
    return {"rows": found.rows, "register": found.register, "links": found.links,
            "confident": found.confident, "steps": found.timings}  # fmt: skip


def one(data: Path, persons: int, targets: list[str], links: bool) -> list[dict[str, Any]]:
    """One size, measured in a fresh process."""
    command = [sys.executable, __file__, "--data", str(data), "--one", str(persons)]
    command += ["--targets", *targets, *(["--links"] if links else [])]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    found: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def merged(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The results file with these rows replacing the ones of the same size, target and links."""
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    fresh = {(r["persons"], r["target"], r["links"]) for r in rows}
    kept = [
        r
        for r in old.get("runs", [])
        if "target" in r and (r["persons"], r["target"], r["links"]) not in fresh
    ]
    machine = {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30),
               "python": platform.python_version()}  # fmt: skip
    order = {target: n for n, target in enumerate(TARGETS)}
    runs = sorted([*kept, *rows], key=lambda r: (r["persons"], r["links"], order[r["target"]]))
    return {**old, "machine": machine, "runs": runs}


def show(row: dict[str, Any]) -> str:
    start = row.get("start", {}).get("seconds", "")
    up = row.get("cluster_start", {}).get("seconds", "")
    links = row["stages"].get("links", "")
    others = max(v["others"] for k, v in row.items() if isinstance(v, dict) and "others" in v)
    return (
        f"{row['persons']:>11,} {row['target']:>8} {up!s:>9} {start!s:>8} "
        f"{row['run']['seconds']:>9} {links!s:>8} {others:>6}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    parser.add_argument("--links", action="store_true", help="reconcile with the linkage")
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "sijill-bench-spark"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as out:
            measure = Measure(args.data, args.one, Path(out), args.links)
            for target in args.targets:
                measure.run(target)
                print(f"# {target} done", file=sys.stderr, flush=True)
            measure.compare()
            print(json.dumps([{"persons": args.one, **row} for row in measure.found]))
        return
    print(f"{'persons':>11} {'target':>8} {'cluster':>9} {'start':>8} {'run s':>9} "
          f"{'links s':>8} {'others':>6}")  # fmt: skip
    rows: list[dict[str, Any]] = []
    for persons in args.sizes:
        country(args.data, persons)  # generated once, outside the measured process
        for row in one(args.data, persons, args.targets, args.links):
            row["when"] = dt.datetime.now().isoformat(timespec="seconds")
            rows.append(row)
            print(show(row), flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(merged(rows), indent=2) + "\n")


if __name__ == "__main__":
    main()
