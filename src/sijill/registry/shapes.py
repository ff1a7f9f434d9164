"""What the back office needs of extracts beyond the contract: one household, one place.

The contract only requires a household's score (and a file's status) to be the same on
all its rows. The registers store a household's annex and address, and an AMO file's
household, annex, reason and timestamps, once; rows that disagree cannot be stored
faithfully, so they are refused with the rows named, like any contract error, under the
contract's own rule for rows that must agree (`same within household_id`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from sijill.domain.message import Message
from sijill.engine import FIRST_ROWS, SAME_WITHIN, Problem, Source

HOUSEHOLD_COLUMNS = ("annex_code", "address")
FILE_COLUMNS = (
    "household_id",
    "annex_code",
    "rejection_reason",
    "deposited_at",
    "validated_at",
    "transmitted_at",
    "decided_at",
)


def problems(con: duckdb.DuckDBPyConnection, sources: Mapping[str, Source]) -> list[Problem]:
    found: list[Problem] = []
    for column in HOUSEHOLD_COLUMNS:
        found += _disagreements(con, sources["rsu"], "rsu", "household_id", column)
    for column in FILE_COLUMNS:
        found += _disagreements(con, sources["amo"], "amo", "amo_file_id", column)
    return found


def _disagreements(
    con: duckdb.DuckDBPyConnection, source: Source, view: str, key: str, column: str
) -> list[Problem]:
    # NULL counts as a value of its own: a file with and without a reason disagrees.
    value = f"coalesce(CAST({column} AS VARCHAR), chr(0))"
    groups = f"SELECT {key} FROM {view} GROUP BY {key} HAVING count(DISTINCT {value}) > 1"
    found = con.execute(
        f"SELECT count(*) OVER (), _row FROM {view} WHERE {key} IN ({groups}) "
        f"ORDER BY _row LIMIT {FIRST_ROWS}"
    ).fetchall()
    if not found:
        return []
    (count, _), *_ = found
    return [
        Problem(
            str(source.path),
            column,
            SAME_WITHIN[key],
            count=int(count),
            rows=tuple(int(row) for _, row in found),
            detail=Message(
                "rows of one {key} must agree on {column}", {"key": key, "column": column}
            ),
        )
    ]
