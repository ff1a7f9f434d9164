"""`sijill validate`: exit 0 on valid input (warnings shown), 2 with a problem table otherwise.

Messages are checked in French, the command line's default language (test_messages.py covers
Arabic). The commands run in tmp_path with relative file names, so the table shows short names
that a 160-column table never folds.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from sijill.cli.app import app
from tests.extract_files import (
    COMMUNE,
    Rows,
    Value,
    valid_rows,
    write_csv,
    write_parquet,
    write_set,
)

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def validate(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def options(paths: dict[str, Path]) -> list[str]:
    """--territories territories.csv --rnp rnp.csv ... with names relative to tmp_path."""
    args = []
    for name, path in paths.items():
        args += [f"--{name}", path.name]
    return args


def set_with(fmt: str = "csv", rows: dict[str, Rows] | None = None) -> list[str]:
    return options(write_set(Path.cwd(), fmt, rows))


def broken_set(name: str, row: int, column: str, value: Value, fmt: str = "csv") -> list[str]:
    rows = valid_rows()
    rows[name][row - 1][column] = value
    return set_with(fmt, rows)


def assert_reported(output: str, *cells: str) -> None:
    """Every cell text appears on one line of the problem table."""
    lines = [line for line in output.splitlines() if all(cell in line for cell in cells)]
    assert lines, f"no table line with {cells!r} in:\n{output}"


# --- usage -------------------------------------------------------------------------------


def test_no_option_exits_2_with_a_message() -> None:
    code, output = validate()
    assert code == 2
    assert "--territories" in output
    assert "--rnp" in output


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_valid_files_exit_0_and_say_valid(fmt: str) -> None:
    code, output = validate(*set_with(fmt))
    assert code == 0, output
    assert "extraits valides" in output
    assert "Contrôle du contrat" not in output
    assert f"rnp : 5 lignes ({fmt}, rnp.{fmt})" in output


def test_one_valid_file_alone_is_valid() -> None:
    write_csv(Path("rnp.csv"), valid_rows()["rnp"])
    code, output = validate("--rnp", "rnp.csv")
    assert code == 0, output
    assert "extraits valides" in output


# --- files that cannot be read -----------------------------------------------------------


def test_missing_file() -> None:
    code, output = validate("--rnp", "absent.csv")
    assert code == 2
    assert_reported(output, "absent.csv", "fichier existant", "erreur")
    assert "extraits valides" not in output


def test_unknown_extension() -> None:
    write_csv(Path("rnp.xlsx"), valid_rows()["rnp"])
    code, output = validate("--rnp", "rnp.xlsx")
    assert code == 2
    assert_reported(output, "rnp.xlsx", "format", "erreur")


def test_directory() -> None:
    Path("rnp.csv").mkdir()
    code, output = validate("--rnp", "rnp.csv")
    assert code == 2
    assert_reported(output, "rnp.csv", "fichier existant", "dossier")


def test_empty_file() -> None:
    Path("rnp.csv").write_bytes(b"")
    code, output = validate("--rnp", "rnp.csv")
    assert code == 2
    assert_reported(output, "rnp.csv", "non vide")


@pytest.mark.parametrize(
    ("name", "rule"), [("rnp.csv", "csv lisible"), ("rnp.parquet", "parquet lisible")]
)
def test_binary_garbage(name: str, rule: str) -> None:
    Path(name).write_bytes(random.Random(11).randbytes(3000))
    code, output = validate("--rnp", name)
    assert code == 2
    assert_reported(output, name, rule, "erreur")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1256"])
def test_wrong_encoding(encoding: str) -> None:
    write_csv(Path("rnp.csv"), valid_rows()["rnp"], encoding=encoding)
    code, output = validate("--rnp", "rnp.csv")
    assert code == 2
    assert_reported(output, "rnp.csv", "csv lisible", "UTF-8")


def test_unreadable_file_does_not_hide_the_others() -> None:
    args = set_with()
    Path("rsu.csv").write_bytes(b"")
    rows = valid_rows()
    rows["amo"][0]["status"] = "approved"
    write_csv(Path("amo.csv"), rows["amo"])
    code, output = validate(*args)
    assert code == 2
    assert_reported(output, "rsu.csv", "non vide")
    assert_reported(output, "amo.csv", "status", "valeurs admises", "1")
    assert "rnp : 5 lignes" in output


# --- columns -----------------------------------------------------------------------------


def test_missing_required_column() -> None:
    args = set_with()
    write_csv(
        Path("rsu.csv"), [{k: v for k, v in r.items() if k != "score"} for r in valid_rows()["rsu"]]
    )
    code, output = validate(*args)
    assert code == 2
    assert_reported(output, "rsu.csv", "score", "colonne requise")


def test_column_in_other_case_names_the_found_column() -> None:
    args = set_with()
    rows = [{("IDCS" if k == "idcs" else k): v for k, v in r.items()} for r in valid_rows()["rnp"]]
    write_csv(Path("rnp.csv"), rows)
    code, output = validate(*args)
    assert code == 2
    assert_reported(output, "rnp.csv", "idcs", "colonne requise", "IDCS")


def test_parquet_idcs_as_int64() -> None:
    args = set_with("parquet")
    rows = [{**r, "idcs": int(str(r["idcs"]))} for r in valid_rows()["rnp"]]
    write_parquet(Path("rnp.parquet"), "rnp", rows, types={"idcs": pa.int64()})
    code, output = validate(*args)
    assert code == 2
    assert_reported(output, "rnp.parquet", "idcs", "type", "BIGINT")


def test_extra_columns_are_fine() -> None:
    rows = valid_rows()
    for row in rows["amo"]:
        row["agent"] = "Caïd Maârif"
    code, output = validate(*set_with("csv", rows))
    assert code == 0, output


# --- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "rule"),
    [
        ("rnp", 1, "sex", "X", "valeurs admises"),
        ("rsu", 2, "relation", "wife", "valeurs admises"),
        ("amo", 5, "status", "done", "valeurs admises"),
        ("territories", 5, "level", "quartier", "valeurs admises"),
        ("rnp", 2, "idcs", "001234567", "motif"),
        ("rnp", 2, "idcs", "00123456789", "motif"),
        ("rnp", 2, "idcs", "00ABC45678", "motif"),
        ("rnp", 2, "idcs", "٠١٢٣٤٥٦٧٨٩", "motif"),
        ("rnp", 1, "cin", "12345", "motif"),
        ("rnp", 1, "birth_date", "1982-13-02", "type"),
        ("rnp", 1, "birth_date", "02/01/1982", "type"),
        ("rsu", 1, "declared_at", "2023-05-02T25:00:00", "type"),
        ("rnp", 1, "deceased", "maybe", "type"),
        ("rsu", 4, "score", "élevé", "type"),
        ("rsu", 2, "address", None, "valeur requise"),
    ],
)
def test_bad_value_is_reported_with_its_row(
    name: str, row: int, column: str, value: Value, rule: str
) -> None:
    code, output = validate(*broken_set(name, row, column, value))
    assert code == 2
    assert_reported(output, f"{name}.csv", column, rule, "erreur", f"│ {row} ")


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "rows"),
    [
        ("rnp", 4, "idcs", "0012345674", "1, 4"),
        ("rsu", 5, "member_id", "M001", "1, 5"),
        ("amo", 2, "beneficiary_id", "B005", "2, 5"),
        ("territories", 5, "code", "A-00931", "4, 5"),
    ],
)
def test_duplicate_identifier_lists_all_duplicates(
    name: str, row: int, column: str, value: str, rows: str
) -> None:
    code, output = validate(*broken_set(name, row, column, value))
    assert code == 2
    assert_reported(output, f"{name}.csv", column, "unicité", "│ 2 ", rows)


def test_score_differing_within_household() -> None:
    code, output = validate(*broken_set("rsu", 3, "score", 9.5))
    assert code == 2
    assert_reported(output, "rsu.csv", "score", "identique dans household_id", "1, 2, 3")


def test_status_differing_within_amo_file() -> None:
    code, output = validate(*broken_set("amo", 1, "status", "rejected"))
    assert code == 2
    assert_reported(output, "amo.csv", "status", "identique dans amo_file_id", "1, 2, 3")


def test_eight_bad_rows_show_count_8_and_five_first_rows() -> None:
    rows = valid_rows()
    rsu = rows["rsu"]
    rsu += [{**rsu[4], "member_id": f"M1{i:02d}"} for i in range(5)]  # 10 rows
    for i in (0, 1, 2, 4, 5, 6, 7, 9):
        rsu[i]["sex"] = "H"
    code, output = validate(*set_with("csv", rows))
    assert code == 2
    assert_reported(output, "rsu.csv", "sex", "valeurs admises", "│ 8 ", "1, 2, 3, 5, 6 ")
    assert "8, 10" not in output


# --- territories and annexes ---------------------------------------------------------------


def test_territory_parent_that_does_not_exist() -> None:
    code, output = validate(*broken_set("territories", 4, "parent_code", "0000000"))
    assert code == 2
    assert_reported(output, "territories.csv", "parent_code", "parent existant", "│ 4 ")


def test_region_with_a_parent() -> None:
    code, output = validate(*broken_set("territories", 1, "parent_code", COMMUNE))
    assert code == 2
    assert_reported(output, "territories.csv", "parent_code", "région sans parent")


def test_commune_whose_parent_is_a_region() -> None:
    code, output = validate(*broken_set("territories", 3, "parent_code", "06"))
    assert code == 2
    assert_reported(output, "territories.csv", "parent_code", "niveau du parent", "│ 3 ")


def test_annex_code_naming_a_commune_is_an_error() -> None:
    code, output = validate(*broken_set("rnp", 3, "annex_code", COMMUNE))
    assert code == 2
    assert_reported(output, "rnp.csv", "annex_code", "niveau annexe", "erreur", "│ 3 ")


def test_unknown_annex_code_is_a_warning_and_still_valid() -> None:
    code, output = validate(*broken_set("rnp", 3, "annex_code", "A-12345"))
    assert code == 0, output
    assert_reported(output, "rnp.csv", "annex_code", "annexe existante", "avertissement", "│ 3 ")
    assert "extraits valides" in output


# --- what the table may show -------------------------------------------------------------


@pytest.mark.parametrize("name", ["rnp[old].csv", "[/old].csv"])
def test_file_names_with_brackets_are_shown_as_they_are(name: str) -> None:
    Path(name).parent.mkdir(exist_ok=True)  # "[/old].csv" is "old].csv" in a folder "["
    write_csv(Path(name), [{"idcs": "0012345674"}])
    code, output = validate("--rnp", name)
    assert code == 2
    assert_reported(output, name, "sex", "colonne requise")


# --- the installed command ---------------------------------------------------------------


def test_installed_command_exits_2_without_traceback() -> None:
    sijill = Path(sys.executable).with_name("sijill")
    if not sijill.exists():
        pytest.skip("sijill entry point not installed next to this interpreter")
    Path("rnp.parquet").write_bytes(random.Random(3).randbytes(1000))
    done = subprocess.run(
        [str(sijill), "validate", "--rnp", "rnp.parquet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert_reported(done.stdout, "rnp.parquet", "parquet lisible", "erreur")
