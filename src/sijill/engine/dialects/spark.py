"""Spark's forms of what DuckDB spells its own way (see `sijill.engine.dialects`).

Each fragment is written so that the Spark backend's translation (`engine/spark/transpile.py`,
which reads DuckDB's SQL) gives the Spark SQL meant; everything not here is DuckDB's form,
translated. The tests run each form on Spark against DuckDB's (tests/spark/).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from sijill.engine.dialects.duckdb import DuckDBDialect

if TYPE_CHECKING:
    from sijill.engine.extracts.sources import Source

_PLANES = range(0x20, 0x10000)


def _stripped(char: str) -> str:
    """DuckDB's strip_accents of one character: decomposed, marks dropped, recomposed."""
    bare = "".join(
        c for c in unicodedata.normalize("NFD", char) if not unicodedata.category(c).startswith("M")
    )
    return unicodedata.normalize("NFC", bare)


@functools.cache
def _accent_table() -> tuple[str, str]:
    """translate()'s two arguments for strip_accents: each accented letter to its base, each
    mark to nothing (translate drops the characters of `from` past the end of `to`)."""
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for point in _PLANES:
        char = chr(point)
        if 0xD800 <= point <= 0xDFFF or unicodedata.category(char) == "Cn":
            continue
        bare = _stripped(char)
        if bare == char or len(bare) > 1:
            continue
        if bare:
            kept[char] = bare
        else:
            dropped.append(char)
    return "".join(kept) + "".join(dropped), "".join(kept.values())


def _literal(text: str) -> str:
    # DuckDB's quoting: the fragment is read as DuckDB SQL before it is said in Spark's.
    return "'" + text.replace("'", "''") + "'"


class SparkDialect(DuckDBDialect):
    name = "spark"

    def days_between(self, start: str, end: str) -> str:
        # DuckDB's date - date is a number of days; Spark's is an interval.
        return f"date_diff('day', CAST({start} AS DATE), CAST({end} AS DATE))"

    def strip_accents(self, expr: str) -> str:
        """DuckDB's strip_accents, which Spark lacks: one translate() over the Unicode table
        (tests/spark/test_dialect.py checks it against DuckDB on every character)."""
        accented, bare = _accent_table()
        return f"translate({expr}, {_literal(accented)}, {_literal(bare)})"

    def latin_family_key(self, expr: str) -> str:
        # Java's replacement strings name a group $2, not \2.
        letters = f"regexp_replace(upper({expr}), '[^A-Z]', '', 'g')"
        return f"regexp_replace({letters}, '^(EL|AL|ES|ET|EZ|ER|EN)(.)', '$2')"

    def update(
        self,
        table: str,
        column: str,
        value: str,
        joins: Sequence[tuple[str, str, str]],
        where: str,
    ) -> str:
        """Spark SQL updates no table: the table is made again, `column` replaced where a row
        has a match in every joined table (each `on` matches at most one row) and `where`."""
        found = " AND ".join(f"{alias}.__key IS NOT NULL" for alias, _, _ in joins)
        joined = " ".join(
            f"LEFT JOIN (SELECT *, true AS __key FROM {relation}) {alias} ON {on}"
            for alias, relation, on in joins
        )
        case = f"CASE WHEN {where} AND {found} THEN {value} ELSE {table}.{column} END"
        return (
            f"CREATE OR REPLACE TABLE {table} AS SELECT {table}.* REPLACE ({case} AS {column}) "
            f"FROM {table} {joined}"
        )

    def dictionary_columns(self, con: object, source: Source) -> set[str]:
        """None: Spark reads a Parquet dictionary as any other page, so every column is
        scanned row by row (the same problems: tests/spark/test_validate.py)."""
        return set()

    def expression(self, sql: str) -> str:
        """DuckDB's condition through the backend's translation; Splink's similarity functions
        come from its jar (engine/spark/session.py puts it on the classpath)."""
        from sijill.engine.spark.transpile import parse, to_spark

        return to_spark(parse(sql), _no_stars)

    def splink_api(self, con: Any) -> Any:  # a SparkConnection
        from sijill.engine.spark.linkage import splink_api

        return splink_api(con.session)

    def splink_work(self, con: Any) -> AbstractContextManager[None]:  # a SparkConnection
        from sijill.engine.spark.linkage import shuffled_by_cores

        return shuffled_by_cores(con.session)

    def work_tables(self, con: Any, prefixes: Sequence[str]) -> list[str]:  # a SparkConnection
        names = [table.name for table in con.session.catalog.listTables() if table.isTemporary]
        return [name for name in names if name.startswith(tuple(prefixes))]


def _no_stars(relation: str) -> list[str]:
    raise AssertionError(f"a condition reads no relation's columns ({relation})")
