"""Load: 50 concurrent users for 60 s on loopback, mixing deposits, queue views, dashboards and
status look-ups (benchmarks/load_users.py), against `sijill serve` (gunicorn) and, in the
same run, against Django's runserver (what `sijill serve --dev` runs, here without its
reloader, which would restart it whenever a file of the tree is saved meanwhile).

Both serve the same PostgreSQL database, made for the run and dropped after it: a
synthetic country (`--persons`, default 20,000) imported and reconciled (the dashboards show
its run), staff of one province, and 300 deposited forms (the look-ups' receipts), the
first `--queue` (50) of them captured: the validator's queue (the page shows up to 200).
Locust (headless, FastHttpUser) runs in its own process on the same machine: its CPU is
taken from the servers', as a reverse proxy's would be. The servers run as docs/deploy.md
sets them up behind a reverse proxy with a public look-up: the shared cache in Redis
(SIJILL_REDIS_URL, database SIJILL_BENCH_REDIS_DB, emptied before and after) and one proxy
in front (SIJILL_PROXIES=1): each simulated citizen comes from an address of its own in
X-Forwarded-For, so the look-up's rate limit (10 a minute per address) holds as it is.

    python benchmarks/load.py [--persons 20000] [--users 50] [--seconds 60] [--queue 50]
                              [--workers N] [--threads N]

Targets (issue 14): 0 errors, p95 < 300 ms, at least 200 requests/s on 2 cores.
Needs PostgreSQL at SIJILL_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/
sijill_bench_load; the database is created and dropped) and Redis at SIJILL_BENCH_REDIS
(default redis://127.0.0.1:6379/13).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import signal
import socket
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

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "load.json"
# The installed command: runserver's reloader restarts it by its own name.
SIJILL = str(Path(sys.executable).with_name("sijill"))
PASSWORD = "Load-benchmark-2026!"
TARGETS = {"errors": 0, "p95_ms": 300, "rps": 200}
REDIS = os.environ.get("SIJILL_BENCH_REDIS", "redis://127.0.0.1:6379/13")

# Staff of one province and 300 deposited forms (the look-ups), the first --queue of them
# captured (the validator's queue), in one process (setting up, not measured).
SETUP = """
import json, os, random, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sijill.web.settings")
import django
django.setup()
from sijill.accounts import tokens
from sijill.accounts.models import User
from sijill.accounts.staff import add_user
from sijill.intake import counter
from sijill.registry.models import Person
province, annexes, password = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
queue = int(sys.argv[4])
plan = {"clerks": [], "lookups": []}
for i, annex in enumerate(annexes):
    add_user(f"clerk{i}", "clerk", annex, password, actor="load")
    user = User.objects.get(username=f"clerk{i}")
    plan["clerks"].append({"annex": annex, "token": tokens.issue(user, actor="load")})
add_user("validator", "validator", annexes[0], password, actor="load")
add_user("supervisor", "supervisor", province, password, actor="load")
clerk = User.objects.get(username="clerk0")
people = list(Person.objects.filter(annex_code=annexes[0]).values_list("idcs", flat=True)[:300])
for i, idcs in enumerate(people):
    form, _ = counter.deposit(clerk, kind="other", channel="counter", annex_code=annexes[0],
                              citizen_id=idcs)
    if i < queue:
        counter.capture(clerk, form.receipt, {"note": "load"})
    plan["lookups"].append([form.receipt, idcs])
print(json.dumps(plan))
"""


def main() -> None:
    args = _arguments()
    base = os.environ.get(
        "SIJILL_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/sijill_bench_load"
    )
    with tempfile.TemporaryDirectory(prefix="sijill-load-") as folder:
        _database(base, create=True)
        _redis()
        try:
            figures = _run(args, base, Path(folder))
        finally:
            _database(base, create=False)
            _redis()
    _print(figures, args)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--queue", type=int, default=50, help="captured forms in the validator's queue (the page "
        "shows up to 200)",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=0, help="sijill serve --workers (0: its default)"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="sijill serve --threads (0: its default)"
    )
    return parser.parse_args()


def _database(url: str, *, create: bool) -> None:
    base, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                con.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        sys.exit(f"load benchmark: PostgreSQL at {base} did not answer: {exc}")


def _env(url: str, data: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIJILL_", "DATABASE_"))}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return {**clean, "DATABASE_URL": url, "SIJILL_DATA_DIR": str(data),
            "SIJILL_REDIS_URL": REDIS, "SIJILL_PROXIES": "1"}  # fmt: skip


def _redis(*, empty: bool = True) -> None:
    """Redis answers, and its benchmark database is empty (no rate limit left over)."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS, socket_connect_timeout=3)
        client.ping()
    except redis.RedisError as exc:
        sys.exit(f"load benchmark: Redis at {REDIS} did not answer: {exc}")
    if empty:
        client.flushdb()


def _sijill(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([SIJILL, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"sijill {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _run(args: argparse.Namespace, url: str, folder: Path) -> dict[str, Any]:
    env = _env(url, folder / "var")
    load = os.getloadavg()  # other work on the machine, before ours
    started = time.monotonic()
    plan = _prepare(args, env, url, folder)
    prepared = time.monotonic() - started
    servers: dict[str, Callable[[int], list[str]]] = {
        "sijill serve (gunicorn)": lambda port: [
            SIJILL, "serve", "--port", str(port), "--workers", str(args.workers),
            *(["--threads", str(args.threads)] if args.threads else [])],
        # Without its reloader: a file saved meanwhile would restart it mid-measure.
        "runserver --noreload": lambda port: [
            sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
    }  # fmt: skip
    measured = {}
    for name, command in servers.items():
        measured[name] = _measure(args, env, command, plan, folder)
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "cache": "Redis",
        "load_average_at_start": load,
        "persons": args.persons,
        "users": args.users,
        "queue": args.queue,
        "seconds": args.seconds,
        "setup_seconds": round(prepared, 1),
        "servers": measured,
        "targets": TARGETS,
    }


def _prepare(args: argparse.Namespace, env: dict[str, str], url: str, folder: Path) -> Path:
    country = folder / "country"
    _sijill(env, "synth", "--persons", str(args.persons), "--out", str(country), "--seed", "3")
    _sijill(env, "migrate")
    names = ("territories", "rnp", "rsu", "amo")
    _sijill(env, "import", *[a for n in names for a in (f"--{n}", str(country / f"{n}.parquet"))])
    _sijill(env, "daily", "--no-links")  # queues the nightly run the dashboards show
    _sijill(env, "worker", "--batch", "--interval", "0.1")
    province, annexes = _province(url)
    done = subprocess.run(
        [sys.executable, "-c", SETUP, province, json.dumps(annexes), PASSWORD, str(args.queue)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        sys.exit(f"load benchmark: preparing the users and forms failed:\n{done.stderr}")
    plan = json.loads(done.stdout)
    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(plan))
    return plan_file


def _province(url: str) -> tuple[str, list[str]]:
    """The province with the most annexes holding persons, and up to five of its annexes."""
    with psycopg.connect(url) as con:
        rows = con.execute(
            "SELECT l.ancestor_id, t.code FROM territories_territorylink l "
            "JOIN territories_territory a ON a.code = l.ancestor_id AND a.level = 'province' "
            "JOIN territories_territory t ON t.code = l.descendant_id AND t.level = 'annex' "
            "WHERE EXISTS (SELECT 1 FROM registry_person p WHERE p.annex_code = t.code) "
            "ORDER BY l.ancestor_id, t.code"
        ).fetchall()
    by_province: dict[str, list[str]] = {}
    for province, annex in rows:
        by_province.setdefault(province, []).append(annex)
    province = max(by_province, key=lambda p: len(by_province[p]))
    return province, by_province[province][:5]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _measure(
    args: argparse.Namespace,
    env: dict[str, str],
    command: Callable[[int], list[str]],
    plan: Path,
    folder: Path,
) -> dict[str, Any]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    written = folder / f"server-{port}.log"
    log = written.open("wb")
    settings = {"DJANGO_SETTINGS_MODULE": "sijill.web.settings"}
    server = subprocess.Popen(
        command(port),
        env={**env, **settings}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        _wait(f"{base}/healthz", written)
        _login(base, plan)
        alone = _alone(base, plan)
        return {"alone_ms": alone, **_locust(args, env, base, plan, folder / f"locust-{port}")}
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and whatever it started
        server.wait(60)
        log.close()


def _wait(url: str, log: Path, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still starting
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    sys.exit(f"load benchmark: {url} did not answer within {seconds:.0f} s; its log:\n{tail}")


def _address() -> str:
    """A citizen's address, one of 16 million: each sends one look-up or a few."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _login(base: str, plan_file: Path) -> None:
    """One session per role, shared by the simulated users (kept in the plan)."""
    plan = json.loads(plan_file.read_text())
    plan["cookies"] = {}
    for role in ("validator", "supervisor"):
        session = requests.Session()
        page = session.get(f"{base}/accounts/login/", timeout=30).text
        token = _CSRF.search(page)
        assert token, "no anti-forgery token on the login page"
        cookies = {"csrftoken": str(session.cookies["csrftoken"])}
        answer = session.post(
            f"{base}/accounts/login/",
            data={"csrfmiddlewaretoken": token.group(1), "username": role, "password": PASSWORD},
            cookies=cookies, allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert answer.status_code == 302, f"{role} could not log in: {answer.status_code}"
        plan["cookies"][role] = {"sessionid": answer.cookies["sessionid"], **cookies}
    plan_file.write_text(json.dumps(plan))


def _alone(base: str, plan_file: Path, repeat: int = 20) -> dict[str, float]:
    """Each kind of request one at a time, after a few to warm the server's processes up
    (templates loaded, connections open): the median milliseconds, what a request costs
    when it does not wait for others."""
    plan = json.loads(plan_file.read_text())
    cookie = {role: "; ".join(f"{k}={v}" for k, v in plan["cookies"][role].items())
              for role in ("validator", "supervisor")}  # fmt: skip
    clerk, (receipt, citizen) = plan["clerks"][0], plan["lookups"][0]
    deposit = {"kind": "other", "annex_code": clerk["annex"], "payload": {}}
    kinds: dict[str, Callable[[], requests.Response]] = {
        "deposit": lambda: requests.post(f"{base}/api/v1/forms", json=deposit, timeout=60,
                                         headers={"Authorization": f"Bearer {clerk['token']}"}),
        "queue": lambda: requests.get(f"{base}/forms/", headers={"Cookie": cookie["validator"]},
                                      timeout=60),
        "dashboard": lambda: requests.get(f"{base}/", headers={"Cookie": cookie["supervisor"]},
                                          timeout=60),
        "status": lambda: requests.get(f"{base}/api/v1/status/{receipt}?id={citizen}",
                                       headers={"X-Forwarded-For": _address()}, timeout=60),
    }  # fmt: skip
    found = {}
    for kind, send in kinds.items():
        times = []
        for i in range(repeat + 10):
            started = time.perf_counter()
            answer = send()
            assert answer.status_code in (200, 201), f"{kind}: {answer.status_code}"
            if i >= 10:
                times.append(1000 * (time.perf_counter() - started))
        found[kind] = round(statistics.median(times), 1)
    return found


def _locust(
    args: argparse.Namespace, env: dict[str, str], base: str, plan: Path, prefix: Path
) -> dict[str, Any]:
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(HERE / "load_users.py"), "--headless",
         "--users", str(args.users), "--spawn-rate", str(max(1, args.users // 5)),
         "--run-time", f"{args.seconds}s", "--host", base, "--csv", str(prefix),
         "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
        env={**env, "SIJILL_LOAD_PLAN": str(plan)}, check=False,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return {name: _figures(row) for name, row in rows.items()}


def _figures(row: dict[str, str]) -> dict[str, float]:
    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
    }


def _print(figures: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"Load: {args.users} users, {args.seconds} s each, loopback; {figures['machine']}; "
        f"{args.persons:,} persons; {args.queue} forms in the queue; load average at start "
        f"{figures['load_average_at_start'][0]:.1f}"
    )
    header = f"{'server':<32} {'kind':<10} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} "
    print(header + f"{'errors':>7} {'requests':>9}")
    for server, kinds in figures["servers"].items():
        alone = ", ".join(f"{k} {v:.0f}" for k, v in kinds["alone_ms"].items())
        print(f"{server:<32} one request at a time, median ms: {alone}")
        for kind in ("Aggregated", "deposit", "queue", "dashboard", "status"):
            if kind in kinds:
                f = kinds[kind]
                print(
                    f"{server:<32} {kind:<10} {f['rps']:>7.1f} {f['p50_ms']:>6.0f} "
                    f"{f['p95_ms']:>6.0f} {f['p99_ms']:>6.0f} {f['errors']:>7} "
                    f"{f['requests']:>9}"
                )
    print(
        f"targets: {TARGETS['errors']} errors, p95 < {TARGETS['p95_ms']} ms, "
        f">= {TARGETS['rps']} req/s (milliseconds above)"
    )


if __name__ == "__main__":
    main()
