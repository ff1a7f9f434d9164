"""Row rules and set rules of one extract: each broken value gives exactly one expected problem.

Each test writes a full valid set with one value broken, runs `read_extracts` on real files and
compares (file, column, rule, severity, count, rows) of every problem found.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import duckdb
import pyarrow as pa
import pytest

from sijill.domain.contract import EXTRACTS
from sijill.engine.dialects import duckdb as duckdb_dialect
from sijill.engine.extracts.parsing import EXPECTED
from sijill.engine.extracts.problems import ERROR, WARNING
from sijill.engine.extracts.sources import Source, open_source
from tests.extract_files import (
    MOHAMMED,
    ProblemKey,
    Rows,
    Value,
    keys,
    problems_of,
    rnp_row,
    valid_rows,
    write_csv,
    write_parquet,
    write_set,
)


def broken(
    tmp_path: Path, name: str, row: int, column: str, value: Value, fmt: str = "csv"
) -> tuple[Path, list[ProblemKey]]:
    """A valid set with `name`'s data row `row` (1-based) given `value` in `column`."""
    rows = valid_rows()
    rows[name][row - 1][column] = value
    paths = write_set(tmp_path, fmt, rows)
    return paths[name], keys(problems_of(paths))


def with_rows(tmp_path: Path, name: str, replaced: Rows, fmt: str = "csv") -> list[ProblemKey]:
    rows = valid_rows()
    rows[name] = replaced
    return keys(problems_of(write_set(tmp_path, fmt, rows)))


@pytest.fixture(params=["csv", "parquet", "grouped"])
def fmt(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The file format, and with "grouped" Parquet checked per distinct value.

    CSV columns are scanned row by row. A national Parquet file's name and code columns are
    grouped first (small dictionaries); these files are too small for any dictionary to
    count as small, so "grouped" lifts the limit. All three must find the same problems.
    """
    if request.param == "grouped":
        monkeypatch.setattr(duckdb_dialect, "SMALL_DICTIONARY", 1e9)
        return "parquet"
    return str(request.param)


def error(path: Path, column: str, rule: str, count: int, rows: tuple[int, ...]) -> ProblemKey:
    return (str(path), column, rule, ERROR, count, rows)


# --- columns -------------------------------------------------------------------------------


def test_missing_required_column(tmp_path: Path) -> None:
    paths = write_set(tmp_path)
    rows = [{k: v for k, v in row.items() if k != "birth_date"} for row in valid_rows()["rnp"]]
    write_csv(paths["rnp"], rows)
    problems = problems_of(paths)
    assert keys(problems) == [(str(paths["rnp"]), "birth_date", "required column", ERROR, None, ())]
    assert "missing" in str(problems[0].detail)


def test_missing_nullable_column_is_still_required(tmp_path: Path) -> None:
    paths = write_set(tmp_path)
    rows = [{k: v for k, v in row.items() if k != "cin"} for row in valid_rows()["rnp"]]
    write_csv(paths["rnp"], rows)
    assert keys(problems_of(paths)) == [
        (str(paths["rnp"]), "cin", "required column", ERROR, None, ())
    ]


def test_column_in_other_case_is_missing_and_named_in_detail(tmp_path: Path) -> None:
    paths = write_set(tmp_path)
    rows = [
        {("IDCS" if k == "idcs" else k): v for k, v in row.items()} for row in valid_rows()["rnp"]
    ]
    write_csv(paths["rnp"], rows)
    problems = problems_of(paths)
    assert keys(problems) == [(str(paths["rnp"]), "idcs", "required column", ERROR, None, ())]
    assert "'IDCS'" in str(problems[0].detail)


def test_extra_columns_are_ignored(tmp_path: Path) -> None:
    rows = valid_rows()
    for row in rows["rsu"]:
        row["commentaire"] = "vérifié par l'agent, RAS"
    assert keys(problems_of(write_set(tmp_path, "csv", rows))) == []


def test_parquet_idcs_stored_as_int64_is_a_type_problem(tmp_path: Path) -> None:
    rows = valid_rows()
    paths = write_set(tmp_path, "parquet", rows)
    as_numbers = [{**row, "idcs": int(str(row["idcs"]))} for row in rows["rnp"]]
    write_parquet(paths["rnp"], "rnp", as_numbers, types={"idcs": pa.int64()})
    problems = problems_of(paths)
    assert keys(problems) == [(str(paths["rnp"]), "idcs", "type", ERROR, None, ())]
    assert "BIGINT" in str(problems[0].detail)
    assert str(EXPECTED["string"]) in str(problems[0].detail)


def test_parquet_date_stored_as_text_is_checked_as_text(tmp_path: Path) -> None:
    rows = valid_rows()
    paths = write_set(tmp_path, "parquet", rows)
    rnp = [{**row, "birth_date": str(row["birth_date"])} for row in rows["rnp"]]
    rnp[1]["birth_date"] = "15/06/1985"
    write_parquet(paths["rnp"], "rnp", rnp, types={"birth_date": pa.string()})
    assert keys(problems_of(paths)) == [error(paths["rnp"], "birth_date", "type", 1, (2,))]


def test_parquet_nanosecond_timestamps_are_timestamps(tmp_path: Path) -> None:
    rows = valid_rows()
    paths = write_set(tmp_path, "parquet", rows)
    write_parquet(paths["rsu"], "rsu", rows["rsu"], types={"declared_at": pa.timestamp("ns")})
    assert keys(problems_of(paths)) == []


def test_parquet_all_null_nullable_column_is_accepted(tmp_path: Path) -> None:
    rows = valid_rows()
    paths = write_set(tmp_path, "parquet", rows)
    amo = [{**row, "rejection_reason": None} for row in rows["amo"]]
    write_parquet(paths["amo"], "amo", amo, types={"rejection_reason": pa.null()})
    assert keys(problems_of(paths)) == []


# --- required values -------------------------------------------------------------------------


def test_empty_required_field_is_required(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "rnp", 2, "address", None, fmt)
    assert found == [error(path, "address", "required", 1, (2,))]


def test_blank_required_field_is_required(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "rsu", 4, "household_id", "   ", fmt)
    assert found == [error(path, "household_id", "required", 1, (4,))]


def test_empty_nullable_field_is_fine(tmp_path: Path) -> None:
    _, found = broken(tmp_path, "amo", 1, "validated_at", None)
    assert found == []


def test_parquet_null_in_required_column_is_required(tmp_path: Path) -> None:
    path, found = broken(tmp_path, "rsu", 3, "declared_at", None, "parquet")
    assert found == [error(path, "declared_at", "required", 1, (3,))]


# --- enumerations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "column", "value"),
    [
        ("rnp", "sex", "X"),
        ("rnp", "sex", "m"),
        ("rsu", "relation", "cousin"),
        ("amo", "relation", "head"),
        ("amo", "status", "approved"),
    ],
)
def test_value_outside_enumeration(
    tmp_path: Path, name: str, column: str, value: str, fmt: str
) -> None:
    # Row 5 is alone in its household and in its AMO file: only the enum rule fires.
    path, found = broken(tmp_path, name, 5, column, value, fmt)
    assert found == [error(path, column, "enum", 1, (5,))]


def test_unknown_territory_level_is_an_enum_error(tmp_path: Path) -> None:
    # The annex then is no annex: its parent level and the rows placed in it are flagged too.
    path, found = broken(tmp_path, "territories", 5, "level", "district")
    assert found[0] == error(path, "level", "enum", 1, (5,))
    assert error(path, "parent_code", "parent level", 1, (5,)) in found


def test_enum_detail_lists_the_allowed_values(tmp_path: Path) -> None:
    rows = valid_rows()
    rows["rnp"][0]["sex"] = "X"
    (problem,) = problems_of(write_set(tmp_path, "csv", rows))
    assert "F, M" in str(problem.detail)


# --- patterns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "idcs",
    ["001234567", "00123456789", "00123A5678", "٠١٢٣٤٥٦٧٨٩", " 0012345674", "0012-34567"],
    ids=["9-digits", "11-digits", "letter", "arabic-indic-digits", "leading-space", "dash"],
)
def test_rnp_idcs_must_be_ten_ascii_digits(tmp_path: Path, idcs: str, fmt: str) -> None:
    path, found = broken(tmp_path, "rnp", 2, "idcs", idcs, fmt)
    assert found == [error(path, "idcs", "pattern", 1, (2,))]


def test_recorded_idcs_in_rsu_is_not_pattern_checked(tmp_path: Path) -> None:
    _, found = broken(tmp_path, "rsu", 2, "idcs", "12345")
    assert found == []


@pytest.mark.parametrize("cin", ["be123456", "ABC123", "BE1234567", "123456", "BE 12345"])
def test_bad_cin(tmp_path: Path, cin: str, fmt: str) -> None:
    path, found = broken(tmp_path, "rnp", 1, "cin", cin, fmt)
    assert found == [error(path, "cin", "pattern", 1, (1,))]


def test_bad_nationality(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "rnp", 3, "nationality", "MA", fmt)
    assert found == [error(path, "nationality", "pattern", 1, (3,))]


# --- parsed kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1982-13-02", "02/01/1982", "1982-02-30", "1982-1-2"])
def test_bad_date(tmp_path: Path, value: str) -> None:
    path, found = broken(tmp_path, "rnp", 1, "birth_date", value)
    assert found == [error(path, "birth_date", "type", 1, (1,))]


@pytest.mark.parametrize(
    "value", ["2024-13-10T10:00:00", "10/01/2024 10:00", "2024-01-10T10:00", "yesterday"]
)
def test_bad_timestamp(tmp_path: Path, value: str) -> None:
    path, found = broken(tmp_path, "amo", 5, "deposited_at", value)
    assert found == [error(path, "deposited_at", "type", 1, (5,))]


@pytest.mark.parametrize("value", ["maybe", "yes", "2", "vrai"])
def test_bad_boolean(tmp_path: Path, value: str) -> None:
    path, found = broken(tmp_path, "rnp", 4, "deceased", value)
    assert found == [error(path, "deceased", "type", 1, (4,))]


@pytest.mark.parametrize("value", ["abc", "7,5", "NaN", "inf"])
def test_non_numeric_or_non_finite_score(tmp_path: Path, value: str) -> None:
    # Row 4 is alone in household H002, so no same-within-household rule fires.
    path, found = broken(tmp_path, "rsu", 4, "score", value)
    assert found == [error(path, "score", "type", 1, (4,))]


def test_parquet_nan_score_is_a_type_problem(tmp_path: Path) -> None:
    path, found = broken(tmp_path, "rsu", 4, "score", float("nan"), "parquet")
    assert found == [error(path, "score", "type", 1, (4,))]


# --- names in the wrong script are warnings ------------------------------------------------


def test_latin_letters_in_arabic_name_is_a_warning(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "rsu", 2, "first_name_ar", "FATIMA", fmt)
    assert found == [(str(path), "first_name_ar", "arabic script", WARNING, 1, (2,))]


def test_arabic_letters_in_latin_name_is_a_warning(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "amo", 3, "last_name_lat", "العلوي", fmt)
    assert found == [(str(path), "last_name_lat", "latin script", WARNING, 1, (3,))]


# --- uniqueness ------------------------------------------------------------------------------


def test_duplicate_rnp_idcs_lists_every_duplicate_row(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "rnp", 4, "idcs", "0012345674", fmt)
    assert found == [error(path, "idcs", "unique", 2, (1, 4))]


def test_duplicate_rsu_member_id(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "rsu", 5, "member_id", "M002", fmt)
    assert found == [error(path, "member_id", "unique", 2, (2, 5))]


def test_duplicate_amo_beneficiary_id(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "amo", 3, "beneficiary_id", "B001", fmt)
    assert found == [error(path, "beneficiary_id", "unique", 2, (1, 3))]


def test_duplicate_territory_code(tmp_path: Path, fmt: str) -> None:
    rows = valid_rows()["territories"]
    rows.append({**rows[3], "name_fr": "Annexe Maârif bis"})
    found = with_rows(tmp_path, "territories", rows, fmt)
    assert found == [error(tmp_path / f"territories.{fmt}", "code", "unique", 2, (4, 6))]


def test_triplicate_counts_every_row(tmp_path: Path, fmt: str) -> None:
    rows = valid_rows()["rsu"]
    for row in rows[2:]:
        row["member_id"] = "M003"
    found = with_rows(tmp_path, "rsu", rows, fmt)
    assert found == [error(tmp_path / f"rsu.{fmt}", "member_id", "unique", 3, (3, 4, 5))]


def test_parquet_duplicate_idcs(tmp_path: Path) -> None:
    path, found = broken(tmp_path, "rnp", 5, "idcs", "0012345682", "parquet")
    assert found == [error(path, "idcs", "unique", 2, (2, 5))]


# --- same value within a group ---------------------------------------------------------------


def test_score_differing_within_household(tmp_path: Path) -> None:
    path, found = broken(tmp_path, "rsu", 2, "score", 8.75)
    assert found == [error(path, "score", "same within household_id", 3, (1, 2, 3))]


def test_status_differing_within_amo_file(tmp_path: Path, fmt: str) -> None:
    path, found = broken(tmp_path, "amo", 3, "status", "validated", fmt)
    assert found == [error(path, "status", "same within amo_file_id", 3, (1, 2, 3))]


def test_parquet_score_differing_within_household(tmp_path: Path) -> None:
    path, found = broken(tmp_path, "rsu", 1, "score", 7.25, "parquet")
    assert found == [error(path, "score", "same within household_id", 3, (1, 2, 3))]


def test_equal_scores_written_differently_are_the_same(tmp_path: Path) -> None:
    _, found = broken(tmp_path, "rsu", 2, "score", "7.50")
    assert found == []


# --- Parquet dictionary columns are checked per distinct value --------------------------------


def dictionary_columns_of(path: Path) -> set[str]:
    with duckdb.connect() as con:
        source = cast(Source, open_source(con, EXTRACTS["rnp"], path))
        return duckdb_dialect.DuckDBDialect().dictionary_columns(con, source)


def test_columns_with_a_small_dictionary_are_grouped(tmp_path: Path) -> None:
    rows = [rnp_row(f"{i:010d}", MOHAMMED) for i in range(1, 2001)]
    found = dictionary_columns_of(write_parquet(tmp_path / "rnp.parquet", "rnp", rows))
    assert {"sex", "first_name_ar", "last_name_lat", "annex_code", "nationality"} <= found
    assert "idcs" not in found  # 2,000 distinct values: its dictionary is no smaller than it


def test_columns_without_a_dictionary_are_scanned(tmp_path: Path) -> None:
    rows = [rnp_row(f"{i:010d}", MOHAMMED) for i in range(1, 2001)]
    plain = write_parquet(tmp_path / "rnp.parquet", "rnp", rows, dictionary=False)
    assert dictionary_columns_of(plain) == set()


def test_grouped_and_scanned_columns_give_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duckdb_dialect, "SMALL_DICTIONARY", 1e9)  # every dictionary column grouped
    rows = valid_rows()
    rnp = rows["rnp"]
    rnp[1]["sex"] = "X"
    rnp[3]["idcs"] = rnp[0]["idcs"]
    rnp[2]["first_name_ar"] = "FATIMA"
    rnp[4]["annex_code"] = "99.999.99.99"
    found = {}
    for dictionary in (True, False):
        paths = write_set(tmp_path / str(dictionary), "parquet", rows)
        write_parquet(paths["rnp"], "rnp", rnp, dictionary=dictionary)
        found[dictionary] = [key[1:] for key in keys(problems_of(paths))]
    assert found[True] == found[False]
    assert [(column, rule) for column, rule, *_ in found[True]] == [
        ("first_name_ar", "arabic script"),
        ("sex", "enum"),
        ("idcs", "unique"),
        ("annex_code", "annex exists"),
    ]


# --- counts and first rows -------------------------------------------------------------------


def test_count_is_full_but_only_five_first_rows_are_listed(tmp_path: Path, fmt: str) -> None:
    rows = [
        rnp_row(f"{i:010d}", {**MOHAMMED, "sex": "X" if i not in (3, 7) else "M"})
        for i in range(1, 11)
    ]
    found = with_rows(tmp_path, "rnp", rows, fmt)
    assert found == [error(tmp_path / f"rnp.{fmt}", "sex", "enum", 8, (1, 2, 4, 5, 6))]


def test_first_rows_are_data_rows_not_file_lines(tmp_path: Path) -> None:
    rows = [rnp_row(f"{i:010d}", MOHAMMED) for i in range(1, 31)]
    for i in (12, 20, 30):
        rows[i - 1]["birth_date"] = "1982-13-02"
    found = with_rows(tmp_path, "rnp", rows)
    assert found == [error(tmp_path / "rnp.csv", "birth_date", "type", 3, (12, 20, 30))]


def test_parquet_first_rows_are_one_based(tmp_path: Path) -> None:
    rows = [rnp_row(f"{i:010d}", MOHAMMED) for i in range(1, 9)]
    for row in rows:
        row["nationality"] = "Maroc"
    found = with_rows(tmp_path, "rnp", rows, "parquet")
    assert found == [error(tmp_path / "rnp.parquet", "nationality", "pattern", 8, (1, 2, 3, 4, 5))]


def test_several_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    rows = valid_rows()
    rows["rnp"][0]["sex"] = "X"
    rows["rnp"][1]["birth_date"] = "02/01/1982"
    rows["rnp"][2]["deceased"] = "maybe"
    paths = write_set(tmp_path, "csv", rows)
    found = keys(problems_of(paths))
    assert sorted(found) == sorted(
        [
            error(paths["rnp"], "sex", "enum", 1, (1,)),
            error(paths["rnp"], "birth_date", "type", 1, (2,)),
            error(paths["rnp"], "deceased", "type", 1, (3,)),
        ]
    )
