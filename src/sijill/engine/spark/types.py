"""Spark's column types under DuckDB's names: the checks judge a file's columns by them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql.types import DataType

_NAMES = {
    "StringType": "VARCHAR",
    "VarcharType": "VARCHAR",
    "CharType": "VARCHAR",
    "BooleanType": "BOOLEAN",
    "DoubleType": "DOUBLE",
    "FloatType": "FLOAT",
    "LongType": "BIGINT",
    "IntegerType": "INTEGER",
    "ShortType": "SMALLINT",
    "ByteType": "TINYINT",
    "DateType": "DATE",
    # Parquet timestamps without a zone (isAdjustedToUTC false); with one, Spark's
    # TimestampType is DuckDB's TIMESTAMP WITH TIME ZONE, which the contract refuses.
    "TimestampNTZType": "TIMESTAMP",
    "TimestampType": "TIMESTAMP WITH TIME ZONE",
    "NullType": "NULL",
    "BinaryType": "BLOB",
}


def duckdb_type(dtype: DataType) -> str:
    name = type(dtype).__name__
    if name == "DecimalType":
        return f"DECIMAL({dtype.precision},{dtype.scale})"  # type: ignore[attr-defined]
    return _NAMES.get(name, dtype.simpleString().upper())
