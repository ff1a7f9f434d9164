"""The DuckDB-to-Spark translation's own rewrites (engine/spark/transpile.py), as SQL text.

What the rewritten SQL computes on Spark is tested against DuckDB in test_dialect.py and by
every engine test run on both engines (tests/engine/).
"""

from __future__ import annotations

from sijill.engine.spark.transpile import parse, to_spark

COLUMNS = {"t": ["_row", "code", "parent_code", "level"], "w": ["a", "b"]}


def spark(sql: str) -> str:
    return to_spark(parse(sql), lambda name: COLUMNS[name])


def test_hash_is_the_64_bit_one() -> None:
    assert spark("SELECT hash(code) FROM t") == "SELECT XXHASH64(code) FROM t"


def test_full_match_is_anchored() -> None:
    assert spark("SELECT regexp_full_match(code, '[0-9]{3}|x') FROM t") == (
        "SELECT code RLIKE '^(?:[0-9]{3}|x)$' FROM t"
    )


def test_error_raises() -> None:
    assert "RAISE_ERROR('stop')" in spark("SELECT CASE WHEN true THEN error('stop') END")


def test_isfinite_excludes_nan_and_infinities() -> None:
    found = spark("SELECT isfinite(x) FROM t")
    assert "ISNAN(x)" in found
    assert "Infinity" in found


def test_json_object_is_a_struct_in_json() -> None:
    found = spark("SELECT json_object('a', code, 'b', level) FROM t")
    assert found == "SELECT TO_JSON(NAMED_STRUCT('a', code, 'b', level)) FROM t"


def test_list_comprehension_is_a_transform() -> None:
    found = spark("SELECT [upper(c) for c in string_split(code, '')] FROM t")
    assert found.startswith("SELECT TRANSFORM(SPLIT(code")
    assert "c -> UPPER(c)" in found


def test_star_replace_and_exclude_list_the_columns() -> None:
    found = spark("SELECT * EXCLUDE (_row) REPLACE (trim(parent_code) AS parent_code) FROM t")
    assert found == "SELECT code, TRIM(parent_code) AS parent_code, level FROM t"


def test_qualified_star_replace_of_a_joined_table() -> None:
    found = spark("SELECT x.* REPLACE (1 AS b) FROM w x LEFT JOIN t ON t.code = x.a")
    assert found.startswith("SELECT x.a, 1 AS b FROM w AS x")


def test_smallest_values_keep_n_rows_not_every_value() -> None:
    found = spark("SELECT count(*), min(_row, 5) FROM t r WHERE r.level = 'annex'")
    assert found == (
        "SELECT COUNT(*), (SELECT SORT_ARRAY(COLLECT_LIST(__v)) FROM (SELECT _row AS __v "
        "FROM t AS r WHERE r.level = 'annex' ORDER BY __v LIMIT 5) AS __n) "
        "FROM t AS r WHERE r.level = 'annex'"
    )


def test_filtered_smallest_values_alone_give_one_row() -> None:
    found = spark("SELECT min(_row, 5) FILTER (WHERE code IS NULL) FROM t")
    # No aggregate is left outside the subqueries: the outer query reads no table.
    assert found == (
        "SELECT (SELECT SORT_ARRAY(COLLECT_LIST(__v)) FROM (SELECT _row AS __v FROM t "
        "WHERE code IS NULL ORDER BY __v LIMIT 5) AS __n)"
    )


def test_plain_min_is_left_alone() -> None:
    assert spark("SELECT min(_row) FROM t") == "SELECT MIN(_row) FROM t"
