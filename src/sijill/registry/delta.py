"""Bringing a register table to the rows of its staging table, touching only what differs.

The comparison runs in the database, in a few statements, whatever the size: rows whose
natural key is new are added; rows whose stored values differ from the files' are changed;
with `remove`, rows the files no longer hold are removed. Rows equal to the stored ones are
neither written nor audited, so importing the same files twice changes nothing.

Each changed or removed row is audited with what it held before and holds after (its
previous state leaves the register: the log keeps it, pseudonymized). Rows added are
audited once per import and register by sijill.registry.imports, with the file they came
from, rather than one entry each: a national load adds tens of millions of rows, which the
register itself holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from sijill.audit.chain import Change, record_many
from sijill.registry.bulkload import STAGING, column, postgresql, quoted, table
from sijill.registry.extracted import Register

CHANGED = "sijill_import_changed"
REMOVED = "sijill_import_removed"
_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def touched(self) -> int:
        return self.created + self.updated + self.removed


def merge(register: Register, staged: int, actor: str, *, remove: bool) -> Counts:
    """Apply the staging table to the register (sijill.registry.bulkload.stage)."""
    source = _resolved(register)
    updated = _update(register, source, actor)
    removed = _remove(register, actor) if remove else 0
    created = _add(register, source)
    return Counts(created, updated, staged - created - updated, removed)


def _resolved(register: Register) -> str:
    """The staged rows as the register stores them: a parent's natural key made its row id."""
    model = register.layout.model
    names = [column(model, name) for name in register.layout.columns]
    if register.parent is None:
        return f"SELECT {', '.join(names)} FROM {quoted(STAGING)}"
    parent = register.parent.layout
    link = column(model, register.link)
    picked = ", ".join(f"p.id AS {n}" if n == link else f"s.{n}" for n in names)
    return (
        f"SELECT {picked} FROM {quoted(STAGING)} s JOIN {table(parent.model)} p "
        f"ON p.{column(parent.model, parent.key)} = s.{link}"
    )


def _differs(names: Sequence[str]) -> str:
    operator = "IS DISTINCT FROM" if postgresql() else "IS NOT"
    return " OR ".join(f"t.{n} {operator} r.{n}" for n in names)


def _update(register: Register, source: str, actor: str) -> int:
    model = register.layout.model
    key = column(model, register.layout.key)
    fields = [column(model, name) for name in register.layout.fields]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted(CHANGED)}")
        cursor.execute(
            f"CREATE TEMP TABLE {quoted(CHANGED)} AS SELECT t.id AS row_id, r.* "
            f"FROM {table(model)} t JOIN ({source}) r ON r.{key} = t.{key} "
            f"WHERE {_differs(fields)}"
        )
        cursor.execute(f"CREATE INDEX sijill_import_changed_row ON {quoted(CHANGED)} (row_id)")
    assignments = ", ".join(f"{n} = c.{n}" for n in fields)
    sql = (
        f"UPDATE {table(model)} SET {assignments} FROM {quoted(CHANGED)} c "
        f"WHERE {table(model)}.id = c.row_id AND c.row_id IN ({{ids}})"
    )
    updated = 0
    for ids in _chunks(CHANGED):
        before = _values(register, ids)
        _execute(sql, ids)
        after = _values(register, ids)
        record_many(_changes(register, actor, "import_update", ids, before, after))
        updated += len(ids)
    _drop(CHANGED)
    return updated


def _remove(register: Register, actor: str) -> int:
    model = register.layout.model
    key = column(model, register.layout.key)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted(REMOVED)}")
        cursor.execute(
            f"CREATE TEMP TABLE {quoted(REMOVED)} AS SELECT t.id AS row_id FROM {table(model)} t "
            f"WHERE NOT EXISTS (SELECT 1 FROM {quoted(STAGING)} s WHERE s.{key} = t.{key})"
        )
        cursor.execute(f"CREATE INDEX sijill_import_removed_row ON {quoted(REMOVED)} (row_id)")
    removed = 0
    for ids in _chunks(REMOVED):
        before = _values(register, ids)
        _execute(f"DELETE FROM {table(model)} WHERE id IN ({{ids}})", ids)
        record_many(_changes(register, actor, "import_remove", ids, before, {}))
        removed += len(ids)
    _drop(REMOVED)
    return removed


def _add(register: Register, source: str) -> int:
    model = register.layout.model
    key = column(model, register.layout.key)
    names = ", ".join(column(model, name) for name in register.layout.columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(model)} ({names}) SELECT {names} FROM ({source}) r "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table(model)} t WHERE t.{key} = r.{key}) "
            f"ORDER BY r.{key}"
        )
        return max(int(cursor.rowcount), 0)


def _chunks(name: str) -> Iterator[list[int]]:
    """The row ids listed in a work table, in order, a chunk at a time."""
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT row_id FROM {quoted(name)} WHERE row_id > %s ORDER BY row_id LIMIT %s",
                [last, _CHUNK],
            )
            ids = [int(row[0]) for row in cursor.fetchall()]
        if not ids:
            return
        yield ids
        last = ids[-1]


def _execute(sql: str, ids: Sequence[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), list(ids))


def _drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted(name)}")


def _values(register: Register, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The rows as the ORM reads them (the audit's before and after)."""
    layout = register.layout
    found = layout.model._default_manager.filter(pk__in=ids).values("pk", *layout.columns)
    return {int(row.pop("pk")): row for row in found}


def _changes(
    register: Register,
    actor: str,
    action: str,
    ids: Sequence[int],
    before: dict[int, dict[str, Any]],
    after: dict[int, dict[str, Any]],
) -> Iterator[Change]:
    layout = register.layout
    for row_id in ids:
        old = before[row_id]
        yield Change(actor, action, layout.target, old[layout.key], old, after.get(row_id))
