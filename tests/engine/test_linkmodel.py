"""The linkage model's comparison levels and blocking rules (engine/linkmodel.py).

Each level test runs on both engines (the `engine` fixture): on Spark, the conditions are
translated as the Spark backend gives them to Splink, with Splink's own similarity functions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pytest

from sijill.engine.linkage.model import (
    BLOCKING_RULES,
    TERM_FREQUENCIES,
    TRAINING_RULES,
    BlockingRule,
    comparisons,
    pool_filter,
    row_keys,
    settings,
)

COMPARISONS = {c["output_column_name"]: c for c in comparisons()}


def _level(name: str, pair: dict[str, Any], engine: str = "duckdb") -> str:
    """The label of the first level whose condition holds for this pair, as Splink does."""
    cases = " ".join(
        f"WHEN {lvl['sql_condition']} THEN '{lvl['label_for_charts']}'"
        for lvl in COMPARISONS[name]["comparison_levels"]
        if lvl["sql_condition"] != "ELSE"
    )
    case = f"CASE {cases} ELSE 'all other' END"
    if engine == "spark":
        return _level_on_spark(case, pair)
    columns = ", ".join(f"CAST(? AS {_type(col)}) AS {col}" for col in pair)
    with duckdb.connect() as con:
        return str(
            con.execute(f"SELECT {case} FROM (SELECT {columns})", list(pair.values())).fetchall()[
                0
            ][0]
        )


def _type(column: str) -> str:
    return "DATE" if column.startswith("birth_date") else "VARCHAR"


def _level_on_spark(case: str, pair: dict[str, Any]) -> str:
    from pyspark.sql import SparkSession

    from sijill.engine.dialects.spark import SparkDialect
    from sijill.engine.spark.linkage import splink_api

    session = SparkSession.getActiveSession()
    assert session is not None, "the engine fixture starts the suite's session"
    splink_api(session)  # registers Splink's functions, as linkage does
    schema = ", ".join(f"{col} {_type(col).replace('VARCHAR', 'STRING')}" for col in pair)
    frame = session.createDataFrame([tuple(pair.values())], schema)
    row = frame.selectExpr(SparkDialect().expression(case)).first()
    assert row is not None
    return str(row[0])


def _dates(left: date | None, right: date | None) -> dict[str, Any]:
    return {"birth_date_l": left, "birth_date_r": right}


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (date(1982, 1, 2), date(1982, 1, 2), "same"),
        (date(1982, 3, 7), date(1982, 7, 3), "day and month swapped"),
        (date(1968, 7, 24), date(1967, 7, 24), "one digit or two swapped"),
        (date(2002, 4, 26), date(2002, 4, 25), "one digit or two swapped"),
        (date(1937, 4, 16), date(1973, 4, 16), "one digit or two swapped"),
        (date(1954, 1, 1), date(1954, 4, 14), "year only"),
        (date(1989, 7, 25), date(1966, 10, 7), "all other"),
        (None, date(1966, 10, 7), "null"),
    ],
)
def test_birth_date_levels(left: date | None, right: date | None, level: str, engine: str) -> None:
    assert _level("birth_date", _dates(left, right), engine) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("0012345674", "0012345674", "same"),
        ("0012345674", "0012345675", "one digit away"),
        ("0012345647", "0012345674", "one digit away"),
        ("001234567", "0012345674", "one digit away"),
        ("0012345600", "0012345674", "all other"),
        (None, "0012345674", "null"),
    ],
)
def test_identifier_levels(left: str | None, right: str, level: str, engine: str) -> None:
    assert _level("idcs", {"idcs_l": left, "idcs_r": right}, engine) == level


def _names(
    l_keys: tuple[str | None, ...],
    r_keys: tuple[str | None, ...],
    r_family: tuple[str | None, ...] = (None, None, None, None),
) -> dict[str, Any]:
    """Keys are (Arabic, skeleton, Latin key, cross key[, Latin as written])."""
    pair: dict[str, Any] = {}
    for prefix, side, keys in (("fn", "l", l_keys), ("fn", "r", r_keys), ("ln", "r", r_family)):
        written = keys[4] if len(keys) > 4 else None
        for part, value in zip(("ar", "sk", "lk", "tk", "lt"), (*keys[:4], written), strict=True):
            pair[f"{prefix}_{part}_{side}"] = value
    return pair


MOHAMMED = ("محمد", "MHMD", "MHMDu", "MHMD")
MOHAMED = ("محمد", "MHMD", "MHMD", "MHMD")


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (MOHAMMED, MOHAMED, "same"),
        (("امحمد", "MHMD", "MHMD", None), MOHAMED, "same skeleton and Latin key"),
        (MOHAMED, ("محمدد", "MHMD", "AHMD", "MHMD"), "same skeleton or Latin key"),
        ((None, None, "MHMD", None), (None, None, "MHMDu", None), "close"),
        # keys apart, spellings close: one typing error moved a vowel
        ((None, None, "MJLIu", None, "MOUJALLI"), (None, None, "MWJLI", None, "MOUAJLLI"), "close"),
        (("احمد", "AHMD", "AHMD", "AHMD"), ("يوسف", "YSF", "YSF", "YSF"), "all other"),
        ((None, None, None, None), ("يوسف", "YSF", "YSF", "YSF"), "null"),
    ],
)
def test_name_levels(
    left: tuple[str | None, ...], right: tuple[str | None, ...], level: str, engine: str
) -> None:
    assert _level("first_name", _names(left, right), engine) == level


def test_a_first_name_written_as_the_family_name(engine: str) -> None:
    alaoui = ("العلوي", "LW", "ALWI", "ALWI")
    pair = _names(alaoui, ("محمد", "MHMD", "MHMD", "MHMD"), r_family=alaoui)
    assert _level("first_name", pair, engine) == "the other name"


def test_territory_levels(engine: str) -> None:
    base = {"annex_code_l": "A1", "commune_code_l": "C1", "province_code_l": "P1"}
    other = {"annex_code_r": "A2", "commune_code_r": "C1", "province_code_r": "P1"}
    assert _level("territory", {**base, **other}, engine) == "same commune"
    assert _level("territory", {**base, **other, "commune_code_r": "C2"}, engine) == "same province"
    assert _level("territory", {**base, **other, "annex_code_r": None}, engine) == "null"


def test_exact_arabic_names_are_weighed_by_their_frequency() -> None:
    for name in ("first_name", "last_name"):
        same = COMPARISONS[name]["comparison_levels"][1]
        assert same["label_for_charts"] == "same"
        assert same["tf_adjustment_column"] in TERM_FREQUENCIES


def test_every_comparison_has_a_null_level_first_and_an_else_level_last() -> None:
    for comparison in comparisons():
        levels = comparison["comparison_levels"]
        assert levels[0].get("is_null_level") is True
        assert levels[-1]["sql_condition"] == "ELSE"


def test_training_leaves_every_comparison_free_in_some_session() -> None:
    used = [set(rule.columns) for rule in TRAINING_RULES]
    inputs = {
        "idcs": {"idcs"},
        "first_name": {"fn_ar", "fn_lk"},
        "last_name": {"ln_ar", "ln_lk"},
        "birth_date": {"birth_date"},
        "sex": {"sex"},
        "territory": {"annex_code", "commune_code", "province_code"},
    }
    for name, columns in inputs.items():
        assert any(not (columns & session) for session in used), name


def test_settings_carry_the_prior_and_every_blocking_rule() -> None:
    model = settings(1e-6)
    assert model["probability_two_random_records_match"] == 1e-6
    assert model["link_type"] == "link_only"
    rules = [r["blocking_rule"] for r in model["blocking_rules_to_generate_predictions"]]
    assert rules[0] == 'l."birth_date" = r."birth_date" AND l."commune_code" = r."commune_code"'
    assert len(rules) == len(BLOCKING_RULES)


def test_the_pool_is_what_some_rule_pairs_with_a_row() -> None:
    rules = (BlockingRule("a", ("x", "y")), BlockingRule("b", ("z",)))
    with duckdb.connect() as con:
        con.execute("CREATE TABLE rows AS SELECT * FROM (VALUES (1, 2, 'k')) t(x, y, z)")
        con.execute(
            "CREATE TABLE reg AS SELECT * FROM (VALUES "
            "(1, 2, 'other'), (1, 3, 'other'), (9, 9, 'k'), (1, NULL, NULL)) t(x, y, z)"
        )
        con.execute(f"CREATE TABLE keys AS {row_keys('w', 'rows', rules)}")
        kept = con.execute(
            f"SELECT x, y, z FROM reg p WHERE {pool_filter('p', 'keys', rules)} ORDER BY x"
        ).fetchall()
    assert kept == [(1, 2, "other"), (9, 9, "k")]
