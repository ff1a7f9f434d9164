"""Opening one extract file as a raw DuckDB relation, or saying why it cannot be opened."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sijill.domain.contract import RNP, RSU, TERRITORIES, Extract
from sijill.engine.extracts.problems import ERROR, Problem
from sijill.engine.extracts.sources import Source, open_source
from tests.extract_files import (
    keys,
    problems_of,
    rnp_rows,
    rsu_rows,
    territories_rows,
    write_csv,
    write_parquet,
    write_set,
)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def opened(con: duckdb.DuckDBPyConnection, extract: Extract, path: Path) -> Source:
    source = open_source(con, extract, path)
    assert isinstance(source, Source), source
    return source


def refused(con: duckdb.DuckDBPyConnection, extract: Extract, path: Path) -> Problem:
    problem = open_source(con, extract, path)
    assert isinstance(problem, Problem), problem
    assert problem.file == str(path)
    assert problem.column == ""
    assert problem.severity == ERROR
    assert (problem.count, problem.rows) == (None, ())
    return problem


# --- files that cannot be opened ---------------------------------------------------------


def test_missing_file_is_a_file_exists_problem(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    problem = refused(con, RNP, tmp_path / "rnp.csv")
    assert problem.rule == "file exists"
    assert "no such file" in str(problem.detail)


def test_directory_is_not_a_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    directory = tmp_path / "rnp.csv"
    directory.mkdir()
    problem = refused(con, RNP, directory)
    assert problem.rule == "file exists"
    assert "directory" in str(problem.detail)


def test_unknown_extension_names_the_extension(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp.xlsx", rnp_rows())
    problem = refused(con, RNP, path)
    assert problem.rule == "format"
    assert ".xlsx" in str(problem.detail)


def test_file_without_extension_is_an_unknown_format(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp", rnp_rows())
    assert refused(con, RNP, path).rule == "format"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_zero_byte_file_is_empty(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"rnp{suffix}"
    path.write_bytes(b"")
    problem = refused(con, RNP, path)
    assert problem.rule == "not empty"


def test_random_bytes_named_csv_are_unreadable(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "rnp.csv"
    path.write_bytes(random.Random(7).randbytes(4096))
    assert refused(con, RNP, path).rule == "readable csv"


def test_random_bytes_named_parquet_are_unreadable(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "rnp.parquet"
    path.write_bytes(random.Random(7).randbytes(4096))
    problem = refused(con, RNP, path)
    assert problem.rule == "readable parquet"
    assert str(problem.detail)


def test_csv_named_parquet_is_unreadable_parquet(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp.parquet", rnp_rows())
    assert refused(con, RNP, path).rule == "readable parquet"


def test_utf16_csv_is_not_utf8(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rnp.csv", rnp_rows(), encoding="utf-16")
    problem = refused(con, RNP, path)
    assert problem.rule == "readable csv"
    assert "UTF-8" in str(problem.detail)


def test_cp1256_arabic_csv_is_not_utf8_and_names_the_line(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp.csv", rnp_rows(), encoding="cp1256")
    problem = refused(con, RNP, path)
    assert problem.rule == "readable csv"
    assert "UTF-8" in str(problem.detail)
    assert "line 2" in str(problem.detail)  # the first data line carries the first Arabic name


def test_latin1_csv_is_not_utf8(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    territories = [{**row, "name_ar": "-"} for row in territories_rows()]
    path = write_csv(tmp_path / "territories.csv", territories, encoding="latin-1")
    problem = refused(con, TERRITORIES, path)
    assert problem.rule == "readable csv"
    assert "UTF-8" in str(problem.detail)


def _with_unquoted_comma(path: Path, line: int) -> None:
    """Break one data line the classic way: an address with commas left unquoted."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line] = lines[line].replace('"12, Rue Ibnou Sina, Maârif"', "12, Rue Ibnou Sina")
    path.write_text("".join(lines), encoding="utf-8")


def test_row_with_extra_fields_is_unreadable_csv(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp.csv", rnp_rows())
    _with_unquoted_comma(path, 2)
    assert refused(con, RNP, path).rule == "readable csv"


def test_row_with_extra_fields_is_not_called_an_encoding_problem(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp.csv", rnp_rows())
    _with_unquoted_comma(path, 2)
    assert "UTF-8" not in str(refused(con, RNP, path).detail)


def test_ragged_last_row_is_unreadable_csv_not_missing_columns(tmp_path: Path) -> None:
    paths = write_set(tmp_path)
    _with_unquoted_comma(paths["rnp"], 5)
    assert [p.rule for p in problems_of({"rnp": paths["rnp"]})] == ["readable csv"]


# --- files that open -------------------------------------------------------------------------


def test_csv_is_all_text_with_one_based_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp.csv", rnp_rows())
    source = opened(con, RNP, path)
    assert (source.format, source.relation, source.rows) == ("csv", "raw_rnp", 5)
    assert source.types == dict.fromkeys(RNP.column_names, "VARCHAR")
    rows = con.execute(f"SELECT _row, idcs FROM {source.relation} ORDER BY _row").fetchall()
    assert [r for r, _ in rows] == [1, 2, 3, 4, 5]
    assert rows[0][1] == "0012345674"


def test_csv_identifier_keeps_leading_zeros(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = rnp_rows()
    rows[0]["idcs"] = "0012345678"
    source = opened(con, RNP, write_csv(tmp_path / "rnp.csv", rows))
    found = con.execute(f"SELECT idcs FROM {source.relation} WHERE _row = 1").fetchone()
    assert found == ("0012345678",)


def test_csv_quoted_fields_keep_commas_quotes_and_newlines(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = rnp_rows()
    rows[0]["address"] = 'Bloc 4, Imm. "Al Wafa", appt 2\nHay Hassani'
    source = opened(con, RNP, write_csv(tmp_path / "rnp.csv", rows))
    assert source.rows == 5
    found = con.execute(f"SELECT address FROM {source.relation} WHERE _row = 1").fetchone()
    assert found == ('Bloc 4, Imm. "Al Wafa", appt 2\nHay Hassani',)


def test_csv_empty_field_is_null(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    source = opened(con, RNP, write_csv(tmp_path / "rnp.csv", rnp_rows()))
    found = con.execute(f"SELECT cin IS NULL FROM {source.relation} WHERE _row = 3").fetchone()
    assert found == (True,)


def test_csv_with_utf8_bom_keeps_the_first_column_name(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "rnp.csv", rnp_rows(), encoding="utf-8-sig")
    assert next(iter(opened(con, RNP, path).types)) == "idcs"


def test_header_only_csv_opens_with_no_rows(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rnp.csv", [], columns=RNP.column_names)
    source = opened(con, RNP, path)
    assert source.rows == 0
    assert set(source.types) == set(RNP.column_names)


@pytest.mark.parametrize("name", ["rnp.CSV", "rnp.pq"])
def test_extension_is_case_insensitive_and_pq_is_parquet(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    if name.endswith(".pq"):
        write_parquet(path, "rnp", rnp_rows())
    else:
        write_csv(path, rnp_rows())
    assert opened(con, RNP, path).rows == 5


def test_parquet_keeps_its_native_types_with_one_based_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    source = opened(con, RSU, write_parquet(tmp_path / "rsu.parquet", "rsu", rsu_rows()))
    assert source.format == "parquet"
    assert source.rows == 5
    assert source.types["member_id"] == "VARCHAR"
    assert source.types["birth_date"] == "DATE"
    assert source.types["declared_at"] == "TIMESTAMP"
    assert source.types["score"] == "DOUBLE"
    rows = con.execute(f"SELECT _row, member_id FROM {source.relation} ORDER BY _row").fetchall()
    assert rows == [(1, "M001"), (2, "M002"), (3, "M003"), (4, "M004"), (5, "M005")]


def test_a_valid_set_opens_without_problems(tmp_path: Path) -> None:
    assert keys(problems_of(write_set(tmp_path))) == []
