"""The two clocks of an AMO Tadamon file: the local authority's validation day, CNSS's 30 days.

Deadlines count calendar days from the date (not the hour) of the starting event, exactly
as the interchange contract defines `amo_pending_stale` and `amo_sla_breached`, so the back
office and the reconciliation engine never disagree on whether a file is late.
"""

from __future__ import annotations

import datetime as dt

# The contract's defaults (spec/extracts.md, "Parameters"); tests keep them equal.
VALIDATION_DAYS = 1
CNSS_DAYS = 30


def _day(moment: dt.date | dt.datetime) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def validation_due(deposited: dt.date | dt.datetime, days: int = VALIDATION_DAYS) -> dt.date:
    """Last day a deposited form may wait for validation (pending files are validated daily)."""
    return _day(deposited) + dt.timedelta(days=days)


def is_stale(deposited: dt.date | dt.datetime, as_of: dt.date, days: int = VALIDATION_DAYS) -> bool:
    """Still pending after its validation day: the contract's `as_of - date(deposited) > days`."""
    return as_of > validation_due(deposited, days)


def cnss_due(transmitted: dt.date | dt.datetime, days: int = CNSS_DAYS) -> dt.date:
    """Last day for CNSS's decision on a file transmitted at `transmitted`."""
    return _day(transmitted) + dt.timedelta(days=days)


def sla_breached(
    transmitted: dt.date | dt.datetime,
    decided: dt.date | dt.datetime | None,
    as_of: dt.date,
    days: int = CNSS_DAYS,
) -> bool:
    """CNSS decided late, or has not decided and the deadline has passed by `as_of`."""
    due = cnss_due(transmitted, days)
    if decided is None:
        return as_of > due
    return _day(decided) > due


def days_left(due: dt.date, as_of: dt.date) -> int:
    """Days until `due` (0 on the day itself, negative once late)."""
    return (due - as_of).days
