"""Look-ups by API and a few pages with the national registers loaded, beside a small country.

Two databases, served the same way in the same run (`sijill serve`: gunicorn, 2 processes,
4 threads each, on 127.0.0.1 only):
- national: the registers of the 37M-person synthetic country, as import_scale.py --keep
  leaves them (database `--database`);
- small: the 1M-person country imported into a fresh database (`--small-database`): the
  obvious yardstick for "as fast as today".

In each, a national CNSS account and a clerk of the annex holding the most persons get API
tokens. Measured one request at a time on a kept-alive connection (latency, not load):
- person and household look-ups by key (`/api/v1/persons/{idcs}`,
  `/api/v1/households/{household_id}`), national and within the clerk's annex, keys drawn at
  random from the registers (every look-up finds its row);
- pages: the dashboard (`/`), the validation queue (`/forms/`) with 20 forms deposited in
  each database, the forms queue by API, the first page of the persons list by API (it
  counts the persons in scope).

Targets (issue 14): look-ups p95 < 50 ms with the national registers; pages as fast as with
the small country.

    python benchmarks/lookup_latency.py [--database NAME] [--small-database NAME]
        [--small-data DIR/m1] [--lookups 400] [--pages 30]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import requests

RESULTS = Path(__file__).parent / "results" / "lookup_latency.json"
SIJILL = [sys.executable, "-c", "from sijill.cli.app import main; main()"]
PASSWORD = "Bench-lookups-2026!"
TARGET_P95_MS = 50.0
QUEUED = 20  # forms waiting in the clerk's queue
GIB = 1024**3


def sijill(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([*SIJILL, *args], env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"sijill {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def admin(server: str, sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as con:
        con.execute(sql)


def small_database(server: str, name: str, country: Path, data_dir: Path) -> None:
    admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(server, f'CREATE DATABASE "{name}"')
    env = environment(server, name, data_dir)
    sijill(env, "migrate")
    extracts = [
        a
        for n in ("territories", "rnp", "rsu", "amo")
        for a in (f"--{n}", str(country / f"{n}.parquet"))
    ]
    sijill(env, "import", *extracts)


def environment(server: str, database: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"{server}/{database}", "SIJILL_DATA_DIR": str(data_dir)}


# --- keys and accounts ----------------------------------------------------------------------------


def sample(url: str, sql: str, count: int) -> list[str]:
    with psycopg.connect(url) as con:
        return [str(row[0]) for row in con.execute(sql, [count]).fetchall()]


def busiest_annex(url: str) -> str:
    with psycopg.connect(url) as con:
        row = con.execute(
            "SELECT p.annex_code FROM registry_person p JOIN territories_territory t "
            "ON t.code = p.annex_code AND t.level = 'annex' "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    return str(row[0])


def accounts(env: dict[str, str], annex: str) -> dict[str, str]:
    """Tokens of a national CNSS account and of a clerk of `annex` (created when missing)."""
    tokens = {}
    for name, role, territory in (("bench_cnss", "cnss", None), ("bench_clerk", "clerk", annex)):
        place = ["--territory", territory] if territory else []
        done = subprocess.run(
            [*SIJILL, "user", "add", name, "--role", role, *place],
            env=env, input=PASSWORD + "\n", capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0 and "exist" not in (done.stdout + done.stderr).lower():
            raise SystemExit(f"user add {name}: {done.stdout}{done.stderr}")
        tokens[name] = sijill(env, "token", "issue", name).strip().splitlines()[-1]
    return tokens


# --- the server -----------------------------------------------------------------------------------


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [*SIJILL, "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).ok:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    stop(server)
    raise SystemExit("the server did not answer within 60 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def logged_in(base: str, username: str) -> requests.Session:
    """A page session. Cookies are Secure without DEBUG: sent by hand over loopback HTTP."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None, "no CSRF token on the login page"
    cookies = {c.name: str(c.value) for c in page.cookies}
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Cookie": _cookie(cookies), "Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"login refused ({answer.status_code})"
    cookies.update({c.name: str(c.value) for c in answer.cookies})
    session.headers["Cookie"] = _cookie(cookies)
    return session


def _cookie(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# --- measuring ------------------------------------------------------------------------------------


def timings(get: Callable[[str], requests.Response], paths: list[str]) -> dict[str, float]:
    for path in paths[:10]:  # warm-up: connections, caches
        get(path)
    seconds = []
    for path in paths:
        started = time.perf_counter()
        answer = get(path)
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200, f"{path}: {answer.status_code}"
    ms = sorted(s * 1000 for s in seconds)
    return {
        "n": len(ms),
        "p50": statistics.median(ms),
        "p95": ms[int(0.95 * (len(ms) - 1))],
        "p99": ms[int(0.99 * (len(ms) - 1))],
        "max": ms[-1],
    }


def measure(env: dict[str, str], port: int, lookups: int, pages: int) -> dict[str, Any]:
    url = env["DATABASE_URL"]
    annex = busiest_annex(url)
    tokens = accounts(env, annex)
    persons = sample(
        url, "SELECT idcs FROM registry_person TABLESAMPLE SYSTEM (1) LIMIT %s", lookups
    )
    households = sample(
        url, "SELECT household_id FROM registry_household TABLESAMPLE SYSTEM (1) LIMIT %s", lookups
    )
    local = sample(
        url, f"SELECT idcs FROM registry_person WHERE annex_code = '{annex}' LIMIT %s", lookups
    )
    random.Random(1).shuffle(local)
    base = f"http://127.0.0.1:{port}"
    server = serve(env, port)
    try:
        api = {name: requests.Session() for name in tokens}
        for name, session in api.items():
            session.headers["Authorization"] = f"Bearer {tokens[name]}"
        queued = api["bench_clerk"].get(f"{base}/api/v1/forms?status=deposited&limit=1")
        for _ in range(QUEUED - int(queued.json()["count"])):  # the same queue in both
            body = {"kind": "amo_request", "channel": "counter", "annex_code": annex}
            assert api["bench_clerk"].post(f"{base}/api/v1/forms", json=body).status_code == 201

        def national(path: str) -> requests.Response:
            return api["bench_cnss"].get(base + path)

        def clerk(path: str) -> requests.Response:
            return api["bench_clerk"].get(base + path)

        page = logged_in(base, "bench_clerk")

        def browse(path: str) -> requests.Response:
            return page.get(base + path, allow_redirects=False)

        found = {
            "person (national)": timings(national, [f"/api/v1/persons/{k}" for k in persons]),
            "household (national)": timings(
                national, [f"/api/v1/households/{k}" for k in households]
            ),
            "person (clerk's annex)": timings(clerk, [f"/api/v1/persons/{k}" for k in local]),
            "page: dashboard /": timings(browse, ["/"] * pages),
            "page: queue /forms/": timings(browse, ["/forms/"] * pages),
            "api: forms queue": timings(clerk, ["/api/v1/forms?status=deposited"] * pages),
            "api: persons list (national)": timings(national, ["/api/v1/persons?limit=50"] * pages),
            "api: persons list (annex)": timings(clerk, ["/api/v1/persons?limit=50"] * pages),
        }
    finally:
        stop(server)
    with psycopg.connect(url) as con:
        row = con.execute("SELECT count(*) FROM registry_person").fetchone()
    return {"persons": int(row[0]) if row else 0, "annex": annex, "timings": found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sijill_bench_import")
    parser.add_argument("--small-database", default="sijill_bench_small")
    parser.add_argument("--small-data", type=Path, default=Path("bench-data/m1"))
    parser.add_argument("--lookups", type=int, default=400)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    machine = f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, {memory:.0f} GiB"
    print(f"look-ups and pages — {machine}, load {os.getloadavg()[0]:.2f} at start\n")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="sijill-lookups-") as tmp:
        small_database(args.server, args.small_database, args.small_data, Path(tmp) / "small")
        for label, database in (("small", args.small_database), ("national", args.database)):
            env = environment(args.server, database, Path(tmp) / label)
            results[label] = measure(env, args.port, args.lookups, args.pages)
    admin(args.server, f'DROP DATABASE IF EXISTS "{args.small_database}" WITH (FORCE)')

    small, big = results["small"], results["national"]
    print(f"{'ms':<30}{'small ' + format(small['persons'], ','):>28}", end="")
    print(f"{'national ' + format(big['persons'], ','):>32}")
    print(f"{'':<30}{'p50':>9}{'p95':>9}{'p99':>9}  {'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    for name, mine in big["timings"].items():
        theirs = small["timings"][name]
        print(
            f"{name:<30}{theirs['p50']:>9.1f}{theirs['p95']:>9.1f}{theirs['p99']:>9.1f}  ", end=""
        )
        print(f"{mine['p50']:>9.1f}{mine['p95']:>9.1f}{mine['p99']:>9.1f}{mine['max']:>9.1f}")
    worst = max(
        big["timings"][k]["p95"] for k in big["timings"] if not k.startswith(("page", "api"))
    )
    verdict = "under" if worst < TARGET_P95_MS else "OVER"
    print(f"\nworst look-up p95 with the national registers: {worst:.1f} ms, {verdict} 50 ms")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": machine, **results}, indent=2) + "\n")
    print(f"saved {RESULTS}")


if __name__ == "__main__":
    main()
