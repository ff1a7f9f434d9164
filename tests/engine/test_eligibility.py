"""sijill.engine.eligibility: the threshold what-if from a run's RSU scores, checked against
the funnel the engine counts when it is run at the other threshold."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sijill.domain.contract import DEFAULT_THRESHOLD
from sijill.engine import Shift, score_range, threshold_shifts, write_scores
from sijill.engine.params import Parameters
from tests.apps.reconciled import Reconciled
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    ANNEX_3,
    COUNTRY_AS_OF,
    country_rows,
    reconcile_rows,
)


@pytest.fixture(scope="module")
def scores(country: Reconciled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("scores") / "scores.parquet"
    write_scores(country.extracts, target)
    return target


def eligible(out: Path) -> dict[str, tuple[int, int]]:
    rows = pq.read_table(out / "funnel.parquet").to_pylist()
    return {str(r["code"]): (r["eligible_households"], r["eligible_persons"]) for r in rows
            if r["level"] == "annex"}  # fmt: skip


@pytest.mark.parametrize("proposed", [4.0, 7.0, 7.5, 8.5, 10.0, 12.0, 20.0])
def test_a_move_changes_what_a_run_at_that_threshold_would_count(
    scores: Path, country: Reconciled, proposed: float, tmp_path: Path
) -> None:
    before = eligible(country.out)
    after = eligible(reconcile_rows(tmp_path, country_rows(), Parameters(COUNTRY_AS_OF, proposed)))
    shifts = threshold_shifts(scores, DEFAULT_THRESHOLD, proposed)
    sign = 1 if proposed > DEFAULT_THRESHOLD else -1
    for annex, (households, persons) in before.items():
        shift = shifts.get(annex, Shift())
        assert after[annex] == (households + sign * shift.households,
                                persons + sign * shift.persons), annex  # fmt: skip


def test_who_holds_an_amo_file(scores: Path) -> None:
    # Falling to 7: H01 (7.5, three members, an accepted file) and H06 (8.0, no file) stop.
    falling = threshold_shifts(scores, DEFAULT_THRESHOLD, 7.0)
    assert falling[ANNEX_1] == Shift(1, 3, 1, 3)
    assert falling[ANNEX_3] == Shift(1, 1, 0, 0)
    # Rising to 12: H07 (10.0) in ANNEX_2; H02 (12.0) in ANNEX_1, whose only file was rejected.
    rising = threshold_shifts(scores, DEFAULT_THRESHOLD, 12.0)
    assert rising == {ANNEX_2: Shift(1, 2, 0, 0), ANNEX_1: Shift(1, 1, 0, 0)}
    assert threshold_shifts(scores, DEFAULT_THRESHOLD, DEFAULT_THRESHOLD) == {}


def test_the_scores_range(scores: Path) -> None:
    assert score_range(scores) == (5.0, 12.0)  # the unknown annex's 6.0 left out
    rows = pq.read_table(scores).to_pylist()
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)


def test_only_the_annexes_of_a_scoped_run(country: Reconciled, tmp_path: Path) -> None:
    target = tmp_path / "scores.parquet"
    write_scores(country.extracts, target, {ANNEX_2})
    assert {r["annex_code"] for r in pq.read_table(target).to_pylist()} == {ANNEX_2}
