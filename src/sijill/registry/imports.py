"""`sijill import`: contract extracts into the registers, checked first, all or nothing,
idempotent.

Nothing is written unless every file passes the contract (sijill.engine.extracts.reading):
whatever `sijill validate` accepts is imported. Where the registers store once what the
contract gives per row (a household's annex and address, a file's household, annex and
timestamps), the first row's value is kept, with a warning (sijill.registry.shapes); CNSS's
decision and reason are kept per beneficiary.

Then, in one transaction, each register table is brought to the files: an empty table is
filled in one pass (sijill.registry.bulkload: COPY on PostgreSQL, bulk inserts on SQLite);
otherwise the files' rows are staged and compared in the database (sijill.registry.delta):
new rows are added, differing rows changed, equal rows left alone, so importing the same
files twice changes nothing. Rows absent from the files are kept, unless `delta`: then the
files are the registers' complete extracts and the rows they no longer hold are removed.
Territories are loaded as before (sijill.territories.loading) and never removed: staff
accounts and runs refer to them.

The audit log gets one entry per changed or removed row (before and after), and one per
register that changed, naming the file (its SHA-256), the actor and the counts, which
stands for the rows the import added. They are appended at the end of the transaction, in
one step (sijill.audit.chain.atomic): the audit chain's lock, which every deposit and
capture takes, is held for that step only, never for the whole import.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.utils.translation import gettext_noop

from sijill.audit import chain
from sijill.audit.chain import Change, record
from sijill.domain.territory import Territory
from sijill.engine import Problem, load_extracts
from sijill.registry import bulkload, delta, extracted, shapes
from sijill.registry.delta import Counts
from sijill.registry.extracted import REGISTERS, Register
from sijill.territories.loading import upsert

__all__ = ["Counts", "Report", "import_extracts"]
_HASH_BLOCK = 1 << 22


@dataclass(frozen=True, slots=True)
class Report:
    counts: dict[str, Counts]
    warnings: list[Problem]


def import_extracts(paths: Mapping[str, Path], actor: str, *, delta: bool = False) -> Report:
    """Raises InvalidExtracts (every problem found) or InvalidTerritories; else imports.
    `delta`: also remove the rows the files no longer hold."""
    with duckdb.connect() as con:
        sources, warnings = load_extracts(con, paths)
        warnings = [*warnings, *shapes.problems(con, sources)]
        extracted.prepare(con)
        with tempfile.TemporaryDirectory(prefix="sijill-import-") as work, chain.atomic():
            counts = _import_all(con, Path(work), paths, actor, remove=delta)
    return Report(counts, warnings)


def _import_all(
    con: duckdb.DuckDBPyConnection,
    work: Path,
    paths: Mapping[str, Path],
    actor: str,
    *,
    remove: bool,
) -> dict[str, Counts]:
    territories = upsert(_territories(con), actor)
    counts = {
        gettext_noop("territories"): Counts(
            territories.created, territories.updated, territories.unchanged
        )
    }
    bulkload.prepare(REGISTERS)
    filled: set[str] = set()
    digests: dict[str, str] = {}
    for register in REGISTERS:
        found = _load(con, work, register, filled, actor, remove=remove)
        if found.touched:
            if register.extract not in digests:
                digests[register.extract] = _sha256(paths[register.extract])
            record(_summary(register, found, digests[register.extract], actor, remove=remove))
        counts[register.name] = found
    return counts


def _territories(con: duckdb.DuckDBPyConnection) -> list[Territory]:
    rows = con.execute(
        "SELECT code, NULLIF(trim(parent_code), ''), level, name_ar, name_fr FROM territories"
    ).fetchall()
    return [Territory(*row) for row in rows]


def _load(
    con: duckdb.DuckDBPyConnection,
    work: Path,
    register: Register,
    filled: set[str],
    actor: str,
    *,
    remove: bool,
) -> Counts:
    """One register table: filled when empty (and its parent filled too), else merged."""
    parent_filled = register.parent is None or register.parent.name in filled
    if parent_filled and bulkload.is_empty(register.layout.model):
        parent = any(r.parent is register for r in REGISTERS)
        if parent:
            extracted.number(con, register)
        query = extracted.rows_query(register, numbered=parent, resolved=True)
        created = bulkload.fill(con, register, query, work, ids=parent)
        filled.add(register.name)
        return Counts(created=created)
    staged = bulkload.stage(con, register, work)
    counts = delta.merge(register, staged, actor, remove=remove)
    bulkload.drop_staging()  # on failure, the rollback drops it
    return counts


def _summary(
    register: Register, counts: Counts, digest: str, actor: str, *, remove: bool
) -> Change:
    """What the import did to a register, with the file its rows came from."""
    return Change(
        actor,
        "import_delta" if remove else "import",
        register.layout.target,
        register.extract,
        None,
        {
            "extract": register.extract,
            "sha256": digest,
            "added": counts.created,
            "changed": counts.updated,
            "removed": counts.removed,
            "unchanged": counts.unchanged,
        },
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while block := data.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()
