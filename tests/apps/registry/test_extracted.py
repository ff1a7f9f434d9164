"""sijill.registry.extracted: the registers' rows computed from the extracts by DuckDB.

Timestamps are Moroccan local time in the contract and instants in the registers. On
2024-03-10 the clocks went back from 03:00 to 02:00: 02:30 happened twice. DuckDB reads it
as the later instant, as PostgreSQL does, and the export gives back the same local time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from sijill.registry import extracted
from sijill.registry.exports import export_registers
from sijill.registry.imports import import_extracts
from sijill.registry.registers import exchanged_local
from tests.extract_files import valid_rows, write_set

REPEATED = dt.datetime(2024, 3, 10, 2, 30)  # local time, twice that night
SKIPPED = dt.datetime(2024, 4, 14, 2, 30)  # local time that never happened (03:00 came first)


def _registered_at(local: dt.datetime) -> dt.datetime:
    with duckdb.connect() as con:
        extracted.prepare(con)
        con.execute("CREATE TABLE people (registered_at TIMESTAMP)")
        con.execute("INSERT INTO people VALUES (?)", [local])
        row = con.execute(f"SELECT {extracted._instant('registered_at')} FROM people").fetchone()
        assert row is not None
        instant: dt.datetime = row[0]
        return instant


def test_a_local_time_of_the_repeated_hour_is_its_later_instant() -> None:
    instant = _registered_at(REPEATED)
    assert instant == dt.datetime(2024, 3, 10, 2, 30, tzinfo=dt.UTC)
    assert exchanged_local(instant) == REPEATED


def test_ordinary_and_skipped_local_times_take_the_offset_in_force_before() -> None:
    assert _registered_at(dt.datetime(2024, 1, 5, 9)) == dt.datetime(2024, 1, 5, 8, tzinfo=dt.UTC)
    assert _registered_at(SKIPPED) == dt.datetime(2024, 4, 14, 2, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_repeated_hour_comes_back_from_the_registers_as_it_went_in(tmp_path: Path) -> None:
    rows = valid_rows()
    rows["rnp"][0]["registered_at"] = REPEATED
    import_extracts(write_set(tmp_path / "in", rows=rows), actor="test")
    export_registers(tmp_path / "out")
    with duckdb.connect() as con:
        found = con.execute(
            "SELECT registered_at FROM read_parquet(?) WHERE idcs = ?",
            [str(tmp_path / "out" / "rnp.parquet"), rows["rnp"][0]["idcs"]],
        ).fetchone()
    assert found == (REPEATED,)
    again = import_extracts(write_set(tmp_path / "in", rows=rows), actor="test")
    assert again.counts["rnp"].touched == 0
