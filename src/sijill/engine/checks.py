"""Check opened extracts against the contract: columns, types, values, uniqueness, references.

Row-level rules of one file are evaluated together in a single aggregate scan; set rules
(uniqueness, consistency within a group, references to territories) need their own queries.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from sijill.engine.contract import LEVELS, Column
from sijill.engine.problems import ERROR, FIRST_ROWS, WARNING, Problem
from sijill.engine.sources import Source, sql_string
from sijill.engine.typing_sql import EXPECTED, accepts, is_text, quote, typed, unparsable

_ARABIC_LETTER = r"[\x{0621}-\x{064A}]"
_LATIN_LETTER = "[A-Za-z]"
_PARENT_LEVEL = dict(zip(LEVELS[1:], LEVELS[:-1], strict=True))


@dataclass(frozen=True, slots=True)
class RowRule:
    column: str
    rule: str
    bad: str  # SQL predicate, true on an offending row
    detail: str = ""
    severity: str = ERROR


def structure_problems(source: Source) -> list[Problem]:
    """Missing columns and columns of a type that cannot hold the contract's values."""
    problems = []
    by_folded = {name.strip().lower(): name for name in source.types}
    for column in source.extract.columns:
        found = source.types.get(column.name)
        if found is None:
            near = by_folded.get(column.name)
            hint = f" (found {near!r}: names are exact)" if near else ""
            problems.append(
                Problem(
                    str(source.path), column.name, "required column", detail="column missing" + hint
                )
            )
        elif not accepts(column, found):
            problems.append(
                Problem(
                    str(source.path),
                    column.name,
                    "type",
                    detail=f"expected {EXPECTED[column.kind]}, found {found}",
                )
            )
    return problems


def _value_rules(column: Column, dtype: str) -> list[RowRule]:
    ref = quote(column.name)
    rules = []
    if not column.nullable:
        # CASE evaluates trim() only where a value starts with a space; AND/OR would run it on
        # every row, and that is most of the check's cost on tens of millions of rows.
        bad = (
            f"CASE WHEN starts_with({ref}, ' ') THEN trim({ref}) = '' "
            f"ELSE {ref} IS NULL OR {ref} = '' END"
            if is_text(dtype)
            else f"{ref} IS NULL"
        )
        rules.append(RowRule(column.name, "required", bad, "empty value"))
    bad_type = unparsable(column, dtype)
    if bad_type:
        rules.append(RowRule(column.name, "type", bad_type, f"not {EXPECTED[column.kind]}"))
    if column.pattern:
        rules.append(
            RowRule(
                column.name,
                "pattern",
                f"NOT regexp_full_match({ref}, {sql_string(column.pattern)})",
                f"must match {column.pattern}",
            )
        )
    if column.values:
        allowed = ", ".join(sql_string(v) for v in column.values)
        rules.append(
            RowRule(
                column.name,
                "enum",
                f"{ref} NOT IN ({allowed})",
                "must be one of " + ", ".join(column.values),
            )
        )
    return rules


def _script_rules(column: Column) -> list[RowRule]:
    """Names in the wrong script are worth a look, but the contract does not reject them."""
    ref = quote(column.name)
    if column.name.endswith("_ar"):
        bad = f"regexp_matches({ref}, '{_LATIN_LETTER}')"
        return [
            RowRule(column.name, "arabic script", bad, "Latin letters in an Arabic field", WARNING)
        ]
    if column.name.endswith("_lat"):
        bad = f"regexp_matches({ref}, '{_ARABIC_LETTER}')"
        return [
            RowRule(column.name, "latin script", bad, "Arabic letters in a Latin field", WARNING)
        ]
    return []


def row_rules(source: Source) -> list[RowRule]:
    rules = []
    for column in source.extract.columns:
        dtype = source.types.get(column.name)
        if dtype is None or not accepts(column, dtype):
            continue
        rules += _value_rules(column, dtype)
    return rules


def script_problems(con: duckdb.DuckDBPyConnection, source: Source) -> list[Problem]:
    """Names in the wrong script: one screening scan, per-column detail only when needed.

    A regular expression per name column is a large share of validation at national scale,
    and almost every file passes: screen the Arabic and the Latin names together first.
    """
    text = [c for c in source.extract.columns if is_text(source.types.get(c.name, ""))]
    groups = [[c for c in text if c.name.endswith(suffix)] for suffix in ("_ar", "_lat")]
    screens = []
    for group, letter in zip(groups, (_LATIN_LETTER, _ARABIC_LETTER), strict=True):
        joined = " || ' ' || ".join(f"coalesce({quote(c.name)}, '')" for c in group) or "''"
        screens.append(f"count(*) FILTER (WHERE regexp_matches({joined}, '{letter}'))")
    found = con.execute(f"SELECT {', '.join(screens)} FROM {source.relation}").fetchone() or ()
    detail = [
        rule
        for group, hits in zip(groups, found, strict=True)
        if hits
        for column in group
        for rule in _script_rules(column)
    ]
    return run_row_rules(con, source, detail)


def run_row_rules(
    con: duckdb.DuckDBPyConnection, source: Source, rules: list[RowRule]
) -> list[Problem]:
    """Count every rule's offending rows in one scan; list first rows only for failing rules.

    Collecting example rows costs more than the checks themselves, and almost every rule
    of a usable file finds nothing.
    """
    if not rules:
        return []
    # NULL predicates (a NULL value under a pattern rule) must not count as offences.
    conditions = [f"coalesce(({rule.bad}), false)" for rule in rules]
    counted = ", ".join(f"count(*) FILTER (WHERE {c})" for c in conditions)
    counts = con.execute(f"SELECT {counted} FROM {source.relation}").fetchone() or ()
    failing = [i for i, n in enumerate(counts) if n]
    if not failing:
        return []
    firsts = ", ".join(f"min(_row, {FIRST_ROWS}) FILTER (WHERE {conditions[i]})" for i in failing)
    rows = con.execute(f"SELECT {firsts} FROM {source.relation}").fetchone() or ()
    return [
        Problem(
            str(source.path),
            rules[i].column,
            rules[i].rule,
            int(counts[i]),
            tuple(sorted(found or ())),
            rules[i].detail,
            rules[i].severity,
        )
        for i, found in zip(failing, rows, strict=True)
    ]


def offending(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    column: str,
    rule: str,
    where: str,
    detail: str,
    severity: str = ERROR,
    relation: str | None = None,
) -> list[Problem]:
    """A problem from a set-based predicate over the raw relation, or `relation`, aliased `r`."""
    scanned = relation or source.relation
    count, rows = con.execute(
        f"SELECT count(*), min(_row, {FIRST_ROWS}) FROM {scanned} r WHERE {where}"
    ).fetchone() or (0, None)
    if not count:
        return []
    return [
        Problem(
            str(source.path), column, rule, int(count), tuple(sorted(rows or ())), detail, severity
        )
    ]


def set_problems(con: duckdb.DuckDBPyConnection, source: Source) -> list[Problem]:
    """Uniqueness and same-value-within-group rules."""
    problems: list[Problem] = []
    rel = source.relation
    for column in source.extract.columns:
        if column.unique and column.name in source.types:
            ref = quote(column.name)
            problems += offending(
                con,
                source,
                column.name,
                "unique",
                f"r.{ref} IN (SELECT {ref} FROM {rel} GROUP BY {ref} HAVING count(*) > 1)",
                "value appears on more than one row",
            )
    problems += _group_problems(con, source)
    return problems


def _group_problems(con: duckdb.DuckDBPyConnection, source: Source) -> list[Problem]:
    """Same-value-within-group rules: one aggregation per key, rows listed only on failure."""
    rel = source.relation
    problems: list[Problem] = []
    keys = dict.fromkeys(g.key for g in source.extract.same_within if g.key in source.types)
    for key_name in keys:
        groups = [
            g for g in source.extract.same_within if g.key == key_name and g.column in source.types
        ]
        # Compare values, not their spelling: "7.5" and "7.50" are one score.
        values = [typed(source.extract.column(g.column), source.types[g.column]) for g in groups]
        key = quote(key_name)
        differs = [f"min({v}) IS DISTINCT FROM max({v})" for v in values]
        counted = ", ".join(f"count(*) FILTER (WHERE d{i})" for i in range(len(groups)))
        flags = ", ".join(f"{d} AS d{i}" for i, d in enumerate(differs))
        found = (
            con.execute(
                f"SELECT {counted} FROM (SELECT {flags} FROM {rel} GROUP BY {key})"
            ).fetchone()
            or ()
        )
        for group, value, failing in zip(groups, values, found, strict=True):
            if failing:
                problems += offending(
                    con,
                    source,
                    group.column,
                    f"same within {group.key}",
                    f"r.{key} IN (SELECT {key} FROM {rel} GROUP BY {key} "
                    f"HAVING min({value}) IS DISTINCT FROM max({value}))",
                    f"differs between rows of one {group.key}",
                    WARNING if group.warning_only else ERROR,
                )
    return problems
