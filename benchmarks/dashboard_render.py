"""The national dashboard's server time, from precomputed rows, beside computing it from
the run's Parquet files per request, in one run.

The dashboard's size is the territory tree's, not the population's: one row per territory.
A 37M-person country has the tree synth gives 37M persons (4,000 annexes, the cap), so the
country here is generated with that tree and fewer persons (`--persons`, default 1M:
persons_per_annex is lowered to keep 4,000 annexes). What is measured, all on it:

- import: `sijill.monitoring.runs.from_directory` (figures, anomalies, links, findings sorted
  by annex) into a fresh SQLite database;
- dashboard: GET / (national), a region and an annex through Django's test client with a
  logged-in national user, DEBUG off: middleware, session, queries, templates — the server's
  time, no network. Median and worst of REPEAT requests after one warm-up request, which
  leaves the run's tiles kept (sijill.dashboards.rendered); the national page again with
  every tile read and rendered at each request, the alternative;
- per request from Parquet (the obvious alternative): the same figures computed at each
  request with DuckDB from the run's files (funnel, findings counts per kind, anomalies,
  split suspects, the AMO steps from the amo extract). Its cost grows with the population
  (findings and amo rows), the precomputed one's does not;
- work list: one annex's findings from the findings sorted by annex (what the page reads)
  beside the same query on the engine's unsorted findings.parquet.

    python benchmarks/dashboard_render.py [--persons 1000000] [--data DIR] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "dashboard_render.json"
SHAPE_OF = 37_000_000  # the tree of a country of this many persons
TARGET_MS = 300.0


def _django(data: Path) -> None:
    os.environ["SIJILL_DATA_DIR"] = str(data)
    os.environ.setdefault("SIJILL_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["SIJILL_ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sijill.web.settings"
    import django

    django.setup()


def country(folder: Path, persons: int) -> tuple[dict[str, Path], Path, int]:
    """A country with a 37M-person tree and `persons` persons, reconciled (reused if there)."""
    from sijill.engine.params import Parameters
    from sijill.engine.reconciliation.pipeline import reconcile
    from sijill.synth.config import SynthConfig
    from sijill.synth.generator import generate

    annexes = SynthConfig(persons=SHAPE_OF).annex_count
    config = SynthConfig(persons=persons, persons_per_annex=max(1, persons // annexes))
    extracts = {
        n: folder / "country" / f"{n}.parquet" for n in ("territories", "rnp", "rsu", "amo")
    }
    if not extracts["amo"].exists():
        generate(config, folder / "country")
    if not (folder / "run" / "summary.json").exists():
        reconcile(extracts, Parameters(config.as_of), folder / "run", with_links=False)
    return extracts, folder / "run", config.annex_count


def timed(call: Callable[[], object], repeat: int) -> dict[str, float]:
    call()  # warm-up: templates compiled, caches filled, files in the page cache
    laps = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        laps.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(laps), "max_ms": max(laps)}


def from_parquet(run: Path, amo: Path, code: str) -> Callable[[], object]:
    """The national dashboard's numbers computed from the run's files at each request."""
    import duckdb

    from sijill.engine.extracts.sources import sql_string

    def q(name: str) -> str:
        return f"read_parquet({sql_string(str(run / f'{name}.parquet'))})"

    def compute() -> object:
        with duckdb.connect() as con:
            rows = con.execute(
                f"SELECT * FROM {q('funnel')} WHERE level IN ('national', 'region')"
            ).fetchall()
            kinds = con.execute(f"SELECT kind, count(*) FROM {q('findings')} GROUP BY kind")
            flagged = con.execute(
                f"SELECT * FROM {q('anomalies')} WHERE flagged ORDER BY q_value LIMIT 50"
            ).fetchall()
            splits = con.execute(
                f"SELECT count(*), count(DISTINCT cluster_id) FROM {q('split_suspects')}"
            ).fetchall()
            steps = con.execute(
                "SELECT count(*) FILTER (validated_at IS NOT NULL), "
                "count(*) FILTER (transmitted_at IS NOT NULL), "
                "count(*) FILTER (status = 'accepted') "
                f"FROM read_parquet({sql_string(str(amo))})"
            ).fetchall()
            return rows, kinds.fetchall(), flagged, splits, steps, code

    return compute


def work_list(path: Path, annex: str) -> Callable[[], object]:
    from sijill.engine import findings_of_annex as of_annex

    return lambda: of_annex(path, annex, limit=100)


def measure(persons: int, data: Path, repeat: int) -> dict[str, Any]:
    extracts, run_dir, annexes = country(data / f"tree37m-{persons}", persons)
    with tempfile.TemporaryDirectory(prefix="sijill-bench-") as var:
        _django(Path(var))
        from django.core.management import call_command
        from django.test import Client

        from sijill.accounts.models import User
        from sijill.runs.imports import findings_path
        from sijill.runs.lifecycle import from_directory

        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # sessions, as `sijill migrate` does
        started = time.perf_counter()
        run = from_directory(run_dir, extracts, actor="benchmark")
        imported = time.perf_counter() - started
        figures = run.figures.count()
        region = run.figures.filter(level="region").order_by("code").first()
        annex_rows = run.figures.filter(level="annex")
        annex = max(annex_rows, key=lambda f: (f.counts["rnp_persons"], f.code))
        assert region is not None
        user = User.objects.create_user("bench", password="x" * 20, role="admin")
        client = Client(HTTP_ACCEPT_LANGUAGE="ar")
        client.force_login(user)

        def get(url: str) -> Callable[[], object]:
            def call() -> object:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            return call

        def rendered_again(call: Callable[[], object]) -> Callable[[], object]:
            """The request with no tile kept: every tile read and rendered (as before the
            tiles were kept per run, sijill.dashboards.rendered)."""
            from django.core.cache import caches

            def again() -> object:
                caches["tiles"].clear()
                return call()

            return again

        engine_findings = run_dir / "findings.parquet"
        result = {
            "persons": persons,
            "annexes": annexes,
            "figures_rows": figures,
            "findings_rows": run.summary["outputs"]["findings"],
            "amo_rows": run.summary["inputs"]["amo"],
            "import_s": round(imported, 2),
            "national_ms": timed(get("/"), repeat),
            "national_tiles_rendered_ms": timed(rendered_again(get("/")), repeat),
            "region_ms": timed(get(f"/?code={region.code}"), repeat),
            "annex_ms": timed(get(f"/?code={annex.code}"), repeat),
            "national_from_parquet_ms": timed(
                from_parquet(run_dir, extracts["amo"], "ALL"), repeat
            ),
            "work_list_sorted_ms": timed(work_list(findings_path(run), annex.code), repeat),
            "work_list_unsorted_ms": timed(work_list(engine_findings, annex.code), repeat),
            "work_list_page_ms": timed(get(f"/monitoring/annex/{annex.code}/findings/"), repeat),
        }
    return result


def _row(name: str, found: dict[str, float]) -> str:
    return f"| {name} | {found['median_ms']:.1f} | {found['max_ms']:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sijill-bench")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    found = measure(args.persons, args.data, args.repeat)
    found["machine"] = f"{platform.machine()}, {os.cpu_count()} cores"
    print(
        f"{found['persons']:,} persons, {found['annexes']:,} annexes (the tree of 37M), "
        f"{found['figures_rows']:,} figure rows, {found['findings_rows']:,} findings, "
        f"{found['amo_rows']:,} amo rows; import {found['import_s']} s"
    )
    print("| request | median ms | worst ms |\n|---|---:|---:|")
    for key in (
        "national_ms", "national_tiles_rendered_ms", "region_ms", "annex_ms",
        "national_from_parquet_ms",
        "work_list_sorted_ms", "work_list_unsorted_ms", "work_list_page_ms",
    ):  # fmt: skip
        print(_row(key.removesuffix("_ms").replace("_", " "), found[key]))
    verdict = "met" if found["national_ms"]["max_ms"] < TARGET_MS else "NOT met"
    print(f"national dashboard under {TARGET_MS:.0f} ms: {verdict}")
    RESULTS.parent.mkdir(exist_ok=True)
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    kept = kept if isinstance(kept, dict) and "persons" not in kept else {}
    kept[str(found["persons"])] = found  # one entry per size measured
    RESULTS.write_text(json.dumps(kept, indent=2) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
