"""What the back office stores once where the contract has a value per row.

The registers keep a household's annex and address, and an AMO file's household, annex and
timestamps, once. The contract lets the rows of one household or file disagree on them
(`sijill validate` warns about the annex and the file's columns, and accepts the set), so
`sijill import` accepts them too: it keeps the first row's value, as the reconciliation
does, and says so. The contract warns about every such column but the household's address,
which is reported here, as a warning under the same rule (`same within household_id`).

The reason CNSS gives is per beneficiary (contract v1.1): each row keeps its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from sijill.domain.message import Message
from sijill.engine import FIRST_ROWS, SAME_WITHIN, Problem, Source

WARNING = "warning"  # the engine's severity of a problem that does not stop anything
# Stored once per household, with no warning of the contract's own.
HOUSEHOLD_COLUMNS = ("address",)


def problems(con: duckdb.DuckDBPyConnection, sources: Mapping[str, Source]) -> list[Problem]:
    found: list[Problem] = []
    for column in HOUSEHOLD_COLUMNS:
        found += _disagreements(con, sources["rsu"], "rsu", "household_id", column)
    return found


def _disagreements(
    con: duckdb.DuckDBPyConnection, source: Source, view: str, key: str, column: str
) -> list[Problem]:
    # NULL counts as a value of its own.
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
            detail=Message("differs between rows of one {key}", {"key": key}),
            severity=WARNING,
        )
    ]
