"""`sijill import`: contract extracts into the registers, checked first, idempotent.

Nothing is written unless every file passes the contract (sijill.engine.extracts.reading) and the
back office's own shape rules (sijill.registry.shapes). The import then upserts by natural
key in one transaction: a row equal to the stored one is not touched and not audited, so
importing the same files twice changes nothing. Rows absent from the files are kept.

Its audit entries are appended at the end of that transaction, in one step
(sijill.audit.chain.atomic): the audit chain's lock, which every deposit and capture takes,
is held for that step only, never for the whole import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.utils.translation import gettext_noop

from sijill.audit import chain
from sijill.audit.chain import Change, record_many
from sijill.domain.territory import Territory
from sijill.engine import InvalidExtracts, Problem, has_errors, load_extracts
from sijill.registry import registers, shapes
from sijill.registry.models import AmoFile, Household
from sijill.registry.registers import Layout
from sijill.territories.loading import Counts, upsert

BATCH = 1000
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Report:
    counts: dict[str, Counts]
    warnings: list[Problem]


def import_extracts(paths: Mapping[str, Path], actor: str) -> Report:
    """Raises InvalidExtracts (every problem found) or InvalidTerritories; else imports."""
    with duckdb.connect() as con:
        sources, warnings = load_extracts(con, paths)
        refused = shapes.problems(con, sources)
        if has_errors(refused):
            raise InvalidExtracts(refused)
        with chain.atomic():
            counts = _import_all(con, actor)
    return Report(counts, warnings)


def _import_all(con: duckdb.DuckDBPyConnection, actor: str) -> dict[str, Counts]:
    counts = {gettext_noop("territories"): upsert(_territories(con), actor)}
    counts[gettext_noop("rnp")] = _upsert(
        registers.PERSONS, _rows(con, registers.PERSONS, _RNP), actor
    )
    counts[gettext_noop("rsu households")] = _upsert(
        registers.HOUSEHOLDS, _rows(con, registers.HOUSEHOLDS, _HOUSEHOLDS), actor
    )
    households = dict(Household.objects.values_list("household_id", "pk"))
    counts[gettext_noop("rsu members")] = _upsert(
        registers.MEMBERS,
        _rows(con, registers.MEMBERS, _MEMBERS, {"household_id": households.__getitem__}),
        actor,
    )
    counts[gettext_noop("amo files")] = _upsert(
        registers.AMO_FILES, _rows(con, registers.AMO_FILES, _FILES), actor
    )
    files = dict(AmoFile.objects.values_list("amo_file_id", "pk"))
    counts[gettext_noop("amo beneficiaries")] = _upsert(
        registers.BENEFICIARIES,
        _rows(con, registers.BENEFICIARIES, _BENEFICIARIES, {"file_id": files.__getitem__}),
        actor,
    )
    return counts


def _territories(con: duckdb.DuckDBPyConnection) -> list[Territory]:
    rows = con.execute(
        "SELECT code, NULLIF(trim(parent_code), ''), level, name_ar, name_fr FROM territories"
    ).fetchall()
    return [Territory(*row) for row in rows]


_PERSON = "first_name_ar, last_name_ar, first_name_lat, last_name_lat, sex, birth_date"
_RNP = (
    f"SELECT idcs, cin, {_PERSON}, nationality, annex_code, address, registered_at, deceased "
    "FROM rnp ORDER BY idcs"
)
_HOUSEHOLDS = (
    "SELECT household_id, any_value(annex_code), any_value(address), any_value(score) "
    "FROM rsu GROUP BY household_id ORDER BY household_id"
)
_MEMBERS = (
    f"SELECT member_id, household_id, idcs, relation, {_PERSON}, declared_at "
    "FROM rsu ORDER BY member_id"
)
_FILES = (
    "SELECT amo_file_id, any_value(household_id), any_value(annex_code), any_value(status), "
    "any_value(rejection_reason), any_value(deposited_at), any_value(validated_at), "
    "any_value(transmitted_at), any_value(decided_at) "
    "FROM amo GROUP BY amo_file_id ORDER BY amo_file_id"
)
_BENEFICIARIES = (
    f"SELECT beneficiary_id, amo_file_id, idcs, relation, {_PERSON} "
    "FROM amo ORDER BY beneficiary_id"
)


def _rows(
    con: duckdb.DuckDBPyConnection,
    layout: Layout,
    sql: str,
    lookups: Mapping[str, Callable[[Any], Any]] | None = None,
) -> Iterator[list[Row]]:
    """Batches of rows keyed by the layout's columns, timestamps made instants."""
    cursor = con.cursor()
    cursor.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        rows = [dict(zip(layout.columns, values, strict=True)) for values in batch]
        for row in rows:
            for name in layout.timestamps:
                row[name] = registers.stored_instant(row[name])
            for name, lookup in (lookups or {}).items():
                row[name] = lookup(row[name])
        yield rows


def _upsert(layout: Layout, batches: Iterator[list[Row]], actor: str) -> Counts:
    created = updated = unchanged = 0
    for rows in batches:
        keys = [row[layout.key] for row in rows]
        found = layout.model.objects.filter(**{f"{layout.key}__in": keys}).values(*layout.columns)
        existing = {row[layout.key]: row for row in found}
        changed = [row for row in rows if existing.get(row[layout.key]) != row]
        _write(layout, changed)
        record_many(_changes(layout, changed, existing, actor))
        fresh = sum(1 for row in changed if row[layout.key] not in existing)
        created += fresh
        updated += len(changed) - fresh
        unchanged += len(rows) - len(changed)
    return Counts(created, updated, unchanged)


def _write(layout: Layout, rows: Sequence[Row]) -> None:
    if rows:
        layout.model.objects.bulk_create(
            [layout.model(**row) for row in rows],
            update_conflicts=True,
            unique_fields=[layout.key],
            update_fields=[_field_name(layout, name) for name in layout.fields],
        )


def _field_name(layout: Layout, attname: str) -> str:
    # bulk_create names foreign keys by field name (household), rows carry attnames.
    return str(layout.model._meta.get_field(attname).name)


def _changes(
    layout: Layout, rows: Sequence[Row], existing: Mapping[Any, Row], actor: str
) -> Iterator[Change]:
    for row in rows:
        before = existing.get(row[layout.key])
        action = "import_update" if before else "import_create"
        yield Change(actor, action, layout.target, row[layout.key], before, row)
