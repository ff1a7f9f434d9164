"""`sijill import` into PostgreSQL at national scale, beside a bare COPY of the same files.

For each size, on the synthetic country (seed 1, Parquet), in a fresh database made by
`sijill migrate`, in the same run:

- bare COPY: the rnp, rsu and amo files' contract columns written as CSV by DuckDB and read
  by PostgreSQL's `COPY` into tables with no index, no constraint and no check: the fastest
  way the same rows get into PostgreSQL from these files, and nothing else. Its time counts
  the CSV conversion (PostgreSQL cannot read Parquet) and the COPY; both are printed;
- sijill import: the `sijill import` command in its own process, everything included
  (start-up, the contract's checks, the registers' shapes, the five register tables with
  their indexes and constraints, the audit entries, the commit);
- again (1M and 10M): the same command on the same files once more (the registers are full:
  every row is staged and compared; nothing changes);
- delta (1M and 10M): `sijill import --delta` on a copy of the files where 1% of the persons moved
  (address changed) and 0.1% left the RNP: only those rows are written and audited.

Rows per second count the input rows (rnp + rsu + amo). `busy` is the whole machine's CPU in
use meanwhile, in cores on average, PostgreSQL's processes and this one's included: the
machine is shared and has 2 cores.

    python benchmarks/import_scale.py [--sizes 1000000 10000000] [--national 37000000]
        [--data DIR] [--server postgres://postgres@127.0.0.1:5432] [--database NAME] [--keep]

Countries are reused from DIR/mN (N in millions) or generated there by `sijill synth`.
`--keep` leaves the last database (the national one) loaded, for lookup_latency.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "import_scale.json"
EXTRACTS = ("territories", "rnp", "rsu", "amo")
ROW_EXTRACTS = ("rnp", "rsu", "amo")
SIJILL = [sys.executable, "-c", "from sijill.cli.app import main; main()"]
TARGET_SECONDS = 15 * 60  # 37M persons in under 15 minutes
GIB = 1024**3


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy since boot (Linux /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def ensure_country(data: Path, persons: int) -> Path:
    folder = data / f"m{persons // 1_000_000}" if persons % 1_000_000 == 0 else data / f"p{persons}"
    if not (folder / "rnp.parquet").exists():
        print(f"generating {persons:,} persons into {folder} …", flush=True)
        subprocess.run(
            [*SIJILL, "synth", "--persons", str(persons), "--seed", "1",
             "--out", str(folder), "--force"],
            check=True, capture_output=True,
        )  # fmt: skip
    return folder


def input_rows(folder: Path) -> int:
    import duckdb

    with duckdb.connect() as con:
        total = 0
        for name in ROW_EXTRACTS:
            row = con.execute(f"SELECT count(*) FROM read_parquet('{folder / name}.parquet')")
            total += int(row.fetchone()[0])  # type: ignore[index]
        return total


def warm_page_cache(folder: Path) -> None:
    for name in EXTRACTS:
        with (folder / f"{name}.parquet").open("rb") as handle:
            while handle.read(1 << 24):
                pass


# --- databases -------------------------------------------------------------------------------


def admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as con:
        con.execute(sql)


def fresh_database(server: str, name: str, data_dir: Path) -> dict[str, str]:
    admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(server, f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": f"{server}/{name}", "SIJILL_DATA_DIR": str(data_dir)}
    sijill(env, "migrate")
    return env


def sijill(env: dict[str, str], *args: str) -> float:
    """Run the command in its own process; returns its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run([*SIJILL, *args], env=env, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(
            f"sijill {' '.join(args)} failed:\n{done.stdout[-3000:]!r}\n{done.stderr[-3000:]!r}"
        )
    return time.perf_counter() - started


def import_args(folder: Path) -> list[str]:
    return ["import", *[a for n in EXTRACTS for a in (f"--{n}", str(folder / f"{n}.parquet"))]]


def timed(work: Any) -> dict[str, float]:
    busy, started = busy_cpu_seconds(), time.perf_counter()
    extra = work()
    wall = time.perf_counter() - started
    return {"seconds": wall, "busy_cores": (busy_cpu_seconds() - busy) / wall, **(extra or {})}


# --- the bare COPY ---------------------------------------------------------------------------


def bare_copy(folder: Path, url: str, work: Path) -> dict[str, float]:
    """The three files' contract columns into unindexed tables through CSV and COPY."""
    import duckdb
    import psycopg

    from sijill.domain.contract import EXTRACTS as CONTRACT

    convert = load = 0.0
    with duckdb.connect() as duck, psycopg.connect(url) as pg:
        duck.execute("SET TimeZone = 'UTC'")
        for name in ROW_EXTRACTS:
            columns = [c.name for c in CONTRACT[name].columns]
            types = duck.execute(
                f"SELECT {', '.join(columns)} FROM read_parquet('{folder / name}.parquet') LIMIT 0"
            ).description
            ddl = ", ".join(
                f"{c} {_pg_type(str(t[1]))}" for c, t in zip(columns, types, strict=True)
            )
            pg.execute(f"DROP TABLE IF EXISTS bare_{name}")
            pg.execute(f"CREATE TABLE bare_{name} ({ddl})")
            csv = work / f"{name}.csv"
            started = time.perf_counter()
            duck.execute(
                f"COPY (SELECT {', '.join(columns)} FROM read_parquet('{folder / name}.parquet')) "
                f"TO '{csv}' (FORMAT csv, HEADER false)"
            )
            convert += time.perf_counter() - started
            started = time.perf_counter()
            with (
                pg.cursor() as cursor,
                cursor.copy(f"COPY bare_{name} FROM STDIN (FORMAT csv)") as copy,
                csv.open("rb") as rows,
            ):
                while block := rows.read(1 << 20):
                    copy.write(block)
            pg.commit()
            load += time.perf_counter() - started
            csv.unlink()
        for name in ROW_EXTRACTS:
            pg.execute(f"DROP TABLE bare_{name}")
        pg.commit()
    return {"csv_seconds": convert, "copy_seconds": load}


def _pg_type(duck_type: str) -> str:
    return {"DATE": "date", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean", "DOUBLE": "float8"}.get(
        duck_type, "text"
    )


# --- a day later: the files a delta import reads ------------------------------------------------


def day_later(folder: Path, out: Path) -> dict[str, int]:
    """A copy of the country where 1% of the persons moved and 0.1% left the RNP."""
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    for name in ("territories", "rsu", "amo"):
        shutil.copy(folder / f"{name}.parquet", out / f"{name}.parquet")
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * REPLACE (CASE WHEN hash(idcs) % 100 = 1 THEN address || ' bis' "
            f"ELSE address END AS address) FROM read_parquet('{folder}/rnp.parquet') "
            f"WHERE hash(idcs) % 1000 <> 7 ORDER BY idcs) TO '{out}/rnp.parquet' (FORMAT parquet)"
        )
        moved, left = con.execute(  # type: ignore[misc]
            f"SELECT count(*) FILTER (hash(idcs) % 100 = 1 AND hash(idcs) % 1000 <> 7), "
            f"count(*) FILTER (hash(idcs) % 1000 = 7) FROM read_parquet('{folder}/rnp.parquet')"
        ).fetchone()
    return {"moved": int(moved), "left": int(left)}


# --- one size ------------------------------------------------------------------------------------


def measure(folder: Path, server: str, database: str, work: Path, *, delta: bool) -> dict[str, Any]:
    """Bare COPY and import; with `delta`, the second import and the delta import too."""
    rows = input_rows(folder)
    warm_page_cache(folder)
    env = fresh_database(server, database, work / "var")
    result: dict[str, Any] = {"input_rows": rows}
    result["bare_copy"] = timed(lambda: bare_copy(folder, env["DATABASE_URL"], work))
    result["import"] = timed(lambda: {"command_seconds": sijill(env, *import_args(folder))})
    if delta:
        result["again"] = timed(lambda: {"command_seconds": sijill(env, *import_args(folder))})
        changes = day_later(folder, work / "day2")
        warm_page_cache(work / "day2")
        result["delta"] = timed(
            lambda: {
                **changes,
                "command_seconds": sijill(env, *import_args(work / "day2"), "--delta"),
            }
        )
        shutil.rmtree(work / "day2")
    result["database_gib"] = database_size(env["DATABASE_URL"]) / GIB
    return result


def database_size(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as con:
        return int(con.execute("SELECT pg_database_size(current_database())").fetchone()[0])  # type: ignore[index]


def report_line(persons: int, r: dict[str, Any]) -> str:
    rows = r["input_rows"]
    copy = r["bare_copy"]
    copy_seconds = copy["csv_seconds"] + copy["copy_seconds"]
    imported = r["import"]["seconds"]
    cells = [
        f"{persons:>12,}", f"{rows:>12,}",
        f"{copy_seconds:>9.1f}", f"{rows / copy_seconds:>10,.0f}",
        f"{imported:>9.1f}", f"{rows / imported:>10,.0f}", f"{imported / copy_seconds:>7.2f}×",
        f"{r['again']['seconds']:>8.1f}" if "again" in r else f"{'':>8}",
        f"{r['delta']['seconds']:>8.1f}" if "delta" in r else f"{'':>8}",
        f"{r['import']['busy_cores']:>5.2f}",
    ]  # fmt: skip
    return " ".join(cells)


HEADER = (
    f"{'persons':>12} {'input rows':>12} {'COPY s':>9} {'COPY r/s':>10} {'import s':>9} "
    f"{'import r/s':>10} {'vs COPY':>8} {'again s':>8} {'delta s':>8} {'busy':>5}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--national", type=int, default=37_000_000, help="0: skip")
    parser.add_argument("--data", type=Path, default=Path("bench-data"))
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sijill_bench_import")
    parser.add_argument("--keep", action="store_true", help="keep the last database loaded")
    args = parser.parse_args()

    import duckdb
    import psycopg

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    machine = f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, {memory:.0f} GiB"
    with psycopg.connect(f"{args.server}/postgres") as con:
        server = str(con.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    print(f"sijill import at scale — {machine}, PostgreSQL {server}, duckdb {duckdb.__version__}")
    print(f"load {os.getloadavg()[0]:.2f} at start\n")
    args.data.mkdir(parents=True, exist_ok=True)
    sizes = [*args.sizes, *([args.national] if args.national else [])]
    runs: list[dict[str, Any]] = []
    print(HEADER, flush=True)
    for index, persons in enumerate(sizes):
        folder = ensure_country(args.data, persons)
        with tempfile.TemporaryDirectory(dir=args.data, prefix=".import-") as tmp:
            result = measure(
                folder, args.server, args.database, Path(tmp), delta=persons in args.sizes
            )
        result["persons"] = persons
        runs.append(result)
        print(report_line(persons, result), flush=True)
        if not (args.keep and index == len(sizes) - 1):
            admin(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    for r in runs:
        copy = r["bare_copy"]
        print(
            f"\n{r['persons']:,} persons: bare COPY = CSV {copy['csv_seconds']:.1f} s + COPY "
            f"{copy['copy_seconds']:.1f} s; database {r['database_gib']:.1f} GiB",
            end="",
        )
        if "delta" in r:
            d = r["delta"]
            print(
                f"; delta: {d['moved']:,} moved, {d['left']:,} left in {d['seconds']:.1f} s", end=""
            )
    national = next((r for r in runs if r["persons"] == args.national), None)
    if national:
        verdict = "under" if national["import"]["seconds"] < TARGET_SECONDS else "OVER"
        minutes = national["import"]["seconds"] / 60
        print(f"\n\n{args.national:,} persons imported in {minutes:.1f} min: ", end="")
        print(f"{verdict} the 15-minute target")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps({"machine": machine, "postgresql": server, "runs": runs}, indent=2) + "\n"
    )
    print(f"\nsaved {RESULTS}")


if __name__ == "__main__":
    main()
