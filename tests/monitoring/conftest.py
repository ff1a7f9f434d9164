"""A reconciliation of tests.extract_files' small country, imported into the monitoring app.

The engine runs for real on the country (once per session); its empty `links` output is
replaced by hand-built rows in the contract's schema, as linkage would write them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sijill.engine.params import Parameters
from tests.conftest import Staff
from tests.extract_files import COUNTRY_AS_OF, Rows, country_rows, write_set

if TYPE_CHECKING:
    from sijill.accounts.models import User
    from sijill.runs.models import Run

LINKS = pa.table(
    {
        "source": ["rsu", "rsu", "amo", "rsu"],
        "row_id": ["M04", "M07", "B03", "M10"],
        "row_idcs": [None, "0000000000", None, None],
        "candidate_idcs": ["0012345686", "0400000015", "0098765432", "0300000014"],
        "match_probability": [0.93, 0.97, 0.88, 0.51],
    },
    schema=pa.schema(
        [
            ("source", pa.string()),
            ("row_id", pa.string()),
            ("row_idcs", pa.string()),
            ("candidate_idcs", pa.string()),
            ("match_probability", pa.float64()),
        ]
    ),
)


@dataclass(frozen=True)
class Reconciled:
    out: Path
    extracts: Mapping[str, Path]


def reconciled(folder: Path, rows: Mapping[str, Rows]) -> Reconciled:
    from sijill.engine.reconciliation.pipeline import reconcile

    # Linkage is left out: its rows are the hand-built LINKS below.
    out = folder / "out"
    reconcile(
        write_set(folder / "in", "csv", rows), Parameters(COUNTRY_AS_OF), out, with_links=False
    )
    pq.write_table(LINKS, out / "links.parquet")
    return Reconciled(out, {n: folder / "in" / f"{n}.csv" for n in ("territories", "amo")})


@pytest.fixture(autouse=True)
def _runs_folder(settings: Any, tmp_path: Path) -> None:
    """Each test's runs work in a folder of its own."""
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(scope="session")
def country(tmp_path_factory: pytest.TempPathFactory) -> Reconciled:
    return reconciled(tmp_path_factory.mktemp("country"), country_rows())


def load_wide_territories() -> None:
    """The back office's territories: the reference plus the country's whole tree."""
    from sijill.domain.territory import Territory
    from sijill.territories.loading import upsert
    from tests.extract_files import wide_territories_rows

    upsert(
        [
            Territory(
                code=str(r["code"]),
                parent_code=str(r["parent_code"]) if r["parent_code"] else None,
                level=str(r["level"]),
                name_ar=str(r["name_ar"]),
                name_fr=str(r["name_fr"]),
            )
            for r in wide_territories_rows()
        ],
        actor="test",
    )


def import_country(found: Reconciled) -> Run:
    from sijill.runs.lifecycle import from_directory

    return from_directory(found.out, found.extracts, actor="test")


@pytest.fixture
def monitored(people: Staff, country: Reconciled) -> Run:
    """The country's run, imported; the back office knows every territory of it."""
    load_wide_territories()
    return import_country(country)


@pytest.fixture
def admin(people: Staff) -> User:
    from tests.web.backoffice import staff

    return staff("admin", "admin", None)


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """A transactional test whose audit log can be flushed at the end: SQLite's flush
    deletes row by row, which the log's append-only triggers refuse; they are lifted for it,
    as tests/browser does."""
    yield
    import importlib

    from django.db import connection

    from sijill.audit.models import Entry

    triggers = importlib.import_module("sijill.audit.migrations.0002_append_only")
    with connection.schema_editor() as editor:
        triggers.backwards(None, editor)
        Entry.objects.all().delete()
        triggers.forwards(None, editor)
