"""How each contract kind of value is parsed from a file column, in DuckDB SQL.

One table of expressions serves both the checks (is this text a valid date?) and the typed
views the reconciliation reads, so what is validated is exactly what is computed on.
"""

from __future__ import annotations

from sijill.domain.contract import BOOLEAN, DATE, FLOAT, STRING, TIMESTAMP, Column
from sijill.domain.message import Message

_NUMERIC = (
    "DOUBLE",
    "FLOAT",
    "REAL",
    "DECIMAL",
    "INTEGER",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
)
_NATIVE: dict[str, tuple[str, ...]] = {
    STRING: ("VARCHAR",),
    DATE: ("DATE",),
    TIMESTAMP: ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATE"),
    BOOLEAN: ("BOOLEAN",),
    FLOAT: _NUMERIC,
}
_TEXT_FORMAT = {
    DATE: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    TIMESTAMP: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$",
}
_SQL_TYPE = {
    STRING: "VARCHAR",
    DATE: "DATE",
    TIMESTAMP: "TIMESTAMP",
    BOOLEAN: "BOOLEAN",
    FLOAT: "DOUBLE",
}
# What a value of each kind looks like, as the detail of a type problem says it.
EXPECTED = {
    STRING: Message("text"),
    DATE: Message("a date YYYY-MM-DD"),
    TIMESTAMP: Message("a timestamp YYYY-MM-DDTHH:MM:SS"),
    BOOLEAN: Message("true/false or 1/0"),
    FLOAT: Message("a finite number"),
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_text(dtype: str) -> bool:
    return dtype == "VARCHAR"


def is_all_null(dtype: str) -> bool:
    """Parquet writers give a column with no value at all the type NULL."""
    return dtype.strip('"') == "NULL"


def accepts(column: Column, dtype: str) -> bool:
    """Whether a file column of DuckDB type `dtype` can hold this contract column."""
    if is_text(dtype) or (column.nullable and is_all_null(dtype)):
        return True
    base = dtype.split("(")[0].split(" ")[0]
    if column.kind == TIMESTAMP and dtype.startswith("TIMESTAMP WITH TIME ZONE"):
        return False  # a zone would shift the day every deadline is counted from
    return base in _NATIVE[column.kind]


def typed(column: Column, dtype: str) -> str:
    """SQL giving the column's typed value (NULL where the text does not parse)."""
    ref = quote(column.name)
    if is_all_null(dtype):
        return f"CAST(NULL AS {_SQL_TYPE[column.kind]})"
    if column.kind == STRING:
        # "An empty field is null": the same for a Parquet "" as for an empty CSV field.
        return f"NULLIF({ref}, '')" if column.nullable else ref
    if not is_text(dtype):
        return f"CAST({ref} AS {_SQL_TYPE[column.kind]})"
    if column.kind == DATE:
        return f"TRY_CAST({ref} AS DATE)"
    if column.kind == TIMESTAMP:
        return f"TRY_CAST(replace({ref}, 'T', ' ') AS TIMESTAMP)"
    if column.kind == BOOLEAN:
        return (
            f"CASE lower(trim({ref})) WHEN 'true' THEN true WHEN '1' THEN true "
            f"WHEN 'false' THEN false WHEN '0' THEN false END"
        )
    return f"TRY_CAST({ref} AS DOUBLE)"


def unparsable(column: Column, dtype: str) -> str | None:
    """SQL true on a row whose text is present but not a valid value of the column's kind."""
    if is_all_null(dtype):
        return None
    if column.kind == STRING or not is_text(dtype):
        if column.kind == FLOAT and not is_text(dtype):
            return f"NOT isfinite({typed(column, dtype)})"
        return None
    ref = quote(column.name)
    bad = f"{typed(column, dtype)} IS NULL"
    if column.kind in _TEXT_FORMAT:
        bad = f"NOT regexp_full_match({ref}, '{_TEXT_FORMAT[column.kind]}') OR {bad}"
    if column.kind == FLOAT:
        bad = f"{bad} OR NOT isfinite({typed(column, dtype)})"
    return f"{ref} IS NOT NULL AND ({bad})"
