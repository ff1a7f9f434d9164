"""The findings of one annex, read from a run's findings sorted by annex (`persons`).

A national run has tens of millions of findings; one annex has a few hundred to a few
thousand. They are not copied into the database: DuckDB reads the row groups whose
min/max statistics may hold the annex (benchmarks/dashboard_render.py and
benchmarks/worklist_scale.py measure it). Files written before findings carried their key
and person are read too: those columns are then empty.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sijill.domain.contract import DETAIL_COLUMNS, FINDING_COLUMNS, FINDING_KINDS
from sijill.engine.extracts.sources import sql_string
from sijill.engine.persons import PERSON
from sijill.engine.readers import reader

PAGE = 100
KEY = "finding_key"
OPEN = "open"  # a finding nobody has handled: no status recorded for its key


@dataclass(frozen=True, slots=True)
class Person:
    """Who a row is, as one register writes it."""

    first_name_ar: str | None
    last_name_ar: str | None
    first_name_lat: str | None
    last_name_lat: str | None
    sex: str | None
    birth_date: dt.date | None
    address: str | None = None

    @property
    def known(self) -> bool:
        return any(getattr(self, c) for c in (*PERSON, "address"))


# The fields two rows are compared on, as the vocabulary names them (`fields`).
COMPARED = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat", "sex",
            "birth_date")  # fmt: skip
ARABIC = frozenset({"first_name_ar", "last_name_ar"})


@dataclass(frozen=True, slots=True)
class Line:
    """One field of two rows side by side, and whether they differ."""

    field: str
    mine: Any
    theirs: Any
    differs: bool
    arabic: bool  # written in Arabic script, whatever the page's language


def same(a: Any, b: Any) -> bool:
    """Equal values; texts compared as written, but for their spacing."""
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return bool(a == b)


def compared(mine: Person | None, theirs: Person | None) -> tuple[Line, ...]:
    """Every field of two persons side by side, those that differ marked (none when one
    of them is unknown)."""
    if mine is None or theirs is None:
        return ()
    return tuple(
        Line(field, getattr(mine, field), getattr(theirs, field),
             not same(getattr(mine, field), getattr(theirs, field)), field in ARABIC)
        for field in COMPARED
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    source: str
    row_id: str | None
    idcs: str | None
    household_id: str | None
    amo_file_id: str | None
    annex_code: str
    detail: str  # the contract's English
    detail_id: str | None = None  # the detail as a message id and its parameters (JSON),
    detail_params: str | None = None  # None in runs written before they existed
    key: str | None = None  # the same finding's key in every run (engine.persons)
    person: Person | None = None  # the row's person
    other_source: str | None = None  # the register the row is compared with, if any
    other: Person | None = None  # that register's person


@dataclass(frozen=True, slots=True)
class Filter:
    """Which findings of an annex: of one kind, of one household, whose key is among those
    given (`keys`) or none of them (`without`)."""

    kind: str | None = None
    household: str | None = None
    keys: Collection[str] | None = None
    without: Collection[str] | None = None


def _where(annex: str, chosen: Filter) -> tuple[str, dict[str, Any]]:
    clauses = ["annex_code = $annex"]
    args: dict[str, Any] = {"annex": annex}
    if chosen.kind in FINDING_KINDS:
        clauses.append("kind = $kind")
        args["kind"] = str(chosen.kind)
    if chosen.household:
        clauses.append("household_id = $household")
        args["household"] = chosen.household
    if chosen.keys is not None:
        clauses.append(f"{KEY} IN (SELECT unnest($keys))")
        args["keys"] = sorted(chosen.keys)
    if chosen.without:
        clauses.append(f"{KEY} NOT IN (SELECT unnest($without))")
        args["without"] = sorted(chosen.without)
    return " AND ".join(clauses), args


_OTHER = tuple(f"other_{c}" for c in PERSON)
_EXTRA = (KEY, *PERSON, "address", "other_source", *_OTHER)


def _source(path: Path) -> str:
    return f"read_parquet({sql_string(str(path))})"


def _columns(path: Path) -> list[str]:
    """The optional columns as the file has them (NULL for those it lacks: a run written
    before them), looked up once per version of the file."""
    return list(_described(str(path), path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=256)
def _described(path: str, version: int) -> tuple[str, ...]:
    with reader() as con:
        rows = con.execute(f"DESCRIBE SELECT * FROM {_source(Path(path))}").fetchall()
    found = {row[0] for row in rows}
    return tuple(c if c in found else "NULL" for c in (*DETAIL_COLUMNS, *_EXTRA))


def _finding(row: tuple[Any, ...]) -> Finding:
    base = len(FINDING_COLUMNS) + len(DETAIL_COLUMNS)
    key, rest = row[base], row[base + 1 :]
    person = Person(*rest[: len(PERSON) + 1])
    other_source, other = rest[len(PERSON) + 1], Person(*rest[len(PERSON) + 2 :])
    named = dict(zip((*FINDING_COLUMNS, *DETAIL_COLUMNS), row[:base], strict=True))
    return Finding(
        **named,
        key=key,
        person=person if person.known else None,
        other_source=other_source,
        other=other if other_source and other.known else None,
    )


def findings_of_annex(
    path: Path,
    annex: str,
    kind: str | None = None,
    limit: int | None = PAGE,
    offset: int = 0,
    chosen: Filter | None = None,
) -> list[Finding]:
    """The annex's findings (of one kind, or all; `chosen` filters further), ordered by
    kind then row."""
    where, args = _where(annex, chosen or Filter(kind=kind))
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    with reader() as con:
        columns = ", ".join((*FINDING_COLUMNS, *_columns(path)))
        query = (
            f"SELECT {columns} FROM {_source(path)} WHERE {where} "
            f"ORDER BY kind, source, row_id, amo_file_id, idcs{page}"
        )
        rows = con.execute(query, args).fetchall()
    return [_finding(row) for row in rows]


def counts_of_annex(
    path: Path, annex: str, statuses: Mapping[str, str]
) -> dict[tuple[str, str], int]:
    """The annex's findings counted by kind and handling status: the status given for
    their key in `statuses`, OPEN for the others."""
    grouped: dict[str, list[str]] = {}
    for key, value in statuses.items():
        if value != OPEN:
            grouped.setdefault(value, []).append(key)
    args: dict[str, Any] = {"annex": annex}
    cases = []
    for i, (value, keys) in enumerate(sorted(grouped.items())):
        cases.append(f"WHEN {KEY} IN (SELECT unnest($s{i})) THEN {sql_string(value)}")
        args[f"s{i}"] = keys
    with reader() as con:
        if not cases or KEY not in _columns(path):
            status, args = f"'{OPEN}'", {"annex": annex}
        else:
            status = f"CASE {' '.join(cases)} ELSE '{OPEN}' END"
        rows = con.execute(
            f"SELECT kind, {status} AS status, count(*) FROM {_source(path)} "
            "WHERE annex_code = $annex GROUP BY ALL",
            args,
        ).fetchall()
    return {(str(kind), str(found)): int(n) for kind, found, n in rows}


def finding_of_annex(path: Path, annex: str, key: str) -> Finding | None:
    """The annex's finding of that key in this run, None when it has none."""
    found = findings_of_annex(path, annex, limit=1, chosen=Filter(keys=[key]))
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class SplitMember:
    """A single-person household of a suspected split, with its member."""

    cluster_id: str
    household_id: str
    idcs: str | None
    annex_code: str
    reason: str  # the contract's English
    households: int | None  # the counts the reason gives, for pages to say it in words
    couples: int | None
    parent_child: int | None
    mothers: int | None
    member_id: str | None
    person: Person | None


_SPLIT = ("cluster_id", "household_id", "idcs", "annex_code", "reason", "households",
          "couples", "parent_child", "mothers", "member_id", *PERSON, "address")  # fmt: skip


def splits_of_annex(path: Path, annex: str) -> list[SplitMember]:
    """The annex's split suspects, cluster by cluster (`splits.parquet`; none when the run
    has no such file)."""
    if not path.is_file():
        return []
    with reader() as con:
        rows = con.execute(
            f"SELECT {', '.join(_SPLIT)} FROM {_source(path)} WHERE annex_code = ? "
            "ORDER BY cluster_id, household_id",
            [annex],
        ).fetchall()
    found = []
    for row in rows:
        person = Person(*row[10:])
        named = dict(zip(_SPLIT[:10], row[:10], strict=True))
        found.append(SplitMember(**named, person=person if person.known else None))
    return found


@dataclass(frozen=True, slots=True)
class Pair:
    """A link candidate's row and the RNP person proposed for it."""

    row: Person | None
    row_annex: str | None
    candidate: Person | None
    candidate_annex: str | None


def pairs_of_annex(path: Path, annex: str) -> dict[tuple[str, str], Pair]:
    """The persons of the annex's link candidates by (source, row_id) (`links.parquet`;
    none when the run has no such file)."""
    if not path.is_file():
        return {}
    row = ", ".join(f"row_{c}" for c in PERSON)
    candidate = ", ".join(f"candidate_{c}" for c in PERSON)
    with reader() as con:
        rows = con.execute(
            f"SELECT source, row_id, {row}, row_annex_code, {candidate}, candidate_annex_code "
            f"FROM {_source(path)} WHERE row_annex_code = ?",
            [annex],
        ).fetchall()
    size = len(PERSON)
    found = {}
    for source, row_id, *rest in rows:
        mine, theirs = Person(*rest[:size]), Person(*rest[size + 1 : 2 * size + 1])
        found[(str(source), str(row_id))] = Pair(
            mine if mine.known else None,
            rest[size],
            theirs if theirs.known else None,
            rest[2 * size + 1],
        )
    return found
