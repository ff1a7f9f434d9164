"""Read a set of extracts into DuckDB, check them against the contract, expose typed views.

`read_extracts` reports every problem it can find in one go (a data manager fixes a file
once, not once per run); `load_extracts` refuses input with any error and otherwise leaves
one typed view per extract (`territories`, `rnp`, `rsu`, `amo`) for the engine to query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sijill.domain.contract import EXTRACTS
from sijill.domain.message import Message
from sijill.domain.vocabulary import words as _  # marks a rule's code for the catalogues
from sijill.engine.backends import Connection
from sijill.engine.extracts import checks
from sijill.engine.extracts.parsing import accepts, quote, typed
from sijill.engine.extracts.problems import WARNING, InvalidExtracts, Problem, has_errors
from sijill.engine.extracts.sources import Source, open_source
from sijill.engine.locations import Location, location

INPUT_ORDER = ("territories", "rnp", "rsu", "amo")
_EXPECTED_PARENT = (
    "CASE r.level WHEN 'province' THEN 'region' WHEN 'commune' THEN 'province' "
    "WHEN 'annex' THEN 'commune' END"
)


def _territory_problems(con: Connection, src: Source) -> list[Problem]:
    # An empty parent_code is no parent, in Parquet as in CSV.
    rel = f"(SELECT * REPLACE (NULLIF(trim(parent_code), '') AS parent_code) FROM {src.relation})"
    codes = f"(SELECT code FROM {rel} WHERE code IS NOT NULL)"
    known_level = "r.level IN ('region', 'province', 'commune', 'annex')"
    return [
        *checks.offending(
            con,
            src,
            "parent_code",
            _("parent exists"),
            f"r.parent_code IS NOT NULL AND r.parent_code NOT IN {codes}",
            Message("parent_code is not the code of any territory"),
            relation=rel,
        ),
        *checks.offending(
            con,
            src,
            "parent_code",
            _("region has no parent"),
            "r.level = 'region' AND r.parent_code IS NOT NULL",
            Message("a region must have an empty parent_code"),
            relation=rel,
        ),
        *checks.offending(
            con,
            src,
            "parent_code",
            _("parent required"),
            f"{known_level} AND r.level <> 'region' AND r.parent_code IS NULL",
            Message("only a region may have an empty parent_code"),
            relation=rel,
        ),
        *checks.offending(
            con,
            src,
            "parent_code",
            _("parent level"),
            f"EXISTS (SELECT 1 FROM {rel} p WHERE p.code = r.parent_code "
            f"AND p.level IS DISTINCT FROM {_EXPECTED_PARENT})",
            Message("annex → commune → province → region"),
            relation=rel,
        ),
    ]


def annex_rules(territories: Source) -> list[checks.RowRule]:
    """The rules on an extract's annex_code against the territories.

    Written as (NOT) EXISTS, not NOT IN: an engine must treat `x NOT IN (subquery)` as
    null-aware, which Spark does by testing every row against every territory (a nested
    loop: 55 s of 1M persons' validation, docs/spark.md); EXISTS is a hash join on both.
    The subqueries read `code` alone, so annex_code is always the outer row's."""
    rel = territories.relation
    return [
        checks.RowRule(
            "annex_code",
            _("annex exists"),
            f"annex_code IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM (SELECT code FROM {rel}) t WHERE t.code = annex_code)",
            Message("unknown annex: these rows become UNKNOWN_TERRITORY findings"),
            WARNING,
        ),
        checks.RowRule(
            "annex_code",
            _("annex level"),
            f"EXISTS (SELECT 1 FROM (SELECT code FROM {rel} WHERE level <> 'annex') t "
            f"WHERE t.code = annex_code)",
            Message("names a territory that is not an annex"),
        ),
    ]


def _annex_problems(con: Connection, src: Source, territories: Source) -> list[Problem]:
    rules = annex_rules(territories)
    # A few thousand annexes for millions of rows: always checked per distinct code.
    return checks.grouped_problems(con, src, "annex_code", rules)


def _check(con: Connection, src: Source) -> list[Problem]:
    found = checks.structure_problems(src) + checks.value_problems(con, src)
    return found + checks.set_problems(con, src)


def extracts_in(folder: Path) -> dict[str, Path]:
    """The contract's extracts found in a folder, by name: `rnp.parquet` or `rnp.csv`...

    Parquet wins when both are there: it keeps its own types."""
    found: dict[str, Path] = {}
    for name in INPUT_ORDER:
        for ext in ("csv", "parquet"):
            if (folder / f"{name}.{ext}").exists():
                found[name] = folder / f"{name}.{ext}"
    return found


def read_extracts(
    con: Connection, paths: Mapping[str, Location]
) -> tuple[dict[str, Source], list[Problem]]:
    """Open and check every given extract; returns the readable sources and all problems."""
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for name in INPUT_ORDER:
        if name not in paths:
            continue
        opened = open_source(con, EXTRACTS[name], location(paths[name]))
        if isinstance(opened, Problem):
            problems.append(opened)
            continue
        sources[name] = opened
        problems += _check(con, opened)
    territories = sources.get("territories")
    if territories and not checks.structure_problems(territories):
        problems += _territory_problems(con, territories)
        for name in ("rnp", "rsu", "amo"):
            if name in sources and "annex_code" in sources[name].types:
                problems += _annex_problems(con, sources[name], territories)
    return sources, problems


def create_typed_views(con: Connection, sources: Mapping[str, Source]) -> None:
    """One view per extract with the contract's columns in their contract types."""
    for name, src in sources.items():
        exprs = ["_row"]
        for column in src.extract.columns:
            dtype = src.types[column.name]
            assert accepts(column, dtype), "create_typed_views needs checked sources"
            exprs.append(f"{typed(column, dtype)} AS {quote(column.name)}")
        con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT {', '.join(exprs)} FROM {src.relation}"
        )


def load_extracts(
    con: Connection, paths: Mapping[str, Location]
) -> tuple[dict[str, Source], list[Problem]]:
    """Like read_extracts, but raises InvalidExtracts on any error and creates typed views.

    Returns the sources and the warnings, which do not stop the work but must be shown.
    """
    sources, problems = read_extracts(con, paths)
    missing = [name for name in INPUT_ORDER if name not in paths]
    if missing:
        required = Message("this extract is required")
        given = [Problem(name, "", _("file given"), detail=required) for name in missing]
        problems = given + problems
    if has_errors(problems):
        raise InvalidExtracts(problems)
    create_typed_views(con, sources)
    return sources, problems


@dataclass(frozen=True, slots=True)
class FileRead:
    path: Location
    format: str  # csv or parquet
    rows: int


@dataclass(frozen=True, slots=True)
class Checked:
    """What `validate` found: the files it could read, and every problem of the set."""

    files: Mapping[str, FileRead]
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not has_errors(list(self.problems))


def validate(
    paths: Mapping[str, Location], engine: str = "duckdb", spark_master: str | None = None
) -> Checked:
    """Check the given extracts against the contract (any subset of the four), on DuckDB or
    on Spark (`spark_master`: see engine/spark/session.py): the same problems either way.
    On Spark the extracts may be URIs (engine/locations.py)."""
    from sijill.engine.backends import Engine, opened

    chosen = Engine(engine, spark_master)
    chosen.check(paths.values())
    with opened(chosen) as con:
        sources, problems = read_extracts(con, paths)
    files = {name: FileRead(s.path, s.format, s.rows) for name, s in sources.items()}
    return Checked(files, tuple(problems))
