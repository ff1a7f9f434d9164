"""sijill.dashboards.funnel: seven steps, the loss at each, the gaps the table sorts by."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sijill.dashboards.funnel import GAP_KEYS, STEPS, gaps, steps
from sijill.domain.vocabulary import FIGURES, FUNNEL, FUNNEL_GAPS, term

VALUES = dict(zip((s.key for s in STEPS), (1000, 600, 300, 200, 190, 180, 90), strict=True))


def test_each_step_says_what_was_lost_since_the_previous_one() -> None:
    rows = steps(SimpleNamespace(**VALUES))
    assert [r.value for r in rows] == [1000, 600, 300, 200, 190, 180, 90]
    assert [r.loss for r in rows] == [None, 400, 300, 100, 10, 10, 90]
    assert rows[1].loss_share == pytest.approx(40.0)
    assert rows[-1].loss_share == pytest.approx(50.0)
    assert rows[-1].share_of_start == pytest.approx(9.0)


def test_gaps_are_keyed_for_sorting() -> None:
    assert gaps(SimpleNamespace(**VALUES)) == dict(
        zip(GAP_KEYS, (400, 300, 100, 10, 10, 90), strict=True)
    )


def test_an_empty_territory_has_no_shares() -> None:
    rows = steps(SimpleNamespace(**dict.fromkeys(VALUES, 0)))
    assert [r.loss_share for r in rows] == [None] * 7
    assert [r.share_of_start for r in rows] == [None] * 7


def test_steps_and_gaps_are_called_as_the_vocabulary_calls_them() -> None:
    assert all(s.term is term(s.key, FUNNEL, FIGURES) for s in STEPS)
    assert tuple(FUNNEL_GAPS) == GAP_KEYS
    # The first loss is the contract's rnp_not_in_rsu: one concept, one wording.
    assert FUNNEL_GAPS["gap_rsu"].words == FUNNEL["rnp_not_in_rsu"].words
