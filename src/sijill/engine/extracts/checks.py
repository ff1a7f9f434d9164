"""Check opened extracts against the contract: columns, types, values, uniqueness, references.

Validation reads every value of every file, so it is shaped for national files:
- a column with few distinct values (a Parquet dictionary column: names, codes, enumerations)
  is grouped first and its rules evaluated once per distinct value;
- the other columns' rules are evaluated together in one aggregate scan;
- uniqueness is screened by counting distinct hashes, and checked exactly only on a doubt;
- first rows are collected only for a rule that fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain.contract import LEVELS, Column
from sijill.domain.message import Message
from sijill.domain.vocabulary import words as _  # marks a rule's code for the catalogues
from sijill.engine.backends import Connection
from sijill.engine.dialects import dialect_of
from sijill.engine.extracts.parsing import EXPECTED, accepts, is_text, quote, typed, unparsable
from sijill.engine.extracts.problems import ERROR, FIRST_ROWS, SAME_WITHIN, WARNING, Problem
from sijill.engine.extracts.sources import Source, sql_string

_ARABIC_LETTER = r"[\x{0621}-\x{064A}]"
_LATIN_LETTER = "[A-Za-z]"
_PARENT_LEVEL = dict(zip(LEVELS[1:], LEVELS[:-1], strict=True))


@dataclass(frozen=True, slots=True)
class RowRule:
    column: str
    rule: str
    bad: str  # SQL predicate, true on an offending row
    detail: Message
    severity: str = ERROR


def structure_problems(source: Source) -> list[Problem]:
    """Missing columns and columns of a type that cannot hold the contract's values."""
    problems = []
    by_folded = {name.strip().lower(): name for name in source.types}
    for column in source.extract.columns:
        found = source.types.get(column.name)
        if found is None:
            near = by_folded.get(column.name)
            problems.append(
                Problem(str(source.path), column.name, _("required column"), detail=_missing(near))
            )
        elif not accepts(column, found):
            detail = Message(
                "expected {expected}, found {found}",
                {"expected": EXPECTED[column.kind], "found": found},
            )
            problems.append(Problem(str(source.path), column.name, _("type"), detail=detail))
    return problems


def _missing(near: str | None) -> Message:
    """A missing column, with the file's column that differs only in case or blanks."""
    if near is None:
        return Message("column missing")
    return Message("column missing (found {found}: names are exact)", {"found": repr(near)})


def _value_rules(column: Column, dtype: str) -> list[RowRule]:
    ref = quote(column.name)
    rules = []
    if not column.nullable:
        # trim() only where it can matter: '' and blanks sort before '!', and a comparison
        # is far cheaper than trim() on every row of a national file.
        bad = (
            f"{ref} IS NULL OR CASE WHEN {ref} < '!' THEN trim({ref}) = '' ELSE false END"
            if is_text(dtype)
            else f"{ref} IS NULL"
        )
        rules.append(RowRule(column.name, _("required"), bad, Message("empty value")))
    bad_type = unparsable(column, dtype)
    if bad_type:
        not_kind = Message("not {expected}", {"expected": EXPECTED[column.kind]})
        rules.append(RowRule(column.name, _("type"), bad_type, not_kind))
    if column.pattern:
        rules.append(
            RowRule(
                column.name,
                _("pattern"),
                f"NOT regexp_full_match({ref}, {sql_string(column.pattern)})",
                Message("must match {pattern}", {"pattern": column.pattern}),
            )
        )
    if column.values:
        allowed = ", ".join(sql_string(v) for v in column.values)
        rules.append(
            RowRule(
                column.name,
                _("enum"),
                f"{ref} NOT IN ({allowed})",
                Message("must be one of {values}", {"values": ", ".join(column.values)}),
            )
        )
    return rules


def _script_rules(column: Column) -> list[RowRule]:
    """Names in the wrong script are worth a look, but the contract does not reject them."""
    ref = quote(column.name)
    if column.name.endswith("_ar"):
        bad = f"regexp_matches({ref}, '{_LATIN_LETTER}')"
        detail = Message("Latin letters in an Arabic field")
        return [RowRule(column.name, _("arabic script"), bad, detail, WARNING)]
    if column.name.endswith("_lat"):
        bad = f"regexp_matches({ref}, '{_ARABIC_LETTER}')"
        detail = Message("Arabic letters in a Latin field")
        return [RowRule(column.name, _("latin script"), bad, detail, WARNING)]
    return []


def row_rules(source: Source) -> list[RowRule]:
    """Every rule on one value of one column, in the contract's column order."""
    rules = []
    for column in source.extract.columns:
        dtype = source.types.get(column.name)
        if dtype is None or not accepts(column, dtype):
            continue
        rules += _value_rules(column, dtype)
        if is_text(dtype):
            rules += _script_rules(column)
    return rules


def value_problems(con: Connection, source: Source) -> list[Problem]:
    """Row rules and uniqueness of one file, each column checked the cheapest exact way."""
    rules = row_rules(source)
    unique = [c.name for c in source.extract.columns if c.unique and c.name in source.types]
    grouped = dialect_of(con).dictionary_columns(con, source)
    problems = run_row_rules(con, source, [r for r in rules if r.column not in grouped])
    for column in dict.fromkeys([r.column for r in rules] + unique):
        if column in grouped:
            own = [r for r in rules if r.column == column]
            problems += grouped_problems(con, source, column, own, unique=column in unique)
        elif column in unique and _may_repeat(con, source, column):
            problems += _duplicates(con, source, column)
    order = [(r.column, r.rule) for r in rules] + [(c, "unique") for c in unique]
    return sorted(problems, key=lambda p: order.index((p.column, p.rule)))


def _conditions(rules: list[RowRule]) -> list[str]:
    # NULL predicates (a NULL value under a pattern rule) must not count as offences.
    return [f"coalesce(({rule.bad}), false)" for rule in rules]


def run_row_rules(con: Connection, source: Source, rules: list[RowRule]) -> list[Problem]:
    """Count every rule's offending rows in one scan; list first rows only for failing rules."""
    if not rules:
        return []
    counted = ", ".join(f"count(*) FILTER (WHERE {c})" for c in _conditions(rules))
    counts = con.execute(f"SELECT {counted} FROM {source.relation}").fetchone() or ()
    return _listed(con, source, rules, [int(n or 0) for n in counts])


def grouped_problems(
    con: Connection,
    source: Source,
    column: str,
    rules: list[RowRule],
    *,
    unique: bool = False,
) -> list[Problem]:
    """Rules on one column evaluated once per distinct value, weighted by its row count.

    Every rule given must read `column` only; the result equals run_row_rules'.
    """
    ref = quote(column)
    conditions = _conditions(rules) + ([f"{ref} IS NOT NULL AND _rows > 1"] if unique else [])
    if not conditions:
        return []
    sums = ", ".join(f"sum(_rows) FILTER (WHERE {c})" for c in conditions)
    counts = [
        int(n or 0)
        for n in con.execute(
            f"SELECT {sums} FROM (SELECT {ref}, count(*) AS _rows "
            f"FROM {source.relation} GROUP BY {ref})"
        ).fetchone()
        or ()
    ]
    problems = _listed(con, source, rules, counts[: len(rules)])
    if unique and counts[-1]:
        problems += _duplicates(con, source, column)
    return problems


def _listed(
    con: Connection, source: Source, rules: list[RowRule], counts: list[int]
) -> list[Problem]:
    """Problems of the rules with offending rows, with their first rows (one more scan).

    Collecting example rows costs more than the checks themselves, and almost every rule
    of a usable file finds nothing.
    """
    failing = [i for i, n in enumerate(counts) if n]
    if not failing:
        return []
    conditions = _conditions([rules[i] for i in failing])
    firsts = ", ".join(f"min(_row, {FIRST_ROWS}) FILTER (WHERE {c})" for c in conditions)
    rows = con.execute(f"SELECT {firsts} FROM {source.relation}").fetchone() or ()
    return [
        Problem(
            str(source.path),
            rules[i].column,
            rules[i].rule,
            counts[i],
            tuple(sorted(found or ())),
            detail=rules[i].detail,
            severity=rules[i].severity,
        )
        for i, found in zip(failing, rows, strict=True)
    ]


def _may_repeat(con: Connection, source: Source, column: str) -> bool:
    """A screen for duplicates: fewer distinct hashes than values.

    Hashes are cheaper to count than strings; equal counts prove every value distinct, and
    a difference (a duplicate, or a rare collision) sends the column to the exact check.
    """
    ref = quote(column)
    values, hashes = con.execute(
        f"SELECT count({ref}), count(DISTINCT hash({ref})) FILTER (WHERE {ref} IS NOT NULL) "
        f"FROM {source.relation}"
    ).fetchone() or (0, 0)
    return bool(values != hashes)


def _duplicates(con: Connection, source: Source, column: str) -> list[Problem]:
    ref = quote(column)
    return offending(
        con,
        source,
        column,
        _("unique"),
        f"r.{ref} IN (SELECT {ref} FROM {source.relation} GROUP BY {ref} HAVING count(*) > 1)",
        Message("value appears on more than one row"),
    )


def offending(
    con: Connection,
    source: Source,
    column: str,
    rule: str,
    where: str,
    detail: Message,
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
    found = tuple(sorted(rows or ()))
    return [
        Problem(str(source.path), column, rule, int(count), found, detail=detail, severity=severity)
    ]


def set_problems(con: Connection, source: Source) -> list[Problem]:
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
                    SAME_WITHIN[group.key],
                    f"r.{key} IN (SELECT {key} FROM {rel} GROUP BY {key} "
                    f"HAVING min({value}) IS DISTINCT FROM max({value}))",
                    Message("differs between rows of one {key}", {"key": group.key}),
                    WARNING if group.warning_only else ERROR,
                )
    return problems
