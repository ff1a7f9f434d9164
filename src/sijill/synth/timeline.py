"""Where each AMO Tadamon file stands on the reference day, and when each step happened.

A file is deposited, validated by the local authority (normally within a day; in some
annexes files sit for days), transmitted to CNSS, then decided (normally within 30 days;
some decisions come late, some never come). The status is whatever step the reference
day has reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sijill.domain.contract import AMO_STATUSES

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

PENDING, VALIDATED, TRANSMITTED, UNDER_REVIEW, ACCEPTED, REJECTED = range(len(AMO_STATUSES))
DAY = 86_400
REJECTION_REASONS = (
    "beneficiary not in the RSU household",
    "data differs from the RSU",
    "score above the eligibility threshold",
    "incomplete file",
)


@dataclass(frozen=True)
class Timeline:
    status: Ints
    deposited: Ints  # seconds since 1970-01-01
    validated: Ints  # -1 where not reached
    transmitted: Ints
    decided: Ints
    reason: Ints  # index into REJECTION_REASONS, -1 unless rejected


def _reached(start: Ints, delay_days: Ints, rng: np.random.Generator, as_of: int) -> Ints:
    """Time of the next step, or -1 when it falls after the end of the reference day."""
    when = start + delay_days * DAY + rng.integers(0, 8 * 3600, len(start))
    return np.where((start >= 0) & (when < as_of + DAY), when, -1)


def make_timeline(
    rng: np.random.Generator, as_of_day: int, stale_rate: Floats, faulty: Ints
) -> Timeline:
    """`stale_rate` per file; `faulty` is the reason a careful CNSS would reject (-1: none)."""
    n = len(stale_rate)
    as_of = as_of_day * DAY
    deposited = as_of - rng.integers(0, 150, n) * DAY + rng.integers(8 * 3600, 16 * 3600, n)
    stale = rng.random(n) < stale_rate
    validation = np.where(stale, rng.integers(2, 21, n), rng.integers(0, 2, n))
    validated = _reached(deposited, validation, rng, as_of)
    transmitted = _reached(validated, rng.integers(0, 6, n), rng, as_of)
    late = rng.random(n) < 0.12
    cnss = np.where(late, rng.integers(31, 70, n), rng.integers(3, 31, n))
    decided = _reached(transmitted, cnss, rng, as_of)
    rejected = (decided >= 0) & ((faulty >= 0) & (rng.random(n) < 0.8) | (rng.random(n) < 0.04))
    status = np.select(
        [decided >= 0, transmitted >= 0, validated >= 0],
        [
            np.where(rejected, REJECTED, ACCEPTED),
            np.where(rng.random(n) < 0.5, TRANSMITTED, UNDER_REVIEW),
            VALIDATED,
        ],
        PENDING,
    )
    reason = np.where(rejected, np.where(faulty >= 0, faulty, len(REJECTION_REASONS) - 1), -1)
    return Timeline(
        status.astype(np.int64), deposited, validated, transmitted, decided, reason.astype(np.int64)
    )


def day_of(seconds: Ints) -> Ints:
    return seconds // DAY


def stale(t: Timeline, as_of_day: int, validation_days: int) -> Bools:
    return np.asarray((t.status == PENDING) & (as_of_day - day_of(t.deposited) > validation_days))


def sla_breached(t: Timeline, as_of_day: int, cnss_days: int) -> Bools:
    sent = t.transmitted >= 0
    waiting = (t.decided < 0) & (as_of_day - day_of(t.transmitted) > cnss_days)
    slow = (t.decided >= 0) & (day_of(t.decided) - day_of(t.transmitted) > cnss_days)
    return np.asarray(sent & (waiting | slow))
