"""Writing many rows at once: PostgreSQL's COPY, SQLite's bulk inserts.

DuckDB computes each register's rows (sijill.registry.extracted). On PostgreSQL it writes
them as CSV into a private folder and the database reads them through COPY, the fastest way
in; on SQLite they are inserted by batches of prepared statements. Either way the rows go
into a table of the register, or into a staging table that sijill.registry.delta compares
with it.

A register table that is empty at the start of an import is filled directly (`fill`): on
PostgreSQL without its secondary indexes and constraints, rebuilt once the rows are in,
which is several times faster than maintaining them row by row. All of it happens inside
the import's transaction: an import that fails leaves the table and its indexes as they
were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
from django.db import connection
from django.db.models import Model

from sijill.registry import extracted
from sijill.registry.extracted import Register

STAGING = "sijill_import_staging"
_BLOCK = 1 << 20  # bytes sent to COPY at a time
_BATCH = 2000  # rows per SQLite statement batch
# For the index builds and the comparisons of one import (this transaction only).
_MAINTENANCE_MEMORY = "1GB"
_WORK_MEMORY = "256MB"


def quoted(name: str) -> str:
    return str(connection.ops.quote_name(name))


def table(model: type[Model]) -> str:
    return quoted(model._meta.db_table)


def column(model: type[Model], attname: str) -> str:
    return quoted(model._meta.get_field(attname).column)


def postgresql() -> bool:
    return bool(connection.vendor == "postgresql")


def prepare(registers: Sequence[Register]) -> None:
    """Memory for this transaction's sorts and joins, and the register tables locked
    against other writers (readers go on) until it commits: the comparison of the files
    with the registers must not change under it."""
    if not postgresql():
        return  # SQLite's IMMEDIATE transaction already holds the only write lock
    names = ", ".join(table(r.layout.model) for r in registers)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{_MAINTENANCE_MEMORY}'")
        cursor.execute(f"SET LOCAL work_mem = '{_WORK_MEMORY}'")
        cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def is_empty(model: type[Model]) -> bool:
    return not model._default_manager.exists()


# --- rows in -------------------------------------------------------------------------------


def fill(
    con: duckdb.DuckDBPyConnection, register: Register, query: str, work: Path, *, ids: bool
) -> int:
    """Write the query's rows into the register's empty table; `ids`: they carry their
    row ids first. Returns how many."""
    model = register.layout.model
    columns = [*(["id"] if ids else []), *register.layout.columns]
    names = [column(model, name) for name in columns]
    with _without_secondary_indexes(model):
        written = _write(con, query, table(model), names, _converters(model, columns), work)
        if ids:
            _follow_ids(model)
    _analyze(model)
    return written


def stage(con: duckdb.DuckDBPyConnection, register: Register, work: Path) -> int:
    """The register's rows from the files into a fresh staging table (parents by natural
    key); returns how many."""
    model = register.layout.model
    columns = register.layout.columns
    names = [column(model, name) for name in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted(STAGING)}")
        if postgresql():
            typed = ", ".join(
                f"CAST(NULL AS text) AS {n}" if name == register.link else n
                for name, n in zip(columns, names, strict=True)
            )
            cursor.execute(
                f"CREATE TEMP TABLE {quoted(STAGING)} AS SELECT {typed} FROM {table(model)} LIMIT 0"
            )
        else:
            # No declared type: SQLite keeps each value exactly as prepared for the register.
            cursor.execute(f"CREATE TEMP TABLE {quoted(STAGING)} ({', '.join(names)})")
    converters = _converters(model, columns)  # a parent's natural key goes as it is
    written = _write(con, register.select, quoted(STAGING), names, converters, work)
    with connection.cursor() as cursor:
        key = column(model, register.layout.key)
        cursor.execute(f"CREATE INDEX sijill_import_staging_key ON {quoted(STAGING)} ({key})")
        if postgresql():
            cursor.execute(f"ANALYZE {quoted(STAGING)}")
    return written


def drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted(STAGING)}")


def _write(
    con: duckdb.DuckDBPyConnection,
    query: str,
    target: str,
    names: Sequence[str],
    converters: dict[int, Any],
    work: Path,
) -> int:
    if postgresql():
        return _copy(con, query, target, names, work)
    return _insert(con, query, target, names, converters)


def _copy(
    con: duckdb.DuckDBPyConnection, query: str, target: str, names: Sequence[str], work: Path
) -> int:
    path = work / "rows.csv"
    extracted.write_csv(con, query, path)
    try:
        sql = f"COPY {target} ({', '.join(names)}) FROM STDIN (FORMAT csv)"
        with connection.cursor() as cursor:
            with cursor.copy(sql) as copy, path.open("rb") as rows:
                while block := rows.read(_BLOCK):
                    copy.write(block)
            return int(cursor.rowcount)
    finally:
        path.unlink(missing_ok=True)


def _insert(
    con: duckdb.DuckDBPyConnection,
    query: str,
    target: str,
    names: Sequence[str],
    converters: dict[int, Any],
) -> int:
    places = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {target} ({', '.join(names)}) VALUES ({places})"
    written = 0
    with connection.cursor() as cursor:
        for batch in extracted.batches(con, query):
            rows = [_prepared(row, converters) for row in batch]
            for start in range(0, len(rows), _BATCH):
                cursor.executemany(sql, rows[start : start + _BATCH])
            written += len(rows)
    return written


def _converters(model: type[Model], columns: Sequence[str]) -> dict[int, Any]:
    """Per position, the field that prepares a value as the database stores it (the same
    form the ORM writes, so that the comparison with stored rows is exact)."""
    found: dict[int, Any] = {}
    for position, name in enumerate(columns):
        field = model._meta.get_field(name)
        if not field.is_relation and name != "id":
            found[position] = field
    return found


def _prepared(row: tuple[Any, ...], converters: dict[int, Any]) -> tuple[Any, ...]:
    return tuple(
        converters[i].get_db_prep_value(value, connection) if i in converters else value
        for i, value in enumerate(row)
    )


# --- PostgreSQL: indexes rebuilt after a fill ------------------------------------------------


@contextlib.contextmanager
def _without_secondary_indexes(model: type[Model]) -> Iterator[None]:
    """On PostgreSQL, the table's indexes and constraints but its primary key dropped for
    the block and rebuilt after it (unique ones first, foreign keys last)."""
    if not postgresql():
        yield
        return
    name = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(_CONSTRAINTS, [name])
        constraints = [(str(n), str(kind), str(d)) for n, kind, d in cursor.fetchall()]
        cursor.execute(_INDEXES, [name, name])
        indexes = [(str(n), str(d)) for n, d in cursor.fetchall()]
        for constraint, _, _ in constraints:
            cursor.execute(f"ALTER TABLE {table(model)} DROP CONSTRAINT {quoted(constraint)}")
        for index, _ in indexes:
            cursor.execute(f"DROP INDEX {quoted(index)}")
    yield
    with connection.cursor() as cursor:
        for constraint, _, definition in sorted(constraints, key=lambda c: c[1] == "f"):
            cursor.execute(
                f"ALTER TABLE {table(model)} ADD CONSTRAINT {quoted(constraint)} {definition}"
            )
        for _, definition in indexes:
            cursor.execute(definition)


_CONSTRAINTS = """
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY conname
"""
_INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS (
    SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = %s::regclass
) ORDER BY c.relname
"""


def _follow_ids(model: type[Model]) -> None:
    """After rows were written with their ids, new rows get the next ones."""
    if not postgresql():
        return  # SQLite's AUTOINCREMENT already follows the largest id written
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce(max(id), 1), "
            f"max(id) IS NOT NULL) FROM {table(model)}",
            [table(model)],
        )


def _analyze(model: type[Model]) -> None:
    """The planner learns the new size at once (look-ups must use the rebuilt indexes)."""
    if postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table(model)}")
