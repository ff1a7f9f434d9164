"""The few SQL fragments that differ between engines; every definition is written once above them.

The reconciliation's SQL uses only what DuckDB and Spark SQL share (joins, GROUP BY,
CASE, window functions, concat_ws, regexp_replace); whatever an engine spells its own way
goes through a Dialect.
"""

from __future__ import annotations

from typing import Protocol


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
        """A 64-bit hash of a text (Spark: xxhash64; its `hash` has 32 bits, too few)."""

    def fail_when(self, query: str, message: str) -> str:
        """A statement that stops the run with `message` when `query` returns a row."""
