"""A set of extracts: territory and annex rules across files, load_extracts and the typed views."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from sijill.domain.contract import BOOLEAN, DATE, EXTRACTS, FLOAT, STRING, TIMESTAMP
from sijill.engine.extracts.problems import ERROR, WARNING, InvalidExtracts
from sijill.engine.extracts.reading import extracts_in, load_extracts, read_extracts
from sijill.engine.extracts.sources import Source
from tests.extract_files import (
    ANNEX_1,
    COMMUNE,
    PROVINCE,
    REGION,
    ProblemKey,
    Rows,
    keys,
    problems_of,
    valid_rows,
    write_csv,
    write_set,
)

VIEW_TYPE = {
    STRING: "VARCHAR",
    DATE: "DATE",
    TIMESTAMP: "TIMESTAMP",
    BOOLEAN: "BOOLEAN",
    FLOAT: "DOUBLE",
}


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def error(path: Path, column: str, rule: str, count: int, rows: tuple[int, ...]) -> ProblemKey:
    return (str(path), column, rule, ERROR, count, rows)


def with_rows(tmp_path: Path, name: str, replaced: Rows, fmt: str = "csv") -> list[ProblemKey]:
    rows = valid_rows()
    rows[name] = replaced
    return keys(problems_of(write_set(tmp_path, fmt, rows)))


def test_a_household_spread_over_two_annexes_is_a_warning(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = valid_rows()
    first = rows["rsu"][0]
    other = next(
        r for r in rows["rsu"] if r["household_id"] == first["household_id"] and r is not first
    )
    annexes = sorted({str(r["annex_code"]) for r in rows["rnp"]})
    other["annex_code"] = next(a for a in annexes if a != first["annex_code"])
    _, warnings = load_extracts(con, write_set(tmp_path, "csv", rows))
    assert [(w.column, w.rule, w.severity) for w in warnings] == [
        ("annex_code", "same within household_id", "warning")
    ]


def loaded(con: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> dict[str, Source]:
    sources, warnings = load_extracts(con, paths)
    assert warnings == []
    return sources


# --- a valid set -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_valid_set_has_no_problems(tmp_path: Path, fmt: str) -> None:
    assert problems_of(write_set(tmp_path, fmt)) == []


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_read_extracts_returns_every_source_with_its_row_count(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    sources, problems = read_extracts(con, write_set(tmp_path, fmt))
    assert problems == []
    assert {name: src.rows for name, src in sources.items()} == {
        "territories": 5,
        "rnp": 5,
        "rsu": 5,
        "amo": 5,
    }
    assert {src.format for src in sources.values()} == {fmt}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_typed_views_have_the_contract_types(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    loaded(con, write_set(tmp_path, fmt))
    for name, extract in EXTRACTS.items():
        described = {col: dtype for col, dtype, *_ in con.execute(f"DESCRIBE {name}").fetchall()}
        expected = {c.name: VIEW_TYPE[c.kind] for c in extract.columns}
        assert described == {"_row": "BIGINT", **expected}, name


def test_mixed_formats_load(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    csv_paths = write_set(tmp_path / "csv", "csv")
    parquet_paths = write_set(tmp_path / "parquet", "parquet")
    paths = {**csv_paths, "rsu": parquet_paths["rsu"], "amo": parquet_paths["amo"]}
    loaded(con, paths)
    assert con.execute("SELECT count(*) FROM rsu").fetchone() == (5,)


def test_csv_and_parquet_views_hold_the_same_values(tmp_path: Path) -> None:
    tables = []
    for fmt in ("csv", "parquet"):
        with duckdb.connect() as con:
            loaded(con, write_set(tmp_path / fmt, fmt))
            tables.append(
                {
                    name: con.execute(f"SELECT * FROM {name} ORDER BY _row").fetchall()
                    for name in EXTRACTS
                }
            )
    assert tables[0] == tables[1]


def test_csv_identifier_keeps_leading_zeros_in_the_view(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = valid_rows()
    rows["rnp"][2]["idcs"] = "0012345678"
    rows["rsu"][2]["idcs"] = "0012345678"
    loaded(con, write_set(tmp_path, "csv", rows))
    assert con.execute("SELECT idcs FROM rnp WHERE _row = 3").fetchone() == ("0012345678",)
    assert con.execute("SELECT idcs FROM rsu WHERE _row = 3").fetchone() == ("0012345678",)
    assert con.execute("SELECT idcs FROM rnp WHERE _row = 5").fetchone() == ("0000000017",)


def test_extra_columns_are_not_in_the_view(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = valid_rows()
    for row in rows["rnp"]:
        row["commentaire"] = "à vérifier, dossier papier"
    loaded(con, write_set(tmp_path, "csv", rows))
    columns = [c for c, *_ in con.execute("DESCRIBE rnp").fetchall()]
    assert "commentaire" not in columns
    assert columns == ["_row", *EXTRACTS["rnp"].column_names]


def test_quoted_csv_fields_with_commas_reach_the_view(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = valid_rows()
    rows["rsu"][0]["address"] = 'Douar Oulad Ahmed, "Lot 7", Had Soualem'
    loaded(con, write_set(tmp_path, "csv", rows))
    assert con.execute("SELECT address FROM rsu WHERE _row = 1").fetchone() == (
        'Douar Oulad Ahmed, "Lot 7", Had Soualem',
    )


def test_csv_timestamp_forms_all_parse(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = valid_rows()
    forms = [
        "2024-01-10T10:00:00",
        "2024-01-10 10:00:00",
        "2024-01-10T10:00:00.250",
        "2024-01-10 10:00:00.123456",
        "2024-01-10T23:59:59.5",
    ]
    for row, text in zip(rows["amo"], forms, strict=True):
        row["deposited_at"] = text
    _, warnings = load_extracts(con, write_set(tmp_path, "csv", rows))
    # Rows of one file now disagree on when it was deposited: worth a warning, not an error.
    assert [(w.column, w.rule, w.severity) for w in warnings] == [
        ("deposited_at", "same within amo_file_id", "warning")
    ]
    found = [t for (t,) in con.execute("SELECT deposited_at FROM amo ORDER BY _row").fetchall()]
    assert found == [
        datetime(2024, 1, 10, 10, 0, 0),
        datetime(2024, 1, 10, 10, 0, 0),
        datetime(2024, 1, 10, 10, 0, 0, 250000),
        datetime(2024, 1, 10, 10, 0, 0, 123456),
        datetime(2024, 1, 10, 23, 59, 59, 500000),
    ]


def test_csv_booleans_parse_in_any_case_and_as_digits(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = valid_rows()
    for row, text in zip(rows["rnp"], ["true", "false", "TRUE", "1", "0"], strict=True):
        row["deceased"] = text
    loaded(con, write_set(tmp_path, "csv", rows))
    found = [b for (b,) in con.execute("SELECT deceased FROM rnp ORDER BY _row").fetchall()]
    assert found == [True, False, True, True, False]


def test_csv_dates_and_scores_parse(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    loaded(con, write_set(tmp_path, "csv"))
    assert con.execute("SELECT birth_date, score FROM rsu WHERE _row = 4").fetchone() == (
        date(1975, 4, 30),
        10.25,
    )


def test_csv_empty_nullable_field_is_null_in_the_view(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    loaded(con, write_set(tmp_path, "csv"))
    assert con.execute("SELECT cin FROM rnp WHERE _row = 3").fetchone() == (None,)
    assert con.execute("SELECT idcs FROM rsu WHERE _row = 5").fetchone() == (None,)
    assert con.execute("SELECT decided_at FROM amo WHERE _row = 5").fetchone() == (None,)
    assert con.execute("SELECT parent_code FROM territories WHERE _row = 1").fetchone() == (None,)


# --- the territory hierarchy -----------------------------------------------------------------


def test_parent_that_does_not_exist(tmp_path: Path) -> None:
    rows = valid_rows()["territories"]
    rows[2]["parent_code"] = "0999"
    found = with_rows(tmp_path, "territories", rows)
    assert found == [error(tmp_path / "territories.csv", "parent_code", "parent exists", 1, (3,))]


def test_region_with_a_parent(tmp_path: Path) -> None:
    rows = valid_rows()["territories"]
    rows[0]["parent_code"] = COMMUNE
    found = with_rows(tmp_path, "territories", rows)
    path = tmp_path / "territories.csv"
    assert error(path, "parent_code", "region has no parent", 1, (1,)) in found
    assert all(
        (column, count, first) == ("parent_code", 1, (1,))
        for _, column, _, _, count, first in found
    )


def test_province_without_a_parent(tmp_path: Path) -> None:
    rows = valid_rows()["territories"]
    rows[1]["parent_code"] = None
    found = with_rows(tmp_path, "territories", rows)
    assert found == [error(tmp_path / "territories.csv", "parent_code", "parent required", 1, (2,))]


def test_commune_whose_parent_is_a_region(tmp_path: Path) -> None:
    rows = valid_rows()["territories"]
    rows[2]["parent_code"] = REGION
    found = with_rows(tmp_path, "territories", rows)
    assert found == [error(tmp_path / "territories.csv", "parent_code", "parent level", 1, (3,))]


def test_annex_whose_parent_is_a_province(tmp_path: Path) -> None:
    rows = valid_rows()["territories"]
    rows[4]["parent_code"] = PROVINCE
    found = with_rows(tmp_path, "territories", rows, "parquet")
    path = tmp_path / "territories.parquet"
    assert found == [error(path, "parent_code", "parent level", 1, (5,))]


def test_parquet_region_with_empty_parent_code_is_valid(tmp_path: Path) -> None:
    rows = valid_rows()["territories"]
    rows[0]["parent_code"] = ""
    assert with_rows(tmp_path, "territories", rows, "parquet") == []


# --- annex codes in the registers ------------------------------------------------------------


def test_annex_code_naming_a_commune_is_an_error(tmp_path: Path) -> None:
    rows = valid_rows()
    rows["rnp"][1]["annex_code"] = COMMUNE
    rows["rnp"][2]["annex_code"] = PROVINCE
    paths = write_set(tmp_path, "csv", rows)
    problems = problems_of(paths)
    assert keys(problems) == [error(paths["rnp"], "annex_code", "annex level", 2, (2, 3))]
    assert "not an annex" in str(problems[0].detail)


def test_unknown_annex_code_is_a_warning(tmp_path: Path) -> None:
    rows = valid_rows()
    rows["amo"][3]["annex_code"] = "A-99999"
    paths = write_set(tmp_path, "csv", rows)
    problems = problems_of(paths)
    assert keys(problems) == [(str(paths["amo"]), "annex_code", "annex exists", WARNING, 1, (4,))]
    assert "UNKNOWN_TERRITORY" in str(problems[0].detail)


def move_household(rows: dict[str, Rows], annex: str) -> None:
    """Give the first RSU household another annex on all its rows."""
    household = rows["rsu"][0]["household_id"]
    for row in rows["rsu"]:
        if row["household_id"] == household:
            row["annex_code"] = annex


def test_annex_codes_are_not_checked_without_territories(tmp_path: Path) -> None:
    rows = valid_rows()
    move_household(rows, "A-99999")
    paths = write_set(tmp_path, "csv", rows)
    assert problems_of({"rsu": paths["rsu"]}) == []


def test_annex_codes_are_not_checked_against_broken_territories(tmp_path: Path) -> None:
    rows = valid_rows()
    move_household(rows, "A-99999")
    paths = write_set(tmp_path, "csv", rows)
    territories = [{k: v for k, v in r.items() if k != "level"} for r in rows["territories"]]
    write_csv(paths["territories"], territories)
    found = keys(problems_of(paths))
    assert found == [(str(paths["territories"]), "level", "required column", ERROR, None, ())]


# --- load_extracts -------------------------------------------------------------------------


def test_load_extracts_raises_with_every_problem(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = valid_rows()
    rows["rnp"][0]["sex"] = "X"
    for row in rows["amo"]:  # the whole file, so that its rows still agree
        if row["amo_file_id"] == rows["amo"][0]["amo_file_id"]:
            row["annex_code"] = "A-99999"
    paths = write_set(tmp_path, "csv", rows)
    (tmp_path / "rsu.csv").unlink()
    with pytest.raises(InvalidExtracts) as raised:
        load_extracts(con, paths)
    assert [(p.file, p.rule, p.severity) for p in raised.value.problems] == [
        (str(paths["rnp"]), "enum", ERROR),
        (str(paths["rsu"]), "file exists", ERROR),
        (str(paths["amo"]), "annex exists", WARNING),
    ]
    assert "2 contract violation(s)" in str(raised.value)
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    assert views == []


def test_load_extracts_requires_all_four(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    paths = write_set(tmp_path)
    del paths["amo"], paths["territories"]
    with pytest.raises(InvalidExtracts) as raised:
        load_extracts(con, paths)
    assert keys(raised.value.problems) == [
        ("territories", "", "file given", ERROR, None, ()),
        ("amo", "", "file given", ERROR, None, ()),
    ]


def test_load_extracts_returns_warnings_and_still_loads(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = valid_rows()
    rows["rsu"][4]["annex_code"] = "A-99999"
    rows["rsu"][4]["first_name_ar"] = "Said"
    sources, warnings = load_extracts(con, write_set(tmp_path, "csv", rows))
    assert set(sources) == {"territories", "rnp", "rsu", "amo"}
    assert sorted((p.column, p.rule, p.severity, p.rows) for p in warnings) == [
        ("annex_code", "annex exists", WARNING, (5,)),
        ("first_name_ar", "arabic script", WARNING, (5,)),
    ]
    assert con.execute("SELECT annex_code FROM rsu WHERE _row = 5").fetchone() == ("A-99999",)


def test_views_place_rows_by_annex(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    loaded(con, write_set(tmp_path, "parquet"))
    found = con.execute(
        "SELECT t.code, count(*) FROM rnp JOIN territories t ON t.code = rnp.annex_code "
        "WHERE t.level = 'annex' GROUP BY t.code ORDER BY t.code"
    ).fetchall()
    assert found == [(ANNEX_1, 3), ("A-00932", 2)]


def test_extracts_in_a_folder_prefer_parquet(tmp_path: Path) -> None:
    for name in ("territories.csv", "rnp.csv", "rnp.parquet", "notes.txt", "amo.xlsx"):
        (tmp_path / name).write_text("")
    assert extracts_in(tmp_path) == {
        "territories": tmp_path / "territories.csv",
        "rnp": tmp_path / "rnp.parquet",
    }
