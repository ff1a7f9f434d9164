"""Keeping the tally (sijill.demand.models) equal to the forms ledger.

A form counts for one row of the tally, that of the local day of its deposit and of the
province of its annex (and, while it waits for CNSS, one row of AtCnss; when refused, rows
of Reason). What it counts for is a function of the form alone (`counts_of`). The ledger
writes every form through `sijill.intake.ledger.save`, which sends `written` inside the
writing transaction with the form as it was read and as it is saved: the difference is
added to the tally there (`on_written`), by upserts that add to the counts. A transaction
rolled back takes its additions with it; two transactions writing to the same row wait for
each other on that row, as they do on the form itself.

`rebuild` counts the whole ledger again (the migration that made the tally ran it); `check`
compares the tally with the ledger counted again, row by row
(`python -m django demand_tally check|rebuild`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from django.apps import apps as installed
from django.db import connection
from django.utils import timezone

from sijill.demand.models import CNSS, COUNTS, LOCAL
from sijill.domain import deadlines
from sijill.intake import workflow

Key = tuple[dt.date, str]  # (local day of the deposit, province)


@dataclass(frozen=True, slots=True)
class Facts:
    """The columns of a form the statistics read."""

    kind: str
    channel: str
    status: str
    annex_code: str
    register_key: str | None
    rejection_reason: str | None
    deposited_at: dt.datetime
    validated_at: dt.datetime | None
    transmitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    rejected_at: dt.datetime | None

    @classmethod
    def of(cls, form: Any) -> Facts:
        return cls(*(getattr(form, f.name) for f in fields(cls)))

    @property
    def decided_by_cnss(self) -> bool:
        return self.transmitted_at is not None and (
            self.accepted_at is not None or self.rejected_at is not None
        )


COLUMNS = tuple(f.name for f in fields(Facts))


def local_day(moment: dt.datetime) -> dt.date:
    day: dt.date = timezone.localtime(moment).date()
    return day


@dataclass(slots=True)
class Delta:
    """What forms add to the tally: counts per row, and rows of AtCnss and Reason."""

    cells: dict[Key, Counter[str]]
    at_cnss: Counter[tuple[dt.date, str, dt.date]]
    reasons: Counter[tuple[dt.date, str, str, str]]  # (day, province, by, text)

    @classmethod
    def empty(cls) -> Delta:
        return cls({}, Counter(), Counter())

    def add(self, facts: Facts, province: str, cnss_reasons: Iterable[str], sign: int) -> None:
        day = local_day(facts.deposited_at)
        cell = self.cells.setdefault((day, province), Counter())
        for column in counts_of(facts):
            cell[column] += sign
        if facts.transmitted_at is not None and not facts.decided_by_cnss:
            self.at_cnss[(day, province, local_day(facts.transmitted_at))] += sign
        if local_reason(facts) is not None:
            self.reasons[(day, province, LOCAL, str(facts.rejection_reason))] += sign
        for reason in cnss_reasons:
            self.reasons[(day, province, CNSS, reason)] += sign


def counts_of(facts: Facts) -> Iterator[str]:
    """The columns of its (day, province) row a form adds one to."""
    yield f"n_{facts.kind}_{facts.channel}"
    if not workflow.is_final(facts.kind, facts.status):
        yield f"waiting_{facts.status}"
    deposited = local_day(facts.deposited_at)
    if facts.validated_at is not None:
        yield "validated"
        if not deadlines.is_stale(deposited, local_day(facts.validated_at)):
            yield "validated_in_time"
    if facts.decided_by_cnss:
        yield "answered"
        decided = facts.accepted_at or facts.rejected_at
        assert facts.transmitted_at is not None and decided is not None
        if not deadlines.sla_breached(local_day(facts.transmitted_at), local_day(decided),
                                      local_day(decided)):  # fmt: skip
            yield "answered_in_time"


def local_reason(facts: Facts) -> str | None:
    """The local authority's reason of a form it refused (not one CNSS refused)."""
    refused = facts.status == workflow.REJECTED and facts.transmitted_at is None
    return facts.rejection_reason if refused and facts.rejection_reason is not None else None


def cnss_reason(text: str | None) -> str | None:
    """A beneficiary's refusal as counted: the reason of CNSS's list, else the text."""
    from sijill.intake.cnss import reason_of

    reason = reason_of(text)
    return None if reason is None else reason.code or reason.note


# --- every write of the ledger ----------------------------------------------------------


def province_of(annex_code: str, apps: Any = installed) -> str:
    link = apps.get_model("territories", "TerritoryLink")
    found = link.objects.filter(descendant_id=annex_code, ancestor__level="province")
    province: str | None = found.values_list("ancestor_id", flat=True).first()
    return province or ""


def _cnss_reasons(facts: Facts) -> list[str]:
    """CNSS's reasons for the beneficiaries of a file it decided, one per refusal."""
    if not facts.decided_by_cnss or facts.register_key is None:
        return []
    from sijill.registry.models import Beneficiary

    texts = Beneficiary.objects.filter(
        file__amo_file_id=facts.register_key, rejection_reason__isnull=False
    ).values_list("rejection_reason", flat=True)
    return [r for r in map(cnss_reason, texts) if r is not None]


def on_written(sender: object, form: Any, was: Any | None, **_kwargs: object) -> None:
    """Add to the tally what the ledger's write of `form` changed (receiver of `written`).

    A decided form is final, so CNSS's reasons read with `form` are never taken back:
    the form as it was is read before CNSS decided, when it had none."""
    new = Facts.of(form)
    old = Facts.of(was) if was is not None else None
    if old == new:
        return
    delta = Delta.empty()
    province = province_of(new.annex_code)
    if old is not None:
        same = old.annex_code == new.annex_code
        delta.add(old, province if same else province_of(old.annex_code), [], -1)
    delta.add(new, province, _cnss_reasons(new), +1)
    add(delta)


def add(delta: Delta) -> None:
    for (day, province), counter in sorted(delta.cells.items()):
        changed = {c: n for c, n in counter.items() if n}
        if changed:
            _upsert("demand_tally", ["day", "province"], [day, province], changed)
    for (day, province, sent), n in sorted(delta.at_cnss.items()):
        if n:
            _upsert("demand_atcnss", ["day", "province", "sent"], [day, province, sent], {"n": n})
    for (day, province, by, text), n in sorted(delta.reasons.items()):
        if n:
            key = [day, province, by, digest(text)]
            _upsert("demand_reason", ["day", "province", "by", "digest"], key, {"n": n},
                    {"text": text})  # fmt: skip


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _upsert(
    table: str,
    key: list[str],
    values: list[object],
    added: dict[str, int],
    extra: dict[str, str] | None = None,
) -> None:
    """Add `added` to the row of `key` (made when missing): one statement both databases
    run atomically (INSERT … ON CONFLICT DO UPDATE, SQLite 3.24 and later)."""
    extra = extra or {}
    columns = [*key, *extra, *added]
    params = [connection.ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v
              for v in [*values, *extra.values(), *added.values()]]  # fmt: skip
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in added)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- the whole ledger counted again -------------------------------------------------------


def counted(apps: Any = installed) -> Delta:
    """The tally of the whole ledger, counted from its forms."""
    form = apps.get_model("intake", "Form")
    link = apps.get_model("territories", "TerritoryLink")
    beneficiary = apps.get_model("registry", "Beneficiary")
    provinces = dict(
        link.objects.filter(ancestor__level="province").values_list("descendant_id", "ancestor_id")
    )
    refused: dict[str, list[str]] = {}
    rows = beneficiary.objects.exclude(rejection_reason=None).values_list(
        "file__amo_file_id", "rejection_reason"
    )
    for file_id, text in rows.iterator(chunk_size=10_000):
        reason = cnss_reason(text)
        if reason is not None:
            refused.setdefault(file_id, []).append(reason)
    delta = Delta.empty()
    for row in form.objects.order_by().values_list(*COLUMNS).iterator(chunk_size=10_000):
        facts = Facts(*row)
        reasons = refused.get(facts.register_key or "", []) if facts.decided_by_cnss else []
        delta.add(facts, provinces.get(facts.annex_code, ""), reasons, +1)
    return delta


def rebuild(apps: Any = installed) -> int:
    """Replace the tally by the ledger counted again; returns the rows written."""
    from django.db import transaction

    delta = counted(apps)
    tally, at_cnss, reason = (apps.get_model("demand", m) for m in ("Tally", "AtCnss", "Reason"))
    with transaction.atomic():
        for model in (tally, at_cnss, reason):
            model.objects.all().delete()
        rows = [tally(day=d, province=p, **{c: n for c, n in counts.items() if n})
                for (d, p), counts in delta.cells.items()]  # fmt: skip
        rows += [at_cnss(day=d, province=p, sent=s, n=n)
                 for (d, p, s), n in delta.at_cnss.items() if n]  # fmt: skip
        rows += [reason(day=d, province=p, by=b, digest=digest(t), text=t, n=n)
                 for (d, p, b, t), n in delta.reasons.items() if n]  # fmt: skip
        for model in (tally, at_cnss, reason):
            model.objects.bulk_create([r for r in rows if type(r) is model], batch_size=5_000)
    return len(rows)


def differences() -> list[str]:
    """The rows where the tally and the ledger counted again differ (none when equal)."""
    from sijill.demand.models import AtCnss, Reason, Tally

    delta = counted()
    kept = Counter({(r["day"], r["province"], c): r[c]
                    for r in Tally.objects.values("day", "province", *COUNTS)
                    for c in COUNTS if r[c]})  # fmt: skip
    cells = Counter({(d, p, c): n for (d, p), counts in delta.cells.items()
                     for c, n in counts.items() if n})  # fmt: skip
    waiting = Counter(dict(((d, p, s), n) for d, p, s, n in
                           AtCnss.objects.values_list("day", "province", "sent", "n")))  # fmt: skip
    rows = Reason.objects.values_list("day", "province", "by", "text", "n")
    reasons = Counter(dict(((d, p, b, t), n) for d, p, b, t, n in rows))
    found = {("tally", k[0], k[1]) for k in _unequal(kept, cells)}
    found |= {("at_cnss", k[0], k[1]) for k in _unequal(waiting, delta.at_cnss)}
    found |= {("reason", k[0], k[1]) for k in _unequal(reasons, delta.reasons)}
    return [f"{table} {day} {province or '-'}" for table, day, province in sorted(found)]


def _unequal(kept: Counter[Any], expected: Counter[Any]) -> set[Any]:
    """The keys whose counts differ, zeros and missing rows alike."""
    return {k for k in set(kept) | set(expected) if kept.get(k, 0) != expected.get(k, 0)}
