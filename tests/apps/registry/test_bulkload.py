"""sijill.registry.bulkload: empty register tables filled in one pass, indexes rebuilt.

On PostgreSQL a fill drops the table's secondary indexes and constraints and rebuilds them
once the rows are in; these tests check that the schema comes back exactly, that it comes
back too when the import fails, and that rows written with their ids leave the next ids
free. On SQLite nothing is dropped: the same checks hold trivially, and run all the same.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from sijill.registry import bulkload, extracted
from sijill.registry.imports import import_extracts
from sijill.registry.models import AmoFile, Household, Member, Person
from tests.extract_files import write_set

pytestmark = pytest.mark.django_db
TABLES = [r.layout.model._meta.db_table for r in extracted.REGISTERS]


def _schema() -> list[tuple[str, ...]]:
    """Every index and constraint of the register tables, with its definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
                "UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE tablename = ANY(%s) ORDER BY 1, 2, 3",
                [TABLES, TABLES],
            )
        else:
            places = ", ".join(["%s"] * len(TABLES))
            cursor.execute(
                f"SELECT tbl_name, name, coalesce(sql, '') FROM sqlite_master "
                f"WHERE tbl_name IN ({places}) ORDER BY 1, 2",
                TABLES,
            )
        return [tuple(str(v) for v in row) for row in cursor.fetchall()]


def test_a_fill_gives_back_every_index_and_constraint(tmp_path: Path) -> None:
    schema = _schema()
    assert len(schema) > 10
    import_extracts(write_set(tmp_path), actor="test")
    assert Person.objects.count() == 5
    assert _schema() == schema


def test_a_failed_fill_gives_back_every_index_and_constraint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = _schema()
    copy = bulkload._write

    def breaks_after_the_rows(*args: object) -> int:
        copy(*args)  # type: ignore[arg-type]
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulkload, "_write", breaks_after_the_rows)
    with pytest.raises(RuntimeError):
        import_extracts(write_set(tmp_path), actor="test")
    assert _schema() == schema and not Person.objects.exists()


def test_rows_written_with_their_ids_leave_the_next_ids_free(tmp_path: Path) -> None:
    """Households and AMO files are numbered by the import so that their members and
    beneficiaries go in in one pass; a row the back office adds next gets a new id."""
    import_extracts(write_set(tmp_path), actor="test")
    ids = sorted(Household.objects.values_list("pk", flat=True))
    assert ids == [1, 2, 3]
    added = Household.objects.create(household_id="H999", annex_code="A", address="x", score=1)
    assert added.pk == 4
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    file = AmoFile.objects.create(
        amo_file_id="F999", household_id="H999", annex_code="A", status="validated",
        deposited_at=now,
    )  # fmt: skip
    assert file.pk > max(AmoFile.objects.exclude(pk=file.pk).values_list("pk", flat=True))


def test_members_are_linked_to_their_households_by_natural_key(tmp_path: Path) -> None:
    import_extracts(write_set(tmp_path), actor="test")
    linked = {m.member_id: m.household.household_id for m in Member.objects.all()}
    assert linked == {"M001": "H001", "M002": "H001", "M003": "H001", "M004": "H002",
                      "M005": "H003"}  # fmt: skip


def test_a_register_whose_parent_is_not_empty_is_staged_not_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members of households already stored cannot be numbered by DuckDB: they go through
    the staging table and the database resolves their households."""
    import_extracts(write_set(tmp_path), actor="test")
    Member.objects.all().delete()
    filled: list[str] = []
    fill = bulkload.fill

    def noted(con: object, register: extracted.Register, *args: object, **kw: bool) -> int:
        filled.append(register.name)
        return fill(con, register, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(bulkload, "fill", noted)
    report = import_extracts(write_set(tmp_path / "again"), actor="test")
    assert filled == [] and report.counts["rsu members"].created == 5
    assert Member.objects.get(member_id="M004").household.household_id == "H002"
