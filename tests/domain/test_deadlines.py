"""sijill.domain.deadlines: the same clocks as the contract's stale and SLA definitions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sijill.domain import deadlines
from sijill.domain.contract import DEFAULT_CNSS_DAYS, DEFAULT_VALIDATION_DAYS

DEPOSIT = dt.datetime(2026, 1, 10, 16, 45)


def test_the_defaults_are_the_contracts() -> None:
    assert deadlines.VALIDATION_DAYS == DEFAULT_VALIDATION_DAYS
    assert deadlines.CNSS_DAYS == DEFAULT_CNSS_DAYS


def test_a_form_deposited_today_must_be_validated_by_tomorrow_whatever_the_hour() -> None:
    assert deadlines.validation_due(DEPOSIT) == dt.date(2026, 1, 11)
    assert not deadlines.is_stale(DEPOSIT, dt.date(2026, 1, 11))
    assert deadlines.is_stale(DEPOSIT, dt.date(2026, 1, 12))


def test_cnss_has_thirty_calendar_days_from_transmission() -> None:
    sent = dt.datetime(2026, 1, 31, 23, 59)
    assert deadlines.cnss_due(sent) == dt.date(2026, 3, 2)
    assert not deadlines.sla_breached(sent, None, dt.date(2026, 3, 2))
    assert deadlines.sla_breached(sent, None, dt.date(2026, 3, 3))
    assert not deadlines.sla_breached(sent, dt.datetime(2026, 3, 2, 18, 0), dt.date(2026, 9, 1))
    assert deadlines.sla_breached(sent, dt.date(2026, 3, 3), dt.date(2026, 3, 3))


def test_days_left_counts_down_through_zero() -> None:
    due = dt.date(2026, 3, 2)
    assert [deadlines.days_left(due, dt.date(2026, 3, d)) for d in (1, 2, 3)] == [1, 0, -1]


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2041, 1, 1)),
    st.integers(min_value=0, max_value=60),
)
def test_stale_is_exactly_the_contracts_formula(
    deposited: dt.datetime, as_of: dt.date, days: int
) -> None:
    assert deadlines.is_stale(deposited, as_of, days) == ((as_of - deposited.date()).days > days)


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.none() | st.integers(min_value=0, max_value=90),
    st.integers(min_value=0, max_value=120),
)
def test_sla_is_exactly_the_contracts_formula(
    sent: dt.datetime, decided_after: int | None, as_of_after: int
) -> None:
    decided = None if decided_after is None else sent + dt.timedelta(days=decided_after)
    as_of = sent.date() + dt.timedelta(days=as_of_after)
    if decided is None:
        expected = (as_of - sent.date()).days > 30
    else:
        expected = (decided.date() - sent.date()).days > 30
    assert deadlines.sla_breached(sent, decided, as_of) == expected
