"""AMO file timelines (engine/synth/timeline.py): steps, statuses and the two deadlines."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pytest

from sijill.domain.contract import AMO_STATUSES
from sijill.synth.timeline import (
    ACCEPTED,
    DAY,
    PENDING,
    REJECTED,
    REJECTION_REASONS,
    TRANSMITTED,
    UNDER_REVIEW,
    VALIDATED,
    Timeline,
    day_of,
    make_timeline,
    sla_breached,
    stale,
)

Ints = npt.NDArray[np.int64]

AS_OF = 20_634  # 2026-06-30 as days since 1970-01-01
HOUR = 3_600
UNSET = -1


def at(day: int, seconds: int = 10 * HOUR) -> int:
    return day * DAY + seconds


def timeline(
    status: list[int],
    deposited: list[int],
    validated: list[int] | None = None,
    transmitted: list[int] | None = None,
    decided: list[int] | None = None,
) -> Timeline:
    n = len(status)

    def col(values: list[int] | None) -> Ints:
        return np.array(values if values is not None else [UNSET] * n, dtype=np.int64)

    return Timeline(
        np.array(status, dtype=np.int64),
        col(deposited),
        col(validated),
        col(transmitted),
        col(decided),
        np.full(n, -1, dtype=np.int64),
    )


def test_as_of_constant_is_the_default_reference_day() -> None:
    assert (np.datetime64("2026-06-30") - np.datetime64("1970-01-01")).astype(int) == AS_OF


def test_day_of() -> None:
    seconds = np.array([0, DAY - 1, DAY, at(AS_OF, 0), at(AS_OF, DAY - 1)], dtype=np.int64)
    assert day_of(seconds).tolist() == [0, 0, 1, AS_OF, AS_OF]


# --------------------------------------------------------------------------------------
# stale: pending_validation and as_of - date(deposited_at) > validation_days


def test_stale_at_the_day_boundary() -> None:
    t = timeline(
        [PENDING] * 6,
        [
            at(AS_OF - 1, 0),  # exactly 1 day before (start of day)
            at(AS_OF - 1, DAY - 1),  # 1 day before, last second
            at(AS_OF - 2, 0),  # 2 days before
            at(AS_OF - 2, DAY - 1),  # 2 days before, last second
            at(AS_OF),  # deposited on the reference day
            at(AS_OF - 40),
        ],
    )
    assert stale(t, AS_OF, 1).tolist() == [False, False, True, True, False, True]
    assert stale(t, AS_OF, 0).tolist() == [True, True, True, True, False, True]
    assert stale(t, AS_OF, 2).tolist() == [False, False, False, False, False, True]


def test_only_pending_files_are_stale() -> None:
    old = at(AS_OF - 10)
    statuses = [PENDING, VALIDATED, TRANSMITTED, UNDER_REVIEW, ACCEPTED, REJECTED]
    t = timeline(statuses, [old] * 6, [old + HOUR] * 6)
    assert stale(t, AS_OF, 1).tolist() == [True, False, False, False, False, False]


# --------------------------------------------------------------------------------------
# sla_breached: transmitted and (undecided and as_of - date(transmitted) > cnss_days,
#               or date(decided) - date(transmitted) > cnss_days)


def test_sla_waiting_at_the_day_boundary() -> None:
    sent = [at(AS_OF - 30, 0), at(AS_OF - 30, DAY - 1), at(AS_OF - 31, 0), at(AS_OF - 31, DAY - 1)]
    t = timeline([UNDER_REVIEW] * 4, [s - 2 * DAY for s in sent], [s - DAY for s in sent], sent)
    assert sla_breached(t, AS_OF, 30).tolist() == [False, False, True, True]
    assert sla_breached(t, AS_OF, 29).tolist() == [True, True, True, True]
    assert sla_breached(t, AS_OF, 31).tolist() == [False, False, False, False]


def test_sla_decided_at_the_day_boundary() -> None:
    sent_day = AS_OF - 60
    sent = [at(sent_day, 23 * HOUR)] * 4 + [at(sent_day, 0)] * 2
    decided = [
        at(sent_day + 30, 0),  # 30 days later by date, though under 30 x 24 h
        at(sent_day + 30, DAY - 1),
        at(sent_day + 31, 0),  # 31 days later by date, though under 31 x 24 h
        at(sent_day + 31, DAY - 1),
        at(sent_day + 30, DAY - 1),  # more than 30 x 24 h, still day 30
        at(sent_day + 31, 0),
    ]
    t = timeline([ACCEPTED] * 6, [s - DAY for s in sent], [s - HOUR for s in sent], sent, decided)
    assert sla_breached(t, AS_OF, 30).tolist() == [False, False, True, True, False, True]


def test_sla_decided_late_counts_even_when_the_file_is_closed() -> None:
    sent_day = AS_OF - 100
    t = timeline(
        [REJECTED, ACCEPTED],
        [at(sent_day - 2)] * 2,
        [at(sent_day - 1)] * 2,
        [at(sent_day)] * 2,
        [at(sent_day + 45), at(sent_day + 10)],
    )
    assert sla_breached(t, AS_OF, 30).tolist() == [True, False]


def test_sla_needs_a_transmission() -> None:
    old = at(AS_OF - 200)
    t = timeline([PENDING, VALIDATED], [old, old], [UNSET, old + HOUR])
    assert not sla_breached(t, AS_OF, 30).any()


# --------------------------------------------------------------------------------------
# make_timeline


@pytest.fixture(scope="module")
def faulty() -> Ints:
    rng = np.random.default_rng(31)
    return np.where(rng.random(100_000) < 0.3, rng.integers(0, 3, 100_000), -1).astype(np.int64)


@pytest.fixture(scope="module")
def made(faulty: Ints) -> Timeline:
    rate = np.random.default_rng(30).uniform(0.0, 0.25, len(faulty))
    return make_timeline(np.random.default_rng(32), AS_OF, rate, faulty)


def test_make_timeline_orders_the_steps(made: Timeline) -> None:
    steps = [made.deposited, made.validated, made.transmitted, made.decided]
    assert (made.deposited >= 0).all()
    for earlier, later in pairwise(steps):
        reached = later >= 0
        assert (earlier[reached] >= 0).all()  # a later step implies the earlier ones
        assert (earlier[reached] <= later[reached]).all()
    for step in steps[1:]:
        assert ((step == UNSET) | (step >= 0)).all()
        assert (step >= 0).any()
        assert (step == UNSET).any()


def test_make_timeline_stays_before_the_end_of_the_reference_day(made: Timeline) -> None:
    end = (AS_OF + 1) * DAY
    for step in (made.deposited, made.validated, made.transmitted, made.decided):
        assert (step < end).all()
    assert (made.deposited >= (AS_OF - 150) * DAY).all()


def test_make_timeline_status_follows_the_dates(made: Timeline) -> None:
    decided = made.decided >= 0
    sent = (made.transmitted >= 0) & ~decided
    checked = (made.validated >= 0) & (made.transmitted < 0)
    waiting = made.validated < 0
    assert np.array_equal(decided, np.isin(made.status, [ACCEPTED, REJECTED]))
    assert np.array_equal(sent, np.isin(made.status, [TRANSMITTED, UNDER_REVIEW]))
    assert np.array_equal(checked, made.status == VALIDATED)
    assert np.array_equal(waiting, made.status == PENDING)
    assert set(made.status.tolist()) == set(range(len(AMO_STATUSES)))


def test_rejection_reasons_only_on_rejected_files(made: Timeline, faulty: Ints) -> None:
    rejected = made.status == REJECTED
    assert np.array_equal(made.reason >= 0, rejected)
    assert (made.reason < len(REJECTION_REASONS)).all()
    known = rejected & (faulty >= 0)
    assert np.array_equal(made.reason[known], faulty[known])
    assert (made.reason[rejected & (faulty < 0)] == len(REJECTION_REASONS) - 1).all()
    # A careful CNSS rejects most faulty files and few sound ones.
    decided = made.decided >= 0
    assert rejected[decided & (faulty >= 0)].mean() > 0.75
    assert rejected[decided & (faulty < 0)].mean() < 0.08


def test_make_timeline_without_stale_rate_has_no_stale_file(faulty: Ints) -> None:
    t = make_timeline(np.random.default_rng(33), AS_OF, np.zeros(len(faulty)), faulty)
    assert not stale(t, AS_OF, 1).any()
    assert (t.status == PENDING).any()


def test_make_timeline_stale_rate_makes_stale_files(faulty: Ints) -> None:
    t = make_timeline(np.random.default_rng(34), AS_OF, np.ones(len(faulty)), faulty)
    pending = t.status == PENDING
    assert stale(t, AS_OF, 1).sum() > 0.5 * pending.sum()
    late = sla_breached(t, AS_OF, 30)
    assert late.any()
    assert not late.all()


def test_make_timeline_is_deterministic(faulty: Ints) -> None:
    rate = np.full(len(faulty), 0.1)
    a = make_timeline(np.random.default_rng(5), AS_OF, rate, faulty)
    b = make_timeline(np.random.default_rng(5), AS_OF, rate, faulty)
    for field in ("status", "deposited", "validated", "transmitted", "decided", "reason"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
