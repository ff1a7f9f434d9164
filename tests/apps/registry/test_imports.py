"""sijill.registry.imports and exports on a synthetic country: the shapes real extracts have.

A small country from the generator carries every irregularity the engine looks for
(unknown annexes, wrong identifiers, split households, stale files); the registers must
take it as it is, give it back unchanged, and import it twice without a change.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sijill.audit.models import Entry
from sijill.registry.exports import export_registers
from sijill.registry.imports import import_extracts
from sijill.registry.models import Member, Person
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

pytestmark = pytest.mark.django_db
NAMES = ("territories", "rnp", "rsu", "amo")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("country") / "synth"
    generate(SynthConfig(persons=1200, seed=7), out, "parquet", lambda done: None)
    return {name: out / f"{name}.parquet" for name in NAMES}


def _rows(path: Path) -> list[tuple[object, ...]]:
    with duckdb.connect() as con:
        return con.execute(f"SELECT * FROM read_parquet('{path}') ORDER BY ALL").fetchall()


def test_a_synthetic_country_imports_and_exports_unchanged(
    country: dict[str, Path], tmp_path: Path
) -> None:
    report = import_extracts(country, actor="test")
    assert report.counts["rnp"].created == Person.objects.count() > 1000
    assert report.counts["rsu members"].created == Member.objects.count()
    assert any(w.rule == "annex exists" for w in report.warnings)
    export_registers(tmp_path)
    for name in NAMES:
        assert _rows(tmp_path / f"{name}.parquet") == _rows(country[name]), name


def test_a_second_import_of_the_country_changes_nothing(country: dict[str, Path]) -> None:
    import_extracts(country, actor="test")
    entries = Entry.objects.count()
    report = import_extracts(country, actor="test")
    assert all(c.created == c.updated == 0 for c in report.counts.values())
    assert Entry.objects.count() == entries
