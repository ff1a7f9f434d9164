"""Linkage (engine/linkage.py) on a synthetic country, against the generator's truth."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sijill.engine.extracts.reading import load_extracts
from sijill.engine.linkage.matching import MINIMUM, LinkStats, link
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate
from tests.extract_files import valid_rows, write_set

NAMES = ("territories", "rnp", "rsu", "amo")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("linkage") / "country"
    generate(SynthConfig(persons=40_000, seed=5), folder)
    return folder


@pytest.fixture(scope="module")
def linked(country: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, LinkStats]]:
    con = duckdb.connect()
    load_extracts(con, {n: country / f"{n}.parquet" for n in NAMES})
    stats = link(con)
    truth = country / "truth"
    con.execute(f"""CREATE TABLE truth AS
        SELECT 'rsu' AS source, member_id AS row_id, true_idcs, idcs_state
        FROM '{truth}/rsu_rows.parquet'
        UNION ALL
        SELECT 'amo', beneficiary_id, true_idcs, idcs_state FROM '{truth}/amo_rows.parquet'""")
    yield con, stats
    con.close()


def _scores(con: duckdb.DuckDBPyConnection, threshold: float) -> tuple[int, int, int]:
    """(links at or above the threshold, right ones, rows whose person is in the RNP)."""
    found = con.execute(f"""
        SELECT count(k.row_id), count(*) FILTER (WHERE k.candidate_idcs = t.true_idcs),
               count(t.true_idcs)
        FROM truth t
        LEFT JOIN (SELECT * FROM links WHERE match_probability >= {threshold}) k
               USING (source, row_id)
        WHERE t.idcs_state <> 'ok'""").fetchall()[0]
    return int(found[0]), int(found[1]), int(found[2])


def test_links_are_the_rows_with_a_missing_or_unknown_identifier(
    linked: tuple[duckdb.DuckDBPyConnection, LinkStats],
) -> None:
    con, stats = linked
    outside = con.execute("""
        SELECT count(*) FROM links k JOIN truth t USING (source, row_id)
        WHERE t.idcs_state = 'ok'""").fetchall()
    assert outside == [(0,)]
    unresolved = con.execute("SELECT count(*) FROM truth WHERE idcs_state <> 'ok'").fetchall()
    assert stats.rows == unresolved[0][0]


def test_one_candidate_per_row_at_or_above_the_minimum(
    linked: tuple[duckdb.DuckDBPyConnection, LinkStats],
) -> None:
    con, stats = linked
    rows, distinct, weakest = con.execute(
        "SELECT count(*), count(DISTINCT (source, row_id)), min(match_probability) FROM links"
    ).fetchall()[0]
    assert rows == distinct == stats.links > 0
    assert weakest >= MINIMUM
    columns = [d[0] for d in con.execute("SELECT * FROM links LIMIT 0").description]
    assert columns == ["source", "row_id", "row_idcs", "candidate_idcs", "match_probability"]


def test_links_at_one_half_are_precise_and_find_nearly_everyone(
    linked: tuple[duckdb.DuckDBPyConnection, LinkStats],
) -> None:
    con, _ = linked
    predicted, right, findable = _scores(con, 0.5)
    assert right / predicted >= 0.99
    assert right / findable >= 0.98


def test_row_idcs_is_the_identifier_the_row_carries(
    linked: tuple[duckdb.DuckDBPyConnection, LinkStats],
) -> None:
    con, _ = linked
    carried = con.execute("""
        SELECT count(*) FILTER (WHERE k.row_idcs IS NOT DISTINCT FROM r.idcs), count(*)
        FROM links k JOIN rsu r ON r.member_id = k.row_id WHERE k.source = 'rsu'""").fetchall()
    assert carried[0][0] == carried[0][1] > 0


def test_work_tables_are_dropped(linked: tuple[duckdb.DuckDBPyConnection, LinkStats]) -> None:
    con, _ = linked
    left = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name NOT IN ('links', 'truth')"
    ).fetchall()
    assert left == []


def test_the_same_extracts_give_the_same_links(
    country: Path, linked: tuple[duckdb.DuckDBPyConnection, LinkStats]
) -> None:
    con, _ = linked
    again = duckdb.connect()
    load_extracts(again, {n: country / f"{n}.parquet" for n in NAMES})
    link(again)
    order = "ORDER BY source, row_id"
    first = con.execute(f"SELECT * FROM links {order}").fetchall()
    assert again.execute(f"SELECT * FROM links {order}").fetchall() == first
    again.close()


def test_nothing_to_link_gives_an_empty_table_with_the_contract_columns(
    tmp_path: Path,
) -> None:
    rows = valid_rows()
    rows["rsu"] = [r for r in rows["rsu"] if r["idcs"] is not None]
    rows["amo"] = [r for r in rows["amo"] if r["idcs"] is not None]
    with duckdb.connect() as con:
        load_extracts(con, write_set(tmp_path, "csv", rows))
        stats = link(con)
        assert stats.rows == 0
        assert con.execute("SELECT count(*) FROM links").fetchall() == [(0,)]
        columns = [d[0] for d in con.execute("SELECT * FROM links LIMIT 0").description]
        assert columns[-1] == "match_probability"
