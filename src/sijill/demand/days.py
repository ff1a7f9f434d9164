"""A timestamp's day in the back office's time zone, as SQL on either database: the number
of Python's `date.toordinal()`, so that two days subtract to the days between them.

The deadlines count calendar days where the form was deposited (a form deposited on Monday
evening and validated on Tuesday morning was validated within one day), and Morocco's clock
moves (UTC+1, UTC+0 during Ramadan). PostgreSQL converts with the zone's rules itself.
SQLite's own conversion (`date(x, 'localtime')`) costs 0.4 µs a value, four times its
`julianday`: there the offset comes from a CASE over the zone's changes between the two
days given (a few string comparisons), added to the UTC Julian day.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from django.conf import settings
from django.db import connection

# julianday(D 00:00 UTC) + 0.5 - this == D.toordinal()
_JULIAN_ORDINAL = 1721425


@functools.lru_cache(maxsize=64)
def changes(first: dt.date, last: dt.date) -> tuple[tuple[dt.datetime, float], ...]:
    """The zone's UTC offset (hours) from the day before `first`, and each change up to the
    day after `last`: (UTC instant from which it applies, offset)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), dt.UTC)

    def offset(moment: dt.datetime) -> float:
        found = moment.astimezone(zone).utcoffset()
        return found.total_seconds() / 3600 if found is not None else 0.0

    found = [(start, offset(start))]
    for days in range((last - first).days + 3):
        low = start + dt.timedelta(days=days)
        high = low + dt.timedelta(days=1)
        if offset(high) == found[-1][1]:
            continue
        while high - low > dt.timedelta(minutes=1):  # the minute the clock moved
            middle = low + (high - low) / 2
            low, high = (middle, high) if offset(middle) == found[-1][1] else (low, middle)
        found.append((high.replace(second=0, microsecond=0), offset(high)))
    return tuple(found)


def day(column: str, first: dt.date, last: dt.date) -> tuple[str, list[object]]:
    """SQL for the local day of `column` (a timestamp column of the queried table, whose
    values lie between the days `first` and `last`), and its parameters."""
    if connection.vendor == "postgresql":
        return f"(({column} AT TIME ZONE %s)::date - DATE '0001-01-01' + 1)", [settings.TIME_ZONE]
    steps = changes(first, last)
    whens = " ".join(f"WHEN {column} < %s THEN {o}" for _at, o in steps[:-1])
    params: list[object] = [connection.ops.adapt_datetimefield_value(at) for at, _o in steps[1:]]
    hours = f"CASE {whens} ELSE {steps[-1][1]} END" if whens else str(steps[-1][1])
    julian = f"CAST(julianday({column}) + ({hours}) / 24.0 + 0.5 AS INTEGER)"
    return f"({julian} - {_JULIAN_ORDINAL})", params
