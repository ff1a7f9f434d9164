"""Validation on Spark: the same bad inputs get the same problems as on DuckDB.

One set of extracts breaks most rules at once (pattern, enumeration, required value,
uniqueness, same-within-household, the territory tree, unknown annexes, the wrong script),
written as CSV and as Parquet; both engines must report the same file, column, rule,
severity, count, first rows and detail. Unreadable files are compared by rule: their detail
quotes each engine's own words.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sijill.domain.contract import EXTRACTS
from sijill.engine import validate
from sijill.engine.extracts.problems import Problem
from sijill.engine.extracts.reading import annex_rules
from sijill.engine.extracts.sources import Source, open_source
from sijill.engine.spark.connection import SparkConnection
from tests.extract_files import ANNEX_1, Rows, changed, valid_rows, write_set

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def bad_rows() -> dict[str, Rows]:
    rows = valid_rows()
    rnp, rsu, amo, territories = rows["rnp"], rows["rsu"], rows["amo"], rows["territories"]
    rnp[0] = changed(rnp[0], idcs="12AB")  # pattern
    rnp[1] = changed(rnp[1], sex="X", nationality="ma")  # enumeration, pattern
    rnp.append(changed(rnp[2], cin="ZZ1"))  # the same idcs twice
    rnp[3] = changed(rnp[3], first_name_ar="Khadija")  # Latin letters in Arabic (warning)
    rnp[4] = changed(rnp[4], annex_code="")  # required; NULL in CSV, "" (no annex) in Parquet
    rsu[1] = changed(rsu[1], score=8.0)  # household H001 with two scores
    rsu[2] = changed(rsu[2], member_id=" ")  # required value
    rsu[4] = changed(rsu[4], annex_code="A-99999", birth_date=date(1990, 1, 1))  # unknown annex
    amo[0] = changed(amo[0], status="lost")  # enumeration
    amo[1] = changed(amo[1], annex_code=territories[0]["code"])  # names a region, not an annex
    amo[3] = changed(amo[3], last_name_lat="الفاسي")  # Arabic letters in Latin (warning)
    territories[-1] = changed(territories[-1], parent_code="X-404")  # parent that is nowhere
    rsu.append(changed(rsu[0], member_id="M009", household_id="H009", annex_code=ANNEX_1))
    return rows


def described(problems: tuple[Problem, ...]) -> list[tuple[object, ...]]:
    return sorted(
        (p.file, p.column, p.rule, p.severity, p.count, p.rows, str(p.detail)) for p in problems
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_bad_inputs_get_the_same_problems(spark: SparkSession, tmp_path: Path, fmt: str) -> None:
    paths = write_set(tmp_path, fmt, bad_rows())
    on_duckdb = validate(paths)
    on_spark = validate(paths, "spark")
    assert len(on_duckdb.problems) >= 10 and not on_duckdb.valid
    assert described(on_spark.problems) == described(on_duckdb.problems)
    assert on_spark.files == on_duckdb.files


def test_unreadable_and_missing_files(spark: SparkSession, tmp_path: Path) -> None:
    paths = write_set(tmp_path, "csv")
    paths["rnp"].write_text('idcs,cin\n"0012345674,BE1\n')  # a quote never closed
    paths["rsu"] = tmp_path / "absent.csv"
    broken = tmp_path / "amo.parquet"
    broken.write_bytes(b"PAR1 not parquet")
    paths["amo"] = broken
    rules = {
        name: sorted((p.file, p.rule) for p in validate(paths, engine).problems)
        for name, engine in (("duckdb", "duckdb"), ("spark", "spark"))
    }
    assert rules["spark"] == rules["duckdb"]
    assert ("readable csv" in {r for _, r in rules["spark"]}) and (
        "readable parquet" in {r for _, r in rules["spark"]}
    )


def test_annex_rules_are_hash_joins_on_spark(spark: SparkSession, tmp_path: Path) -> None:
    """Every row of a register is looked up among the territories by hash, never tested
    against each territory in turn: that nested loop (NOT IN's null-aware form on Spark)
    made validation grow with rows times territories (docs/spark.md)."""
    paths = write_set(tmp_path, "parquet", bad_rows())
    con = SparkConnection(spark)
    opened = {
        name: open_source(con, EXTRACTS[name], paths[name]) for name in ("territories", "rnp")
    }
    territories, rnp = opened["territories"], opened["rnp"]
    assert isinstance(territories, Source) and isinstance(rnp, Source)
    for rule in annex_rules(territories):
        condition = f"coalesce(({rule.bad}), false)"
        for query in (  # the rule counted per distinct code, and its first rows
            f"SELECT sum(_rows) FILTER (WHERE {condition}) FROM "
            f"(SELECT annex_code, count(*) AS _rows FROM {rnp.relation} GROUP BY annex_code)",
            f"SELECT min(_row, 5) FILTER (WHERE {condition}) FROM {rnp.relation}",
        ):
            plan = con.frame(query)._jdf.queryExecution().executedPlan().toString()
            assert "BroadcastHashJoin" in plan, (rule.rule, plan)
            assert "NestedLoop" not in plan and "Cartesian" not in plan, (rule.rule, plan)
