"""The demand of a territory over a period, counted live from the forms ledger.

The forms are those deposited in the period (by their local day), in the territory's
subtree; each statistic follows them to today:
- deposits by kind and channel;
- the backlog: those not finished today (awaiting capture, validation, transmission or
  CNSS's decision), by age since their deposit;
- the share validated within one day: of the forms the local authority validated, or that
  have waited past their day unvalidated, those validated by the day after their deposit
  (the contract's `amo_pending_stale` clock; forms it rejected are left out);
- the share decided by CNSS within 30 days: of the AMO requests transmitted and decided, or
  waiting past their 30 days, those decided within 30 days of their transmission;
- the reasons for refusal, ranked: the local authority's (free text, the same words counted
  together) and CNSS's per beneficiary (by the reason of the list, `code: note`).

How (measured over a million forms, benchmarks/demand_stats.py): counting the forms at
the view took 2.1 s nationally on PostgreSQL and 6 s on SQLite, a region 0.6 to 1 s; the
scan is the floor (PostgreSQL groups a million rows in 270 ms with nothing else computed;
SQLite sorts them for a GROUP BY). So the nation and its regions read a tally instead
(sijill.demand.tallied): per local day of deposit and province, what the forms count for,
kept by the ledger's one write path (`sijill.intake.ledger.save`) in the writing
transaction (sijill.demand.tally). A row per (day, province) with a column per count, not
a row per (kind, channel, status…): a million forms fill 55,000 rows instead of nearly a
million. Everything that depends on today stays exact because the rows keep the day it
is counted from: the backlog's ages and the validation deadline from the deposit day, the
30 days of CNSS from the day the file was sent (a small table of the files not decided).
Keeping only finished forms and counting the others live was weighed and left: a third of
a drawn ledger is unfinished (300,000 forms), too many to count live on SQLite.

A province and below keep counting their forms (`counted`, two scans of the period's forms:
one grouped by kind, channel, status and age, one by annex for the territories below);
their places are communes and annexes, finer than the tally. `measure` picks the way.
A page's statistics are also kept in the cache until the ledger changes (`measure_live`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, IntegerField, Min, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from sijill.demand.days import day
from sijill.domain import deadlines
from sijill.intake import workflow
from sijill.intake.models import Form
from sijill.territories import scope

# Ages of the backlog, in days since the deposit: (code, lowest, highest or None).
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("days_0_1", 0, 1),
    ("days_2_7", 2, 7),
    ("days_8_30", 8, 30),
    ("days_31_90", 31, 90),
    ("days_over_90", 91, None),
)
# Who holds a form that is not finished, by its status.
WAITING = (workflow.DEPOSITED, workflow.CAPTURED, workflow.VALIDATED, workflow.TRANSMITTED,
           workflow.UNDER_REVIEW)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Period:
    first: dt.date
    last: dt.date  # included

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as instants: from its first local midnight to the one after it."""
        from django.utils import timezone

        start = dt.datetime.combine(self.first, dt.time.min)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(start), timezone.make_aware(end)


@dataclass(slots=True)
class Share:
    """`done` of `due`: a share that is None when nothing was due."""

    done: int = 0
    due: int = 0

    @property
    def value(self) -> float | None:
        return self.done / self.due if self.due else None

    def add(self, done: int, due: int) -> None:
        self.done += done
        self.due += due


@dataclass(slots=True)
class Place:
    """A territory below the one shown (or the forms of no known annex)."""

    code: str | None
    deposits: int = 0
    waiting: int = 0
    validation: Share = field(default_factory=Share)
    cnss: Share = field(default_factory=Share)


@dataclass(slots=True)
class Demand:
    period: Period
    today: dt.date
    deposits: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, channel)
    backlog: dict[str, list[int]] = field(default_factory=dict)  # status -> per band
    validation: Share = field(default_factory=Share)
    cnss: Share = field(default_factory=Share)
    local_reasons: list[tuple[str, int]] = field(default_factory=list)
    cnss_reasons: list[tuple[str, int]] = field(default_factory=list)  # code or text
    places: list[Place] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.deposits.values())


def forms(code: str | None, period: Period) -> QuerySet[Form]:
    """The forms deposited in the period in the subtree of `code` (None: everywhere)."""
    start, end = period.bounds()
    if connection.vendor == "sqlite" and _most_of_the_ledger(start, end):
        # SQLite would walk the deposit index and fetch each row by its id, 2.5 µs a row:
        # over most of the ledger, reading the table through is five times faster. The
        # unary plus keeps the planner off that index (an annex's own index still serves).
        edges = [connection.ops.adapt_datetimefield_value(moment) for moment in (start, end)]
        within = RawSQL(
            "(+deposited_at >= %s AND +deposited_at < %s)",
            edges,
            output_field=BooleanField(),
        )
        return scope.within(Form.objects.filter(within), code)
    found = Form.objects.filter(deposited_at__gte=start, deposited_at__lt=end)
    return scope.within(found, code)


def _most_of_the_ledger(start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the period spans more than a quarter of the time the ledger covers."""
    from django.utils import timezone

    first = Form.objects.aggregate(first=Min("deposited_at"))["first"]
    if first is None:
        return False
    span = (timezone.now() - first).total_seconds()
    covered = (min(end, timezone.now()) - max(start, first)).total_seconds()
    return bool(span <= 0 or covered > span / 4)


def _sum(sql: str, params: Sequence[object]) -> Sum:
    return Sum(
        RawSQL(f"CASE WHEN {sql} THEN 1 ELSE 0 END", list(params)),
        default=0,
        output_field=IntegerField(),
    )


def since(today: dt.date, days: int) -> object:
    """The instant before which a form deposited is `days` days old or more today (the
    local midnight starting the day `days - 1` days ago), as the database writes instants.
    Comparing a column to it needs no per-row time-zone conversion."""
    from django.utils import timezone

    midnight = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min)
    return connection.ops.adapt_datetimefield_value(timezone.make_aware(midnight))


def _ages(today: dt.date) -> dict[str, Sum]:
    """The forms of each backlog age band (BANDS), by their deposit against constants.
    Counted as sums, not grouped by: the groups stay (kind, channel, status), which
    PostgreSQL aggregates in a hash table instead of sorting every row."""
    sums = {}
    for code, low, high in BANDS:
        clauses, params = ["deposited_at < %s"], [since(today, low)]
        if high is not None:
            clauses.append("deposited_at >= %s")
            params.append(since(today, high + 1))
        sums[code] = _sum(" AND ".join(clauses), params)
    return sums


def _clocks(period: Period, today: dt.date) -> dict[str, Sum]:
    """The two deadlines' counts: due, and met. Ages compare instants with constants; only
    a deadline met needs the local days of two instants of the form."""
    span = (period.first, max(today, period.last))
    deposit, dp = day("deposited_at", *span)
    validated, vp = day("validated_at", *span)
    sent, sp = day("transmitted_at", *span)
    decided, cp = day("coalesce(accepted_at, rejected_at)", *span)
    waiting = f"status IN ('{workflow.DEPOSITED}', '{workflow.CAPTURED}')"
    answered = "(accepted_at IS NOT NULL OR rejected_at IS NOT NULL)"
    late = since(today, deadlines.VALIDATION_DAYS + 1)
    cnss_late = since(today, deadlines.CNSS_DAYS + 1)
    return {
        "validation_due": _sum(
            f"validated_at IS NOT NULL OR ({waiting} AND deposited_at < %s)", [late]
        ),
        "validation_done": _sum(
            f"validated_at IS NOT NULL AND {validated} - {deposit} <= {deadlines.VALIDATION_DAYS}",
            [*vp, *dp],
        ),
        "cnss_due": _sum(
            f"transmitted_at IS NOT NULL AND ({answered} OR transmitted_at < %s)", [cnss_late]
        ),
        "cnss_done": _sum(
            f"transmitted_at IS NOT NULL AND {answered} "
            f"AND {decided} - {sent} <= {deadlines.CNSS_DAYS}",
            [*cp, *sp],
        ),
    }


def _waiting(kind: str, status: str) -> bool:
    return not workflow.is_final(kind, status)


def measure(code: str | None, period: Period, today: dt.date) -> Demand:
    """Every statistic of the territory `code` (None: national) over the period: from the
    tally for the nation and a region, from the forms themselves below."""
    from sijill.demand import tallied

    if tallied.serves(code):
        return tallied.measure(code, period, today)
    return counted(code, period, today)


def counted(code: str | None, period: Period, today: dt.date) -> Demand:
    """Every statistic of the territory `code` over the period, counted from its forms."""
    found = forms(code, period)
    demand = Demand(period, today)
    grouped = found.values("kind", "channel", "status").annotate(
        n=Count("id"), **_ages(today), **_clocks(period, today)
    )
    for row in grouped.order_by():
        key = (row["kind"], row["channel"])
        demand.deposits[key] = demand.deposits.get(key, 0) + row["n"]
        demand.validation.add(row["validation_done"], row["validation_due"])
        demand.cnss.add(row["cnss_done"], row["cnss_due"])
        if _waiting(row["kind"], row["status"]):
            bands = demand.backlog.setdefault(row["status"], [0] * len(BANDS))
            for i, (band, _low, _high) in enumerate(BANDS):
                bands[i] += row[band]
    demand.local_reasons = local_reasons(found)
    demand.cnss_reasons = cnss_reasons(found)
    demand.places = places(code, found, period, today)
    return demand


def version() -> tuple[int, int]:
    """What changes whenever the ledger does: the newest audit entry (every step of a form
    is one, CNSS's decisions on beneficiaries included) and the newest form (one written
    without a step, as a bulk import does). Both are read from their unique index."""
    from sijill.audit.models import Entry

    seq = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    newest = Form.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return int(seq), int(newest)


CACHED_FOR = 3600  # seconds; any change of the ledger makes another key before that


def measure_live(code: str | None, period: Period, today: dt.date) -> Demand:
    """`measure`, kept until the ledger changes: a page seen again before any form moves is
    read from the cache; the first one after a change counts again."""
    from django.core.cache import cache

    seq, newest = version()
    key = f"sijill:demand:{code}:{period.first}:{period.last}:{today}:{seq}:{newest}"
    found: Demand | None = cache.get(key)
    if found is None:
        found = measure(code, period, today)
        cache.set(key, found, CACHED_FOR)
    return found


def local_reasons(found: QuerySet[Form], limit: int = 20) -> list[tuple[str, int]]:
    """The local authority's reasons, the same words (case and spacing aside) together,
    most frequent first."""
    refused = found.filter(status=workflow.REJECTED, transmitted_at__isnull=True)
    rows = refused.exclude(rejection_reason=None).values_list("rejection_reason")
    return merged_reasons(rows.annotate(n=Count("id")).order_by(), limit)


def merged_reasons(rows: Iterable[tuple[str, int]], limit: int = 20) -> list[tuple[str, int]]:
    """Texts and their counts, the same words (case and spacing aside) together, shown as
    the first spelling in alphabetical order, most frequent first."""
    counted: dict[str, tuple[str, int]] = {}
    for raw, n in sorted(rows):
        text = " ".join(str(raw).split())
        if not text or not n:
            continue
        shown, total = counted.get(text.casefold(), (text, 0))
        counted[text.casefold()] = (shown, total + n)
    return ranked(counted.values(), limit)


def ranked(rows: Iterable[tuple[str, int]], limit: int = 20) -> list[tuple[str, int]]:
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:limit]


def cnss_reasons(found: QuerySet[Form], limit: int = 20) -> list[tuple[str, int]]:
    """CNSS's reasons for refusing beneficiaries of the period's AMO requests it decided:
    the reason of the list when the text names one (`code: note`), else the text itself."""
    from sijill.intake.cnss import reason_of
    from sijill.registry.models import Beneficiary

    decided = Q(accepted_at__isnull=False) | Q(rejected_at__isnull=False)
    files = found.filter(decided, kind=workflow.AMO_REQUEST, transmitted_at__isnull=False)
    files = files.exclude(register_key=None)
    refused = Beneficiary.objects.filter(
        file__amo_file_id__in=files.values("register_key"), rejection_reason__isnull=False
    )
    counted: dict[str, int] = {}
    for row in refused.values("rejection_reason").annotate(n=Count("id")).order_by():
        reason = reason_of(row["rejection_reason"])
        if reason is None:
            continue
        key = reason.code or reason.note
        counted[key] = counted.get(key, 0) + row["n"]
    return ranked(counted.items(), limit)


# A form not finished: waiting for capture, validation, transmission or CNSS's decision.
_OPEN = (
    f"status IN ('{workflow.DEPOSITED}', '{workflow.CAPTURED}', '{workflow.TRANSMITTED}', "
    f"'{workflow.UNDER_REVIEW}') OR (status = '{workflow.VALIDATED}' "
    f"AND kind = '{workflow.AMO_REQUEST}')"
)


def places(code: str | None, found: QuerySet[Form], period: Period, today: dt.date) -> list[Place]:
    """The territories just below `code`, each with its forms, its backlog and its two
    shares; the forms of no known annex in a place of their own (national view only)."""
    from sijill.territories.models import Territory, TerritoryLink

    children = list(Territory.objects.filter(parent_id=code).values_list("code", flat=True))
    if not children:  # an annex: nothing below it
        return []
    rows = list(
        found.values("annex_code")
        .annotate(n=Count("id"), waiting=_sum(_OPEN, []), **_clocks(period, today))
        .order_by()
    )
    annexes = {row["annex_code"] for row in rows}
    under = dict(
        TerritoryLink.objects.filter(
            ancestor_id__in=children, descendant_id__in=annexes
        ).values_list("descendant_id", "ancestor_id")
    )
    shown = {child: Place(child) for child in children}
    for row in rows:
        place = shown.setdefault(under.get(row["annex_code"], ""), Place(None))
        place.deposits += row["n"]
        place.waiting += row["waiting"]
        place.validation.add(row["validation_done"], row["validation_due"])
        place.cnss.add(row["cnss_done"], row["cnss_due"])
    return sorted(shown.values(), key=lambda p: (p.code is None, -p.deposits, p.code or ""))


def scoped_code(user: Any, asked: str | None) -> str | None:
    """The territory shown: the one asked for (`ALL`: national) when within the user's
    subtree, else the user's own; None is national. LookupError outside the scope."""
    if not asked:
        found: str | None = user.territory_code
        return found
    if asked == "ALL":
        if user.territory_code is not None:
            raise LookupError(asked)
        return None
    if not scope.covers(user.territory_code, asked):
        raise LookupError(asked)
    return asked
