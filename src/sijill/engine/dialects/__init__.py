"""The few SQL fragments that differ between engines; every definition is written once above them.

The engine's SQL is DuckDB's, and uses only what DuckDB and Spark SQL share once SQLGlot has
translated it (joins, GROUP BY, CASE, window functions, concat_ws, regexp_replace; the Spark
backend's rewrites are listed in `engine/spark/transpile.py`); whatever an engine must do its
own way goes through a Dialect, beside the common definition (duckdb.py, spark.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sijill.engine.extracts.sources import Source


class Dialect(Protocol):
    name: str

    def name_key(self, first: str, last: str) -> str:
        """The contract's name key of two Arabic name expressions."""

    def days_between(self, start: str, end: str) -> str:
        """Whole days from the date of `start` to the date of `end` (timestamps or dates)."""

    def date_literal(self, iso: str) -> str: ...

    def normalize_arabic(self, expr: str) -> str:
        """The contract's Arabic normalization of one expression."""

    def address_key(self, expr: str) -> str:
        """A household address as one key: case, punctuation and spacing do not matter."""

    def latin_family_key(self, expr: str) -> str:
        """A Latin family name as one key: letters only, without a leading EL/AL article."""

    def text_hash(self, expr: str) -> str:
        """A 64-bit hash of a text."""

    def fail_when(self, query: str, message: str) -> str:
        """A statement that stops the run with `message` when `query` returns a row."""

    def update(
        self,
        table: str,
        column: str,
        value: str,
        joins: Sequence[tuple[str, str, str]],
        where: str,
    ) -> str:
        """`column` of `table` set to `value` on the rows that `where` selects and that match
        one row of every joined relation — (alias, relation, on) — which `value` may read."""

    def dictionary_columns(self, con: Any, source: Source) -> set[str]:
        """The columns of an extract whose rules are evaluated once per distinct value."""

    def expression(self, sql: str) -> str:
        """A condition written in DuckDB's SQL (a blocking rule, a comparison level), said in
        this engine's own: Splink runs it as given."""

    def splink_api(self, con: Any) -> Any:
        """Splink's database API on this connection (its backend for this engine)."""

    def splink_work(self, con: Any) -> AbstractContextManager[None]:
        """The engine set up for Splink's work (training, scoring) while the block runs."""

    def work_tables(self, con: Any, prefixes: Sequence[str]) -> list[str]:
        """The tables and views of the connection whose name starts with one of `prefixes`."""


def dialect_of(con: object) -> Dialect:
    """The dialect of a connection: the Spark backend's carries its own, DuckDB's is DuckDB."""
    from sijill.engine.dialects.duckdb import DuckDBDialect

    found = getattr(con, "dialect", None)
    return found if found is not None else DuckDBDialect()
