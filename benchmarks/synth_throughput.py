"""Generator throughput and peak memory, beside the obvious alternative, in one run.

Each size runs in a fresh process so that its peak RSS is its own. The alternative is the
way synthetic registers are usually written: one person at a time in Python, with the
same name tables, straight to CSV. It makes RNP rows only (no RSU, no AMO, no truth), so
its figure flatters it; it runs on a sample and its persons/s is reported as measured.

    python benchmarks/synth_throughput.py [--sizes 1000000 10000000] [--baseline 200000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "synth_throughput.json"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate
persons, out, fmt = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
started = time.perf_counter()
manifest = generate(SynthConfig(persons=persons, seed=1), out, fmt)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": manifest["rows"],
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_generator(persons: int, fmt: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        out = Path(tmp) / "country"
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(persons), str(out), fmt],
            capture_output=True,
            text=True,
            check=True,
        )
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    result: dict[str, object] = json.loads(done.stdout)
    result["bytes"] = size
    return result


def row_at_a_time(persons: int, out: Path) -> float:
    """The obvious alternative: Python objects, one person per iteration, csv.writer."""
    from sijill.domain.names import load_family_names, load_given_names

    given, family = load_given_names(), load_family_names()
    g_weights, f_weights = [g.weight for g in given], [f.weight for f in family]
    rng = random.Random(1)
    started = time.perf_counter()
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "idcs",
                "first_name_ar",
                "last_name_ar",
                "first_name_lat",
                "last_name_lat",
                "sex",
                "birth_date",
                "annex_code",
            ]
        )
        issued: set[str] = set()
        for _ in range(persons):
            idcs = f"{rng.randrange(10**10):010d}"
            while idcs in issued:
                idcs = f"{rng.randrange(10**10):010d}"
            issued.add(idcs)
            first = rng.choices(given, g_weights)[0]
            last = rng.choices(family, f_weights)[0]
            writer.writerow(
                [
                    idcs,
                    first.arabic,
                    last.arabic,
                    rng.choice(first.latin),
                    rng.choice(last.latin),
                    first.sex,
                    f"{rng.randint(1940, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    f"AX{rng.randrange(4000):06d}",
                ]
            )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--baseline", type=int, default=200_000)
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    args = parser.parse_args()
    machine = f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores"
    print(f"sijill synth throughput — {machine}, format {args.format}\n")
    print(f"{'method':<34}{'persons':>12}{'seconds':>10}{'persons/s':>12}{'peak RSS':>12}")
    runs: list[dict[str, object]] = []
    for persons in args.sizes:
        r = run_generator(persons, args.format)
        seconds = float(str(r["seconds"]))
        rss = float(str(r["peak_rss_mib"]))
        print(
            f"{'sijill synth (all registers+truth)':<34}{persons:>12,}{seconds:>10.1f}"
            f"{persons / seconds:>12,.0f}{rss:>9,.0f} MiB"
        )
        runs.append({"method": "sijill", "persons": persons, **r})
    with tempfile.TemporaryDirectory() as tmp:
        seconds = row_at_a_time(args.baseline, Path(tmp) / "rnp.csv")
    print(
        f"{'row at a time (RNP rows only)':<34}{args.baseline:>12,}{seconds:>10.1f}"
        f"{args.baseline / seconds:>12,.0f}{'n/a':>12}"
    )
    runs.append({"method": "row_at_a_time", "persons": args.baseline, "seconds": seconds})
    RESULTS.parent.mkdir(exist_ok=True)
    report = {"machine": machine, "format": args.format, "runs": runs}
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nsaved {RESULTS}")


if __name__ == "__main__":
    main()
