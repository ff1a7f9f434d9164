"""The findings of one annex, read from a run's findings sorted by annex (`figures`).

A national run has tens of millions of findings; one annex has a few hundred to a few
thousand. They are not copied into the database: DuckDB reads the row groups whose
min/max statistics may hold the annex (benchmarks/dashboard_render.py measures it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from sijill.domain.contract import DETAIL_COLUMNS, FINDING_COLUMNS, FINDING_KINDS
from sijill.engine.extracts.sources import sql_string

PAGE = 100


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    source: str
    row_id: str | None
    idcs: str | None
    household_id: str | None
    amo_file_id: str | None
    annex_code: str
    detail: str  # the contract's English
    detail_id: str | None = None  # the detail as a message id and its parameters (JSON),
    detail_params: str | None = None  # None in runs written before they existed


def _where(annex: str, kind: str | None) -> tuple[str, list[Any]]:
    if kind:
        return "annex_code = ? AND kind = ?", [annex, kind]
    return "annex_code = ?", [annex]


def findings_of_annex(
    path: Path, annex: str, kind: str | None = None, limit: int | None = PAGE, offset: int = 0
) -> list[Finding]:
    """The annex's findings (of one kind, or all), ordered by kind then row."""
    where, args = _where(annex, kind if kind in FINDING_KINDS else None)
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    source = f"read_parquet({sql_string(str(path))})"
    with duckdb.connect() as con:
        found = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        said = [c if c in found else "NULL" for c in DETAIL_COLUMNS]
        query = (
            f"SELECT {', '.join((*FINDING_COLUMNS, *said))} FROM {source} "
            f"WHERE {where} ORDER BY kind, source, row_id, amo_file_id, idcs{page}"
        )
        rows = con.execute(query, args).fetchall()
    return [Finding(*row) for row in rows]
