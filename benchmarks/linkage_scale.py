"""Linkage at national scale: unresolved rows against the whole RNP, beside the obvious way.

Each measurement runs in a fresh process, so that its peak RSS is its own:

- sijill: the unresolved rows of a synthetic country (`linkfeatures.build_rows`), sampled
  down to --rows when there are more, scored by `linkage.score` against the RNP — one
  pass over the RNP keeps the persons some blocking rule pairs with a row (the pool), and
  Splink sees only those — then each row's best candidate (`linkage.keep_best`);
- whole register: the same, but Splink is given every RNP person (the obvious way to call
  it). It runs where the register is at most --whole-max persons.

Loading the extracts (reading and validating them, as `sijill link` does) is timed apart.

    python benchmarks/linkage_scale.py --data DIR [--data DIR2 ...] [--rows 1000000]

Countries come from `sijill synth --persons N --seed 1 --out DIR`. Targets: 1M unresolved
rows against 37M RNP persons in under 10 minutes and under 16 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "linkage_scale.json"
EXTRACTS = ("territories", "rnp", "rsu", "amo")
GIB = 1024**3
TARGET_SECONDS, TARGET_GIB = 600.0, 16.0


def child(data: Path, rows: int, whole: bool) -> dict[str, Any]:
    from sijill.engine.database import connect
    from sijill.engine.extracts.reading import load_extracts
    from sijill.engine.linkage import features as lf
    from sijill.engine.linkage import matching as linkage

    started = time.perf_counter()
    with connect(data / ".linkage-spill") as con:
        load_extracts(con, {n: data / f"{n}.parquet" for n in EXTRACTS})
        loaded = time.perf_counter()
        unresolved = lf.build_rows(con)
        if unresolved > rows:
            con.execute(
                # by hash: the same rows every run, whatever order the scan produced
                "CREATE OR REPLACE TEMP TABLE lk_rows AS SELECT * FROM lk_rows "
                f"ORDER BY hash(uid), uid LIMIT {rows}"
            )
        built = time.perf_counter()
        stats = linkage.LinkStats()
        linkage.score(con, linkage.RNP, stats, whole_register=whole)
        linkage.keep_best(con)
        links = con.execute("SELECT count(*) FROM links").fetchall()[0][0]
    finished = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {
        "peak_rss_gib": round(peak / GIB, 2),
        "unresolved": unresolved,
        "rows": stats.rows,
        "register": stats.register,
        "pool": stats.pool,
        "pairs": stats.pairs,
        "links": links,
        "load_s": round(loaded - started, 1),
        "link_s": round(finished - loaded, 1),
        "steps_s": {"rows": round(built - loaded, 1), **stats.timings},
    }


def measure(data: Path, rows: int, whole: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(data), "--rows", str(rows)]
    if whole:
        command.append("--whole")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _line(data: Path, method: str, r: dict[str, Any]) -> str:
    if "error" in r:
        return f"| {data.name} | {method} | failed: {r['error']} |"
    return (
        f"| {data.name} | {method} | {r['register']:,} | {r['rows']:,} | {r['pool']:,} | "
        f"{r['links']:,} | {r['load_s']} | {r['link_s']} | {r['peak_rss_gib']} |"
    )


def _previous() -> dict[str, Any]:
    """Results of countries measured earlier: a run updates only the countries it measures."""
    if not RESULTS.exists():
        return {}
    runs: dict[str, Any] = json.loads(RESULTS.read_text()).get("runs", {})
    return runs if isinstance(runs, dict) else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", default=[])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--whole-max", type=int, default=2_000_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.whole)))
        return
    print("| country | method | RNP persons | rows linked | pool | links | load s | link s | GiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    record = _previous()
    for data in args.data:
        runs = {"sijill": measure(data, args.rows, whole=False)}
        print(_line(data, "sijill (pool)", runs["sijill"]), flush=True)
        if runs["sijill"].get("register", 0) <= args.whole_max:
            runs["whole register"] = measure(data, args.rows, whole=True)
            print(_line(data, "Splink, whole register", runs["whole register"]), flush=True)
        earlier = record.get(data.name, {})
        record[data.name] = {**earlier, "country": str(data), "rows_asked": args.rows, **runs}
    RESULTS.parent.mkdir(exist_ok=True)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform()}
    targets = {"seconds": TARGET_SECONDS, "peak_rss_gib": TARGET_GIB}
    RESULTS.write_text(
        json.dumps({"machine": machine, "targets": targets, "runs": record}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
