"""The threshold what-if: who would become eligible to AMO Tadamon, or stop being eligible,
if the threshold moved, from a run's RSU scores.

A household is eligible when its score is at most the threshold (the contract). Moving the
threshold from `current` to `proposed` changes exactly the households whose score lies
between the two: above `current` and at most `proposed` when it rises (they become
eligible), above `proposed` and at most `current` when it falls (they stop being).

At import, the run's scores are written once (`scores.parquet`), aggregated per annex and
distinct score and sorted by score: a household count, the RSU rows (persons) counted the
way the funnel counts `eligible_households` and `eligible_persons` — households by their
household's annex, persons by their own row's — and how many of those hold an AMO file (a
file of any status but rejected declares the household). A what-if then reads only the row
groups between the two thresholds (their min/max statistics skip the rest) and sums them
per annex: exact counts, whatever the threshold, without the households themselves.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sijill.engine.database import connect
from sijill.engine.extracts.sources import sql_string
from sijill.engine.persons import ROW_GROUP, open_extracts
from sijill.engine.readers import reader

SCORES = "scores.parquet"
COUNTS = ("households", "persons", "held_households", "held_persons")


@dataclass(frozen=True, slots=True)
class Shift:
    """The households and persons of one annex whose score lies between two thresholds, and
    how many of each hold an AMO file."""

    households: int = 0
    persons: int = 0
    held_households: int = 0
    held_persons: int = 0

    def __add__(self, other: Shift) -> Shift:
        return Shift(*(getattr(self, c) + getattr(other, c) for c in COUNTS))


def _scores_select(annexes: Collection[str] | None) -> str:
    within = "" if annexes is None else " AND code IN (SELECT unnest($annexes))"
    return f"""
        WITH annex AS (SELECT code FROM territories WHERE level = 'annex'{within}),
        held AS (SELECT DISTINCT household_id FROM amo WHERE status <> 'rejected'),
        hh AS (SELECT household_id, min_by(annex_code, _row) AS annex_code,
                      max(score) AS score
               FROM rsu GROUP BY household_id),
        hs AS (SELECT h.annex_code, h.score, count(*) AS households,
                      count(held.household_id) AS held_households
               FROM hh h LEFT JOIN held USING (household_id)
               WHERE h.annex_code IN (SELECT code FROM annex) GROUP BY ALL),
        ps AS (SELECT r.annex_code, r.score, count(*) AS persons,
                      count(held.household_id) AS held_persons
               FROM rsu r LEFT JOIN held USING (household_id)
               WHERE r.annex_code IN (SELECT code FROM annex) GROUP BY ALL)
        SELECT coalesce(hs.annex_code, ps.annex_code) AS annex_code,
               coalesce(hs.score, ps.score) AS score,
               coalesce(hs.households, 0)::BIGINT AS households,
               coalesce(ps.persons, 0)::BIGINT AS persons,
               coalesce(hs.held_households, 0)::BIGINT AS held_households,
               coalesce(ps.held_persons, 0)::BIGINT AS held_persons
        FROM hs FULL OUTER JOIN ps ON hs.annex_code = ps.annex_code AND hs.score = ps.score"""


def write_scores(
    extracts: Mapping[str, Path], target: Path, annexes: Collection[str] | None = None
) -> int:
    """Write the run's scores per annex (only `annexes` when given) to `target`; returns its
    rows. ValueError when an extract cannot be read."""
    work = target.with_name(f".{target.name}.partial")
    params = {} if annexes is None else {"annexes": sorted(annexes)}
    spill = target.with_name(".scores.spill")
    try:
        with connect(spill) as con:
            open_extracts(con, extracts, ("territories", "rsu", "amo"))
            con.execute(
                f"""COPY ({_scores_select(annexes)} ORDER BY score, annex_code)
                    TO {sql_string(str(work))}
                    (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP})""",
                params,
            )
            found = con.execute(f"SELECT count(*) FROM read_parquet({sql_string(str(work))})")
            rows = found.fetchone()
    except duckdb.Error as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    work.replace(target)
    return int(rows[0]) if rows else 0


def shifts(path: Path, current: float, proposed: float) -> dict[str, Shift]:
    """Per annex, those whose eligibility changes when the threshold moves from `current`
    to `proposed` (become eligible when it rises, stop being when it falls)."""
    low, high = sorted((current, proposed))
    if low == high:
        return {}
    sums = ", ".join(f"sum({c})::BIGINT" for c in COUNTS)
    with reader() as con:
        rows = con.execute(
            f"SELECT annex_code, {sums} FROM read_parquet({sql_string(str(path))}) "
            "WHERE score > ? AND score <= ? GROUP BY annex_code",
            [low, high],
        ).fetchall()
    return {str(code): Shift(*map(int, counts)) for code, *counts in rows}


def score_range(path: Path) -> tuple[float, float] | None:
    """The lowest and highest score of the run (None without a household)."""
    with reader() as con:
        found = con.execute(
            f"SELECT min(score), max(score) FROM read_parquet({sql_string(str(path))})"
        ).fetchone()
    if not found or found[0] is None:
        return None
    return float(found[0]), float(found[1])
