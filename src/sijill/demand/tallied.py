"""The demand of the nation or of a region, read from the tally (sijill.demand.models).

The tally holds, per local day and province, what the forms deposited that day count for;
what depends on today (the backlog's ages, the forms past their deadline) depends on the
day of the deposit or of the transmission, which the rows keep: one grouped read of the
period's rows (a year nationally: 27,000 rows for a million forms) and two of the small
tables answer every statistic exactly as counting the forms would.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from sijill.demand.models import CLOCKS, CNSS, DEPOSITS, LOCAL, WAITING, AtCnss, Reason, Tally
from sijill.demand.statistics import BANDS, Demand, Period, Place, merged_reasons, ranked
from sijill.domain import deadlines


def serves(code: str | None) -> bool:
    """Whether the tally answers for `code`: the nation and its regions (their territories
    below are provinces, the tally's finest place)."""
    from sijill.territories.models import Territory

    return code is None or Territory.objects.filter(code=code, level="region").exists()


def _within(rows: QuerySet[Any], code: str | None, period: Period) -> QuerySet[Any]:
    from sijill.territories.models import TerritoryLink

    if connection.vendor == "sqlite":
        # SQLite would walk the (day, province) index and fetch each row by its id: over
        # most of the tally, reading the table through is faster (the unary plus keeps
        # the planner off the index; 15% of a national read).
        edges = [connection.ops.adapt_datefield_value(d) for d in (period.first, period.last)]
        within = RawSQL("(+day >= %s AND +day <= %s)", edges, output_field=BooleanField())
        rows = rows.filter(within)
    else:
        rows = rows.filter(day__gte=period.first, day__lte=period.last)
    if code is not None:
        below = TerritoryLink.objects.filter(ancestor_id=code).values("descendant_id")
        rows = rows.filter(province__in=below)
    return rows


def _total(column: str) -> Coalesce:
    return Coalesce(Sum(column), Value(0), output_field=IntegerField())


# The ages (days since the deposit) where a backlog band or the validation deadline starts:
# the rows are grouped by the first of them their day has reached, and each group's counts
# go to the band (and deadline) its ages fall in. A day after today has no age (-1).
STARTS = tuple(sorted({low for _band, low, _high in BANDS} | {deadlines.VALIDATION_DAYS + 1}))


def _age(today: dt.date) -> Case:
    whens = [When(day__gt=today, then=Value(-1))]
    for start, following in itertools.pairwise(STARTS):
        whens.append(When(day__gt=today - dt.timedelta(days=following), then=Value(start)))
    return Case(*whens, default=Value(STARTS[-1]), output_field=IntegerField())


def _band(age: int) -> int | None:
    """The index in BANDS of the ages from `age` (None: not aged yet)."""
    for i, (_band, low, high) in enumerate(BANDS):
        if age >= low and (high is None or age <= high):
            return i
    return None


def measure(code: str | None, period: Period, today: dt.date) -> Demand:
    """One grouped read of the period's rows, by province and age; two small ones."""
    demand = Demand(period, today)
    cells = _within(Tally.objects.all(), code, period).annotate(age=_age(today))
    sums = {f"{c}__all": _total(c) for c in (*DEPOSITS, *CLOCKS, *WAITING)}
    rows = [{k.removesuffix("__all"): v for k, v in row.items()}
            for row in cells.values("province", "age").annotate(**sums).order_by()]  # fmt: skip
    cnss_late = today - dt.timedelta(days=deadlines.CNSS_DAYS)
    waiting = dict(
        _within(AtCnss.objects.filter(sent__lt=cnss_late), code, period)
        .values_list("province")
        .annotate(n=Sum("n"))
        .order_by()
    )
    shown = {child: Place(child) for child in _children(code)}
    under = _under(list(shown), list({r["province"] for r in rows} | set(waiting)))
    for row in rows:
        place = shown.setdefault(under.get(row["province"], ""), Place(None))
        late = _add(demand, row)
        place.deposits += sum(row[c] for c in DEPOSITS)
        place.waiting += sum(row[c] for c in WAITING)
        place.validation.add(row["validated_in_time"], row["validated"] + late)
        place.cnss.add(row["answered_in_time"], row["answered"])
    for province, n in waiting.items():  # sent more than 30 days ago, not decided
        demand.cnss.add(0, n)
        shown.setdefault(under.get(province, ""), Place(None)).cnss.add(0, n)
    demand.places = sorted(
        shown.values(), key=lambda p: (p.code is None, -p.deposits, p.code or "")
    )
    _reasons(demand, code, period)
    return demand


def _add(demand: Demand, row: dict[str, Any]) -> int:
    """Add a group's counts to the demand; returns its forms late for validation."""
    for column in DEPOSITS:
        if row[column]:
            key = _kind_channel[column]
            demand.deposits[key] = demand.deposits.get(key, 0) + row[column]
    band = _band(row["age"])
    for column in WAITING:
        if row[column]:
            bands = demand.backlog.setdefault(column.removeprefix("waiting_"), [0] * len(BANDS))
            if band is not None:
                bands[band] += row[column]
    late = 0
    if row["age"] >= deadlines.VALIDATION_DAYS + 1:
        late = row["waiting_deposited"] + row["waiting_captured"]
    demand.validation.add(row["validated_in_time"], row["validated"] + late)
    demand.cnss.add(row["answered_in_time"], row["answered"])
    return late


def _kind_channels() -> dict[str, tuple[str, str]]:
    from sijill.intake import workflow

    return {f"n_{k}_{c}": (k, c) for k in workflow.KINDS for c in workflow.CHANNELS}


_kind_channel = _kind_channels()


def _children(code: str | None) -> list[str]:
    from sijill.territories.models import Territory

    return list(Territory.objects.filter(parent_id=code).values_list("code", flat=True))


def _under(children: list[str], provinces: list[str]) -> dict[str, str]:
    """The child (of `children`) each province lies under."""
    from sijill.territories.models import TerritoryLink

    links = TerritoryLink.objects.filter(ancestor_id__in=children, descendant_id__in=provinces)
    return dict(links.values_list("descendant_id", "ancestor_id"))


def _reasons(demand: Demand, code: str | None, period: Period) -> None:
    rows = (
        _within(Reason.objects.all(), code, period)
        .values_list("by", "text")
        .annotate(n=Sum("n"))
        .order_by()
    )
    local: list[tuple[str, int]] = []
    cnss: dict[str, int] = {}
    for by, text, n in rows:
        if by == LOCAL:
            local.append((text, n))
        elif by == CNSS and n:
            cnss[text] = cnss.get(text, 0) + n
    demand.local_reasons = merged_reasons(local)
    demand.cnss_reasons = ranked(cnss.items())
