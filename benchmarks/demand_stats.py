"""The demand statistics over a forms ledger of one million forms (issue 13), on SQLite and,
when given, PostgreSQL, beside the obvious alternative, in one run.

The ledger is drawn at random once per database (seed 1): the 37M-person country's tree
(12 regions, 75 provinces, 1,500 communes, 4,000 annexes), FORMS forms deposited over two
years up to the day before the run, written in the order they were deposited (as a ledger
fills), every kind and channel, statuses as a ledger holds them
(most finished, some waiting at each step), AMO requests decided by CNSS with their
beneficiaries, a tenth of them refused for a reason of CNSS's list, and refusals by the
local authority in free text. What is measured, median and worst of REPEAT after one
warm-up:

- statistics: `sijill.demand.statistics.measure` over the whole ledger, nationally, for a
  region and for an annex (deposits by kind and channel, backlog by age, the two shares,
  the reasons ranked, the territories below): the database's own aggregates;
- page: GET /monitoring/demand/ for the same national period through Django's test client
  (middleware, session, queries, template), DEBUG off: after a change of the ledger (the
  cache emptied: everything counted again) and seen again (from the cache);
- alternative: the same national counts computed in Python from the ledger's rows
  (`values_list` of the columns needed, counted form by form), as a first version would.

    python benchmarks/demand_stats.py [--forms 1000000] [--repeat 10] [--data DIR]
        [--database-url postgres://postgres@127.0.0.1:5432/sijill_h3_bench]

With --data (SQLite's folder) or --database-url, a database that already holds exactly
FORMS forms is measured again as it is (the ledger is drawn once).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "demand_stats.json"
TARGET_MS = 300.0
COMMUNES, ANNEXES = 1_500, 4_000
BATCH = 5_000


def _django(data: Path, database_url: str | None) -> None:
    os.environ["SIJILL_DATA_DIR"] = str(data)
    os.environ.setdefault("SIJILL_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["SIJILL_ALLOWED_HOSTS"] = "testserver"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sijill.web.settings"
    import django

    django.setup()


def _tree() -> list[str]:
    """The reference regions and provinces, with communes and annexes drawn below them;
    returns the annexes' codes."""
    from sijill.domain.territory import Territory, load_reference
    from sijill.territories.loading import upsert

    reference = load_reference()
    provinces = [t.code for t in reference if t.level == "province"]
    rng = random.Random(1)
    made = []
    for i in range(COMMUNES):
        made.append(Territory(f"C{i:05d}", rng.choice(provinces), "commune", f"ج{i}", f"C{i}"))
    annexes = []
    for i in range(ANNEXES):
        commune = made[i % COMMUNES].code
        annexes.append(Territory(f"AX{i:05d}", commune, "annex", f"م{i}", f"Annexe {i}"))
    upsert([*reference, *made, *annexes], actor="benchmark")
    return [a.code for a in annexes]


def _forms(clerk: Any, annexes: list[str], n: int, today: dt.date) -> Iterator[Any]:
    from django.utils import timezone

    from sijill.intake import workflow
    from sijill.intake.models import Form

    rng = random.Random(1)
    weights = {workflow.ACCEPTED: 30, workflow.REJECTED: 6, workflow.VALIDATED: 40,
               workflow.TRANSMITTED: 6, workflow.UNDER_REVIEW: 3, workflow.CAPTURED: 10,
               workflow.DEPOSITED: 5}  # fmt: skip
    statuses, chances = list(weights), list(weights.values())
    # Forms come in as they are deposited: the ledger's rows are in deposit order.
    ages = sorted((rng.randint(1, 730) for _ in range(n)), reverse=True)
    for i, age in enumerate(ages):
        status = rng.choices(statuses, chances)[0]
        cnss = status in (workflow.TRANSMITTED, workflow.UNDER_REVIEW, workflow.ACCEPTED) or (
            status == workflow.REJECTED and rng.random() < 0.5
        )
        kind = workflow.AMO_REQUEST if cnss else rng.choice(workflow.KINDS)
        day = today - dt.timedelta(days=age)
        deposited = timezone.make_aware(dt.datetime.combine(day, dt.time(8)) +
                                        dt.timedelta(minutes=rng.randint(0, 600)))  # fmt: skip
        form = Form(receipt=f"B{i:011d}", kind=kind, channel=rng.choice(workflow.CHANNELS),
                    annex_code=rng.choice(annexes), clerk=clerk, status=status,
                    deposited_at=deposited)  # fmt: skip
        if status != workflow.DEPOSITED:
            form.captured_at = deposited + dt.timedelta(hours=rng.randint(0, 30))
        if cnss or status == workflow.VALIDATED:
            form.validated_at = deposited + dt.timedelta(hours=rng.randint(2, 80))
        if cnss:
            form.transmitted_at = form.validated_at + dt.timedelta(days=rng.randint(0, 3))
            form.register_key = f"F{i:011d}"
            if status in (workflow.ACCEPTED, workflow.REJECTED):
                decided = form.transmitted_at + dt.timedelta(days=rng.randint(1, 45))
                setattr(form, f"{status}_at", decided)
        elif status == workflow.REJECTED:
            form.rejected_at = deposited + dt.timedelta(hours=rng.randint(1, 50))
            form.rejection_reason = rng.choice(("Pièce manquante", "CIN illisible",
                                                "Hors de l'annexe", "Doublon"))  # fmt: skip
        yield form


def _beneficiaries(forms: list[Any], rng: random.Random) -> tuple[list[Any], list[Any]]:
    from sijill.registry.models import AmoFile, Beneficiary

    reasons = ("covered_elsewhere: CNOPS", "age_limit", "income_above", "not_member",
               "identity_mismatch: nom", "other: doublon")  # fmt: skip
    files, people = [], []
    for form in forms:
        if form.register_key is None or form.status not in ("accepted", "rejected"):
            continue
        amo = AmoFile(amo_file_id=form.register_key, household_id=form.register_key,
                      annex_code=form.annex_code, status=form.status,
                      deposited_at=form.deposited_at)  # fmt: skip
        files.append(amo)
        for j in range(rng.randint(1, 4)):
            refused = form.status == "rejected" or rng.random() < 0.1
            people.append(Beneficiary(
                beneficiary_id=f"{form.register_key}-{j}", file=amo, relation="other",
                first_name_ar="س", last_name_ar="س", first_name_lat="S", last_name_lat="S",
                sex="F", birth_date=dt.date(1990, 1, 1),
                decision="rejected" if refused else "accepted",
                rejection_reason=rng.choice(reasons) if refused else None,
            ))  # fmt: skip
    return files, people


def ledger(n: int, today: dt.date) -> tuple[list[str], float]:
    """Draw the ledger into the fresh database; returns the annexes and the seconds taken."""
    from sijill.accounts.models import User
    from sijill.intake.models import Form
    from sijill.registry.models import AmoFile, Beneficiary

    started = time.perf_counter()
    annexes = _tree()
    clerk = User.objects.create_user("bench-clerk", password="x" * 20, role="admin")
    rng = random.Random(2)
    batch: list[Any] = []
    for form in _forms(clerk, annexes, n, today):
        batch.append(form)
        if len(batch) == BATCH:
            _write(batch, rng, Form, AmoFile, Beneficiary)
            batch = []
    if batch:
        _write(batch, rng, Form, AmoFile, Beneficiary)
    return annexes, time.perf_counter() - started


def _write(batch: list[Any], rng: random.Random, *models: Any) -> None:
    form, amo_file, beneficiary = models
    form.objects.bulk_create(batch)
    files, people = _beneficiaries(batch, rng)
    amo_file.objects.bulk_create(files)
    beneficiary.objects.bulk_create(people)


def by_hand(code: str | None, first: dt.date, last: dt.date, today: dt.date) -> Callable[[], Any]:
    """The alternative: the national counts, form by form in Python."""
    from django.utils import timezone

    from sijill.demand.statistics import Period, forms
    from sijill.intake import workflow

    def local(moment: dt.datetime | None) -> dt.date | None:
        return timezone.localtime(moment).date() if moment else None

    def call() -> Any:
        counts: Counter[Any] = Counter()
        columns = ("kind", "channel", "status", "deposited_at", "validated_at", "transmitted_at",
                   "accepted_at", "rejected_at", "rejection_reason")  # fmt: skip
        for row in forms(code, Period(first, last)).values_list(*columns).iterator(10_000):
            kind, channel, status, deposited, validated, sent, accepted, rejected, why = row
            counts[(kind, channel)] += 1
            day = local(deposited)
            assert day is not None
            if not workflow.is_final(kind, status):
                counts[(status, min((today - day).days // 30, 4))] += 1
            if validated is not None:
                counts["validation"] += (local(validated) - day).days <= 1  # type: ignore[operator]
            decided = accepted or rejected
            if sent is not None and decided is not None:
                counts["cnss"] += (local(decided) - local(sent)).days <= 30  # type: ignore[operator]
            if why:
                counts[why] += 1
        return counts

    return call


def timed(
    call: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> dict[str, float]:
    """Median and worst of `repeat` calls after one warm-up; `before` runs untimed ahead
    of each call."""
    laps = []
    for i in range(repeat + 1):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        if i:
            laps.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(laps), "max_ms": max(laps)}


def one_change(user: Any) -> Callable[[], object]:
    """A change of the ledger through its write path: the local authority refuses one
    waiting form (the forms stay FORMS; the next run finds a few fewer waiting)."""
    from sijill.intake import ledger, workflow
    from sijill.intake.models import Form

    def refuse(form: Any) -> None:
        form.rejection_reason = "Pièce manquante"

    def change() -> object:
        waiting = Form.objects.filter(status=workflow.CAPTURED).order_by("-id").first()
        assert waiting is not None  # (the drawn receipts are not in the counter's format)
        return ledger.step(user, waiting, workflow.REJECT, "reject", apply=refuse)

    return change


def a_deposit(user: Any, annex: str) -> Callable[[], object]:
    """A deposit through the ledger, rolled back (the forms stay FORMS)."""
    from django.db import transaction

    from sijill.intake import counter

    def deposit() -> object:
        with transaction.atomic():
            found = counter.deposit(user, kind="other", channel="counter", annex_code=annex)
            transaction.set_rollback(True)
        return found

    return deposit


def untallied(call: Callable[[], object]) -> Callable[[], object]:
    """`call` with the tally's receiver disconnected: what a write costs without it."""
    from sijill.demand import tally
    from sijill.intake import ledger

    def without() -> object:
        ledger.written.disconnect(dispatch_uid="sijill.demand.tally")
        try:
            return call()
        finally:
            ledger.written.connect(tally.on_written, dispatch_uid="sijill.demand.tally")

    return without


def measure(n: int, repeat: int, database_url: str | None, data: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="sijill-bench-") as var:
        _django(data or Path(var), database_url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from sijill.accounts.models import User
        from sijill.demand import statistics as demand
        from sijill.demand import tally
        from sijill.demand.statistics import Period
        from sijill.intake.models import Form
        from sijill.territories.models import Territory

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)  # tallies a ledger found
        migrated = time.perf_counter() - started
        call_command("createcachetable", verbosity=0)  # as `sijill migrate` does
        today = timezone.localdate()
        rebuilt = 0.0
        if Form.objects.count() == n:
            annexes = list(
                Territory.objects.filter(level="annex")
                .order_by("code")
                .values_list("code", flat=True)
            )
            drawn = 0.0
        else:  # a fresh database (one holding another ledger: start from a new one)
            assert not Form.objects.exists(), "give a fresh database or one of FORMS forms"
            annexes, drawn = ledger(n, today)
            # Drawn in bulk, past the ledger's write path (as an import would): tallied
            # again as the migration tallies a ledger that exists.
            started = time.perf_counter()
            tally.rebuild()
            rebuilt = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        first, last = today - dt.timedelta(days=730), today
        period = Period(first, last)
        region = Territory.objects.filter(level="region").order_by("code").first()
        province = Territory.objects.filter(level="province").order_by("code").first()
        assert region is not None and province is not None
        admin, _ = User.objects.get_or_create(username="bench", defaults={"role": "admin"})
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        client.force_login(admin)
        found = demand.measure(None, period, today)
        assert found.total == n, (found.total, n)
        assert found == demand.counted(None, period, today)  # the tally is the ledger
        page = f"/monitoring/demand/?code=ALL&first={first}&last={last}"
        return {
            "forms": n,
            "database": connection.vendor,
            "drawn_s": round(drawn, 1),
            "migrate_s": round(migrated, 1),
            "rebuild_s": round(rebuilt, 1),
            "national_ms": timed(lambda: demand.measure(None, period, today), repeat),
            "national_from_forms_ms": timed(lambda: demand.counted(None, period, today), 2),
            "region_ms": timed(lambda: demand.measure(region.code, period, today), repeat),
            "region_from_forms_ms": timed(lambda: demand.counted(region.code, period, today), 2),
            "province_ms": timed(lambda: demand.measure(province.code, period, today), repeat),
            "annex_ms": timed(lambda: demand.measure(annexes[0], period, today), repeat),
            "page_after_a_change_ms": timed(lambda: client.get(page), repeat, one_change(admin)),
            "page_seen_again_ms": timed(lambda: client.get(page), repeat),
            "deposit_ms": timed(a_deposit(admin, annexes[0]), repeat),
            "deposit_untallied_ms": timed(untallied(a_deposit(admin, annexes[0])), repeat),
            "by_hand_ms": timed(by_hand(None, first, last, today), 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: SQLite)")
    parser.add_argument("--data", type=Path, default=None, help="SQLite's folder, kept")
    args = parser.parse_args()
    found = measure(args.forms, args.repeat, args.database_url, args.data)
    found["machine"] = f"{platform.machine()}, {os.cpu_count()} cores"
    found["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{found['forms']:,} forms on {found['database']} (drawn in {found['drawn_s']} s, "
          f"migrated in {found['migrate_s']} s, "
          f"tally rebuilt in {found['rebuild_s']} s)")  # fmt: skip
    print("| measured | median ms | worst ms |\n|---|---:|---:|")
    keys = ("national_ms", "national_from_forms_ms", "region_ms", "region_from_forms_ms",
            "province_ms", "annex_ms", "page_after_a_change_ms", "page_seen_again_ms",
            "deposit_ms", "deposit_untallied_ms", "by_hand_ms")  # fmt: skip
    for key in keys:
        print(f"| {key.removesuffix('_ms').replace('_', ' ')} | "
              f"{found[key]['median_ms']:,.1f} | {found[key]['max_ms']:,.1f} |")  # fmt: skip
    for key in ("national_ms", "region_ms", "annex_ms", "page_after_a_change_ms"):
        verdict = "met" if found[key]["max_ms"] < TARGET_MS else "NOT met"
        print(f"{key.removesuffix('_ms').replace('_', ' ')} under {TARGET_MS:.0f} ms: {verdict}")
    RESULTS.parent.mkdir(exist_ok=True)
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    kept[f"{found['database']}-{found['forms']}"] = found
    RESULTS.write_text(json.dumps(kept, indent=2) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
