"""Spark's own forms (engine/dialects/spark.py) against DuckDB's common definitions.

DuckDB runs the forms it can run too (translate, `* REPLACE`), character by character over
the whole Basic Multilingual Plane; Spark runs each form once over the same values.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pytest

from sijill.domain.names import normalize_arabic, sql_exact_alphabet
from sijill.engine.dialects.duckdb import DuckDBDialect
from sijill.engine.dialects.spark import SparkDialect
from sijill.engine.spark.connection import SparkConnection

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DUCKDB, SPARK = DuckDBDialect(), SparkDialect()


def assigned_characters() -> list[str]:
    return [
        chr(c)
        for c in range(0x20, 0x10000)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn"
    ]


def on_duckdb(expression: str, values: list[Any]) -> list[Any]:
    with duckdb.connect() as con:
        con.register("v", pa.table({"x": values}))
        return [row[0] for row in con.execute(f"SELECT {expression} FROM v").fetchall()]


def on_spark(session: SparkSession, expression: str, values: list[Any]) -> list[Any]:
    con = SparkConnection(session)
    con.register("v", pa.table({"x": values, "i": list(range(len(values)))}))
    rows = con.execute(f"SELECT i, {expression} FROM v").fetchall()
    return [value for _, value in sorted(rows)]


def test_strip_accents_table_is_duckdbs_on_every_character() -> None:
    chars = assigned_characters()
    assert on_duckdb(SPARK.strip_accents("x"), chars) == on_duckdb(DUCKDB.strip_accents("x"), chars)


def test_spark_update_form_is_duckdbs_update() -> None:
    """The table made again (Spark's form) equals the table updated (DuckDB's), on DuckDB."""
    joins = [("a", "keys", "a.h = t.k1"), ("b", "keys", "b.h = t.k2")]
    value = "a.v || b.v"
    with duckdb.connect() as con:
        con.execute("CREATE TABLE keys AS SELECT * FROM (VALUES (1, 'x'), (2, 'y')) k(h, v)")
        rows = "VALUES (1, 1, 2, 'old'), (2, 1, 9, 'old'), (3, 2, 2, 'keep'), (4, NULL, 1, 'old')"
        found = {}
        for dialect in (DUCKDB, SPARK):
            con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM ({rows}) r(id, k1, k2, s)")
            con.execute(dialect.update("t", "s", value, joins, "t.s = 'old'"))
            found[dialect.name] = con.execute("SELECT * FROM t ORDER BY id").fetchall()
    assert found["spark"] == found["duckdb"]
    assert found["duckdb"][0] == (1, 1, 2, "xy")  # the one row matched by both and `where`


NAMES = [
    "El Amrani",
    "AL-FASSI",
    "Ben Ali",
    "Ezzahraoui",
    "Ouali",
    "e",
    "El",
    "",
    None,
    "Él Idrissi",
]
ADDRESSES = [
    "12, Rue Ibn Sina",
    "12 rue  ibn-sina",
    "Hay Al Amal Bloc ٣ رقم ١٢",
    "حي السلام، زنقة ١٥",
    "Résidence Émeraude",
    "دَرْب الْقَصَبَة",
    None,
]


@pytest.mark.parametrize(
    ("name", "values"),
    [("latin_family_key", NAMES), ("address_key", ADDRESSES)],
)
def test_keys_on_spark_are_duckdbs(spark: SparkSession, name: str, values: list[Any]) -> None:
    expected = on_duckdb(getattr(DUCKDB, name)("x"), values)
    assert on_spark(spark, getattr(SPARK, name)("x"), values) == expected


def arabic_samples() -> list[str]:
    alphabet = sorted(sql_exact_alphabet())
    chosen = random.Random(7)
    strings = ["".join(chosen.choice(alphabet) for _ in range(12)) for _ in range(400)]
    return alphabet + strings + ["  مُحَمَّد   الْعَلَوِي ", "ﻻ إله", "أحمد\u00a0بن"]


def test_arabic_normalization_on_spark_is_the_contracts(spark: SparkSession) -> None:
    values = arabic_samples()
    found = on_spark(spark, SPARK.normalize_arabic("x"), values)
    assert found == [normalize_arabic(v) for v in values]


def test_days_between_dates_and_timestamps(spark: SparkSession) -> None:
    days = SPARK.days_between("x", SPARK.date_literal("2025-01-31"))
    values = [dt.datetime(2025, 1, 1, 23, 59), dt.datetime(2024, 12, 31, 0, 1), None]
    assert on_spark(spark, days, values) == on_duckdb(
        DUCKDB.days_between("x", "DATE '2025-01-31'"), values
    )
