"""`sijill reconcile --no-links` on DuckDB and on Spark `local[2]`, same countries, one run.

For each size, on the same synthetic country (seed 1):
- duckdb: `reconcile(..., engine="duckdb")`, the default engine;
- spark start: a SparkSession on `local[2]` created and its first query answered — the fixed
  cost of every Spark run, shown apart;
- spark local[2]: `reconcile(..., engine="spark")` on that session, with its stage timings;
and the two funnels must be equal in every cell (the run stops otherwise). Each size runs in
a fresh process, as a command would: Spark's start includes starting its JVM, and its run the
JVM's warming up. The `others` column is the CPU other processes used meanwhile, in cores on
average: this machine is shared.

    python benchmarks/spark_scale.py [--sizes 100000 1000000] [--data DIR]

Countries are reused from DIR/pN (N persons) or generated there. The standalone two-worker
cluster of the issue is not measured yet (docs/spark.md, "What is left").
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
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import pyarrow.parquet as pq

from sijill.engine import Parameters, extracts_in, reconcile
from sijill.engine.spark.session import start
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

RESULTS = Path(__file__).parent / "results" / "spark_scale.json"
MASTER = "local[2]"


def busy_cores() -> tuple[float, float]:
    """(machine busy seconds, wall seconds) now, from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - fields[3] - fields[4]) / ticks, time.monotonic()


def own_cpu() -> float:
    """CPU seconds of this process and its children (Spark's JVM among them)."""
    me = psutil.Process()
    return sum(sum(p.cpu_times()[:2]) for p in [me, *me.children(recursive=True)])


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, other processes' cores meanwhile, result)."""
    busy, wall = busy_cores()
    mine = own_cpu()
    result = work()
    busy2, wall2 = busy_cores()
    seconds = wall2 - wall
    others = max(0.0, (busy2 - busy) - (own_cpu() - mine)) / max(seconds, 1e-9)
    return seconds, others, result


def country(data: Path, persons: int) -> Path:
    folder = data / f"p{persons}"
    if not (folder / "rnp.parquet").exists():
        generate(SynthConfig(persons=persons, seed=1), folder)
    return folder


def same_funnel(a: Path, b: Path) -> bool:
    key = "code"
    rows = [
        {r[key]: r for r in pq.read_table(run / "funnel.parquet").to_pylist()} for run in (a, b)
    ]
    return rows[0] == rows[1]


def measure(data: Path, persons: int, out: Path) -> dict[str, Any]:
    paths = extracts_in(country(data, persons))
    params = Parameters(SynthConfig(persons=1).as_of)
    found: dict[str, Any] = {"persons": persons}
    seconds, others, _ = timed(
        lambda: reconcile(paths, params, out / "duckdb", with_links=False, engine="duckdb")
    )
    found["duckdb"] = {"seconds": round(seconds, 2), "others": round(others, 2)}

    def session() -> Any:
        made = start(MASTER, {"spark.ui.enabled": "false"})
        made.sql("SELECT 1").collect()
        return made

    seconds, others, spark = timed(session)
    found["spark_start"] = {"seconds": round(seconds, 2), "others": round(others, 2)}
    try:
        seconds, others, summary = timed(
            lambda: reconcile(paths, params, out / "spark", with_links=False, engine="spark")
        )
    finally:
        spark.stop()
    found["spark_local2"] = {
        "seconds": round(seconds, 2),
        "others": round(others, 2),
        "stages": summary.timings,
    }
    if not same_funnel(out / "duckdb", out / "spark"):
        raise SystemExit(f"{persons} persons: the engines' funnels differ")
    return found


def one(data: Path, persons: int) -> dict[str, Any]:
    """One size, measured in a fresh process."""
    command = [sys.executable, __file__, "--data", str(data), "--one", str(persons)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sijill-bench")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as out:
            print(json.dumps(measure(args.data, args.one, Path(out))))
        return
    rows = []
    print(f"{'persons':>10} {'duckdb s':>9} {'spark start s':>14} {'spark local[2] s':>17} others")
    for persons in args.sizes:
        country(args.data, persons)  # generated once, outside the measured process
        row = one(args.data, persons)
        rows.append(row)
        print(
            f"{persons:>10,} {row['duckdb']['seconds']:>9} {row['spark_start']['seconds']:>14} "
            f"{row['spark_local2']['seconds']:>17} "
            f"{max(row[k]['others'] for k in ('duckdb', 'spark_start', 'spark_local2'))}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    machine = {"cores": os.cpu_count(), "python": platform.python_version()}
    record = {"when": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine}
    RESULTS.write_text(json.dumps({**record, "runs": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
