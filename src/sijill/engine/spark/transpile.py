"""The engine's DuckDB SQL, said in Spark SQL: SQLGlot's translation and the few rewrites it
does not make.

Every definition of the engine (funnel columns, findings, rules) is written once, in DuckDB's
SQL, and translated here at run time (docs/spark.md says why and what it costs). SQLGlot
translates names and syntax; the rewrites below give Spark what DuckDB has and Spark does not,
each with DuckDB's meaning:

| DuckDB | Spark |
|---|---|
| `hash(x, …)`, 64 bits | `xxhash64(x, …)` (Spark's `hash` has 32 bits) |
| `regexp_full_match(x, p)` | `x RLIKE '^(?:p)$'` |
| `isfinite(x)` | `NOT isnan(x) AND abs(x) <> Infinity` |
| `error(m)` | `raise_error(m)` |
| `json_object(k, v, …)` | `to_json(named_struct(k, v, …))` |
| `[e for x in list]` | `transform(list, x -> e)` |
| `min(x, n)`: the n smallest | a subquery keeping n rows (`ORDER BY x LIMIT n`), not every x |
| `t.* REPLACE (…)`, `* EXCLUDE (…)` | the columns of `t` listed, from the catalogue |
| `jaro_winkler_similarity(a, b)` | `jaro_winkler(a, b)`, Splink's function (its jar) |

`damerau_levenshtein` keeps its name: Splink's jar registers it under DuckDB's.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlglot
from sqlglot import exp

Columns = Callable[[str], list[str]]  # a relation's columns, in order

_RENAMED = {"hash": "xxhash64", "error": "raise_error"}


def to_spark(statement: exp.Expr, columns: Columns) -> str:
    """Spark SQL for one parsed DuckDB statement (or query)."""
    tree = statement.copy()
    tree = tree.transform(_functions)
    for select in list(tree.find_all(exp.Select)):
        _expand_stars(select, columns)
    for select in list(tree.find_all(exp.Select)):
        _top_n(select)
    return tree.sql(dialect="spark")


def parse(sql: str) -> exp.Expr:
    parsed = sqlglot.parse_one(sql, read="duckdb")
    assert parsed is not None, "an empty statement"
    return parsed


def _spark(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read="spark")


def _functions(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in _RENAMED:
        return exp.Anonymous(this=_RENAMED[str(node.this).lower()], expressions=node.expressions)
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "isfinite":
        value = node.expressions[0].sql(dialect="spark")
        return exp.paren(_spark(f"NOT isnan({value}) AND abs({value}) <> double('Infinity')"))
    if isinstance(node, exp.RegexpFullMatch) and isinstance(node.expression, exp.Literal):
        anchored = exp.Literal.string(f"^(?:{node.expression.this})$")
        return exp.RegexpLike(this=node.this, expression=anchored)
    if isinstance(node, exp.JSONObject):
        pairs: list[exp.Expr] = []
        for pair in node.expressions:
            pairs += [pair.this, pair.expression]
        struct = exp.Anonymous(this="named_struct", expressions=pairs)
        return exp.Anonymous(this="to_json", expressions=[struct])
    if (
        isinstance(node, exp.Array)
        and len(node.expressions) == 1
        and isinstance(node.expressions[0], exp.Comprehension)
    ):
        loop = node.expressions[0]
        body = exp.Lambda(this=loop.this, expressions=[loop.expression])
        return exp.Anonymous(this="transform", expressions=[loop.args["iterator"], body])
    return node


def _sources(select: exp.Select) -> dict[str, str]:
    """Alias (or name) -> table name, for the tables a SELECT reads directly."""
    found: dict[str, str] = {}
    from_ = select.args.get("from_")
    tables = [from_.this] if from_ is not None else []
    tables += [join.this for join in select.args.get("joins") or []]
    for table in tables:
        if isinstance(table, exp.Table):
            found[table.alias_or_name] = table.name
    return found


def _expand_stars(select: exp.Select, columns: Columns) -> None:
    """`* REPLACE (…)` and `* EXCLUDE (…)` as the list of columns they mean."""
    sources = _sources(select)
    expanded: list[exp.Expr] = []
    changed = False
    for item in select.expressions:
        star, qualifier = _star(item)
        if star is None or not (star.args.get("replace") or star.args.get("except_")):
            expanded.append(item)
            continue
        name = sources.get(qualifier) if qualifier else _only(sources)
        assert name is not None, f"cannot list the columns of {item.sql()}"
        replaced = {alias.alias: alias for alias in star.args.get("replace") or []}
        excluded = {column.name for column in star.args.get("except_") or []}
        for column in columns(name):
            if column in excluded:
                continue
            expanded.append(replaced.get(column) or exp.column(column, table=qualifier or None))
        changed = True
    if changed:
        select.set("expressions", expanded)


def _star(item: exp.Expr) -> tuple[exp.Star | None, str]:
    if isinstance(item, exp.Star):
        return item, ""
    if isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
        return item.this, item.table
    return None, ""


def _only(sources: dict[str, str]) -> str | None:
    return next(iter(sources.values())) if len(sources) == 1 else None


def _top_n(select: exp.Select) -> None:
    """DuckDB's `min(x, n) [FILTER (WHERE c)]` (the n smallest x) as a subquery of its own.

    Spark has no bounded aggregate of the n smallest values; collecting every x would hold
    all the offending row numbers of a national file in one array. A sorted LIMIT keeps n.
    """
    replaced = False
    for node in list(select.expressions):
        for found in list(node.find_all(exp.Min)):
            if found.args.get("count") is None:
                continue
            target: exp.Expr = found
            condition: exp.Expr | None = None
            if isinstance(found.parent, exp.Filter):
                target, condition = found.parent, found.parent.expression.this
            target.replace(_smallest(select, found.this, found.args["count"], condition))
            replaced = True
    if replaced and not _aggregates(select):
        # Nothing left to aggregate: one row of subqueries, not one per row scanned.
        for clause in ("from_", "joins", "where"):
            select.set(clause, None)


def _aggregates(select: exp.Select) -> bool:
    return any(
        agg.find_ancestor(exp.Select) is select
        for item in select.expressions
        for agg in item.find_all(exp.AggFunc)
    )


def _smallest(
    select: exp.Select,
    value: exp.Expr,
    count: exp.Expr,
    condition: exp.Expr | None,
) -> exp.Expr:
    inner = exp.select(exp.alias_(value.copy(), "__v"))
    inner.set("from_", select.args["from_"].copy())
    for join in select.args.get("joins") or []:
        inner = inner.join(join.copy())
    where = select.args.get("where")
    for clause in (where.this if where is not None else None, condition):
        if clause is not None:
            inner = inner.where(clause.copy())
    inner = inner.order_by("__v").limit(count.copy())
    listed = exp.select("sort_array(collect_list(__v))").from_(inner.subquery("__n"))
    return exp.Subquery(this=listed)
