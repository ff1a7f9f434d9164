"""sijill.engine.sheets: every human-facing table written as XLSX or CSV, with no cell a
spreadsheet would run as a formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from sijill.domain import vocabulary
from sijill.engine.sheets import (
    EXCEL_FORMATS,
    NOT_IN_SHEET_NAMES,
    NUMBER_FORMAT,
    Sheet,
    inert,
    unique_names,
    write_csv,
    write_xlsx,
)

ATTACKS = (
    '=HYPERLINK("http://evil.example","clic")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
SAFE = ("0012345678", "محمد العلوي", "Casablanca", "http://example.org", "a=b", "")


def sheet(values: tuple[object, ...]) -> Sheet:
    rows = [(v, 7, -3.5, True) for v in values]
    columns = ("name", "rnp_persons", "observed", "flagged")
    return Sheet("t", "t", columns, ("Nom", "=Personnes", "Part", "Signalée"), rows)


@pytest.mark.parametrize("value", ATTACKS)
def test_text_that_starts_a_formula_is_made_inert_in_csv(value: str) -> None:
    assert inert(value) == "'" + value


@pytest.mark.parametrize("value", SAFE)
def test_other_text_is_left_as_it_is(value: str) -> None:
    assert inert(value) == value


def test_numbers_and_booleans_stay_what_they_are() -> None:
    assert [inert(v) for v in (-3, -0.5, 0, None)] == [-3, -0.5, 0, None]
    assert [inert(True), inert(False)] == ["true", "false"]


def test_no_csv_cell_starts_a_formula(tmp_path: Path) -> None:
    write_csv([sheet(ATTACKS + SAFE)], tmp_path)
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][1] == "'=Personnes"
    cells = [row[0] for row in rows[1:]]
    assert cells == ["'" + a for a in ATTACKS] + list(SAFE)
    assert [row[1:] for row in rows[1:2]] == [["7", "-3.5", "true"]]


def test_no_xlsx_cell_is_a_formula_or_a_link(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    write_xlsx([sheet(ATTACKS + SAFE)], target)
    ws = openpyxl.load_workbook(target).worksheets[0]
    cells = [ws.cell(r, 1) for r in range(2, 2 + len(ATTACKS) + len(SAFE))]
    # openpyxl leaves the workbook's escape of a carriage return as it is stored.
    assert [(c.value or "").replace("_x000D_", "\r") for c in cells] == list(ATTACKS + SAFE)
    assert {c.data_type for c in cells if c.value} == {"s"}  # text, never "f" (formula)
    assert all(c.hyperlink is None for c in cells)
    assert ws.cell(1, 2).data_type == "s" and ws.cell(2, 2).value == 7


def test_number_formats_follow_the_vocabulary() -> None:
    assert NUMBER_FORMAT["rnp_persons"] == NUMBER_FORMAT["count"] == "#,##0"
    assert NUMBER_FORMAT["rsu_single_share"] == NUMBER_FORMAT["observed"] == "0.0%"
    assert NUMBER_FORMAT["q_value"] == NUMBER_FORMAT["match_probability"] == "0.00E+00"
    for group in vocabulary.GROUPS.values():
        for code, term in group.items():
            if vocabulary.term(code) is term:  # the term a bare code finds
                assert NUMBER_FORMAT.get(code) == EXCEL_FORMATS.get(term.number), code
    assert "name" not in NUMBER_FORMAT and "validation_days" not in NUMBER_FORMAT


def test_sheet_and_file_names_are_made_valid_and_unique(tmp_path: Path) -> None:
    names = ["Funnel: regions", "a" * 40, "Sheet", "sheet", "'Quoted'", "[*?/\\]"]
    valid = unique_names(names, NOT_IN_SHEET_NAMES, 31)
    assert valid == ["Funnel  regions", "a" * 31, "Sheet", "sheet (2)", "Quoted", "-"]
    base = sheet(SAFE)
    tables = [replace(base, name=n, file=n.replace(":", "/")) for n in names[:4]]
    write_xlsx(tables, tmp_path / "t.xlsx")
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == valid[:4]
    write_csv(tables, tmp_path / "csv")
    assert sorted(p.stem for p in (tmp_path / "csv").iterdir()) == sorted(
        ["Funnel  regions", "a" * 40, "Sheet", "sheet (2)"]
    )
