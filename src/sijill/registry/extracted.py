"""What each register table receives from a checked extract set, computed by DuckDB.

One `Register` per stored table: the DuckDB query giving its rows with its layout's columns
in their order (sijill.registry.registers), in no particular row order: sorting tens of
millions of rows would cost memory and time, and the database finds rows by its indexes.
A member names its household, and a beneficiary its AMO file, by natural key; the
database resolves it to the parent's row id (sijill.registry.delta), except when both
tables are filled from empty in the same import: then DuckDB numbers the parents itself
(`numbered`) and gives the children their parent's number, so each goes in in one pass.

Timestamps are the contract's Moroccan local time; the registers store instants. DuckDB
converts them (its ICU time zones), reading a local time of the hour repeated when the
clocks go back as the later of its two instants, as PostgreSQL does: the same on every
backend, and read back to the same local time by the export.

What a household or a file stores once is its first row's (sijill.registry.shapes); CNSS's
decision on each beneficiary comes from the file's status and the row's reason: every
beneficiary of a rejected file is refused; on an accepted file, those with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.utils.translation import gettext_noop

from sijill.registry import registers
from sijill.registry.registers import Layout

_PERSON = ", ".join(registers.PERSON)
_FETCH = 10_000


@dataclass(frozen=True, slots=True)
class Register:
    name: str  # what the report calls it
    layout: Layout
    extract: str  # the contract file it comes from
    select: str  # DuckDB query: the layout's columns, parents by natural key
    parent: Register | None = None
    link: str = ""  # the attname of the foreign key to `parent`

    @property
    def numbered(self) -> str:
        """DuckDB's table of this register's rows with the row ids given to them."""
        return f"numbered_{self.layout.model._meta.model_name}"


def _instant(column: str) -> str:
    zone = str(settings.TIME_ZONE).replace("'", "''")
    return f"timezone('{zone}', {column}) AS {column}"


def _instants(*columns: str) -> str:
    return ", ".join(_instant(column) for column in columns)


PERSONS = Register(
    gettext_noop("rnp"),
    registers.PERSONS,
    "rnp",
    f"SELECT idcs, cin, {_PERSON}, nationality, annex_code, address, "
    f"{_instant('registered_at')}, deceased FROM rnp",
)
HOUSEHOLDS = Register(
    gettext_noop("rsu households"),
    registers.HOUSEHOLDS,
    "rsu",
    "SELECT household_id, first(annex_code ORDER BY _row) AS annex_code, "
    "first(address ORDER BY _row) AS address, any_value(score) AS score "
    "FROM rsu GROUP BY household_id",
)
MEMBERS = Register(
    gettext_noop("rsu members"),
    registers.MEMBERS,
    "rsu",
    f"SELECT member_id, household_id, idcs, relation, {_PERSON}, {_instant('declared_at')} "
    "FROM rsu",
    parent=HOUSEHOLDS,
    link="household_id",
)
_FILE_TIMES = ", ".join(f"first({c} ORDER BY _row) AS {c}" for c in registers.AMO_FILE_TIMES)
AMO_FILES = Register(
    gettext_noop("amo files"),
    registers.AMO_FILES,
    "amo",
    f"SELECT amo_file_id, household_id, annex_code, status, {_instants(*registers.AMO_FILE_TIMES)} "
    "FROM (SELECT amo_file_id, first(household_id ORDER BY _row) AS household_id, "
    "first(annex_code ORDER BY _row) AS annex_code, any_value(status) AS status, "
    f"{_FILE_TIMES} FROM amo GROUP BY amo_file_id)",
)
_DECISION = (
    "CASE WHEN status NOT IN ('accepted', 'rejected') THEN NULL "
    "WHEN status = 'rejected' OR trim(coalesce(rejection_reason, '')) <> '' THEN 'rejected' "
    "ELSE 'accepted' END AS decision"
)
BENEFICIARIES = Register(
    gettext_noop("amo beneficiaries"),
    registers.BENEFICIARIES,
    "amo",
    f"SELECT beneficiary_id, amo_file_id AS file_id, idcs, relation, {_PERSON}, {_DECISION}, "
    "rejection_reason FROM amo",
    parent=AMO_FILES,
    link="file_id",
)
REGISTERS: tuple[Register, ...] = (PERSONS, HOUSEHOLDS, MEMBERS, AMO_FILES, BENEFICIARIES)


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Instants come out in UTC, as the registers store them."""
    con.execute("SET TimeZone = 'UTC'")


def number(con: duckdb.DuckDBPyConnection, register: Register) -> None:
    """Give the rows of a parent filled from empty their row ids, 1, 2, ... by natural key."""
    con.execute(
        f"CREATE OR REPLACE TABLE {register.numbered} AS SELECT "
        f"row_number() OVER (ORDER BY {register.layout.key}) AS id, * FROM ({register.select})"
    )


def rows_query(register: Register, *, numbered: bool, resolved: bool) -> str:
    """The register's rows: with their row ids first when `numbered` (a parent filled from
    empty), with the parent's row id in place of its natural key when `resolved`."""
    if numbered:
        columns = ", ".join(register.layout.columns)
        return f"SELECT id, {columns} FROM {register.numbered}"
    if not resolved or register.parent is None:
        return register.select
    parent = register.parent
    columns = ", ".join(
        f"p.id AS {name}" if name == register.link else f"q.{name}"
        for name in register.layout.columns
    )
    return (
        f"SELECT {columns} FROM ({register.select}) q JOIN {parent.numbered} p "
        f"ON p.{parent.layout.key} = q.{register.link}"
    )


def write_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    """The rows as CSV for PostgreSQL's COPY: NULL an empty field, an empty text `""`."""
    target = str(path).replace("'", "''")
    con.execute(f"COPY ({query}) TO '{target}' (FORMAT csv, HEADER false)")


def batches(con: duckdb.DuckDBPyConnection, query: str) -> Iterator[list[tuple[Any, ...]]]:
    cursor = con.cursor()
    cursor.execute(query)
    while batch := cursor.fetchmany(_FETCH):
        yield batch


def count(con: duckdb.DuckDBPyConnection, register: Register) -> int:
    row = con.execute(f"SELECT count(*) FROM ({register.select})").fetchone()
    return int(row[0]) if row else 0
