"""Tables as spreadsheets people open: one XlsxWriter workbook, or UTF-8 CSV files.

Every human-facing table of sijill (the report, the pages' downloads) is written here, so
the one defence against spreadsheet formula injection sits here too (OWASP "CSV
Injection"): a workbook stores every text cell as text, never as a formula or a link, and
a CSV text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
`@`, a tab or a carriage return) is prefixed with an apostrophe. Numbers stay numbers. The
contract's extracts are not written here: they are data for programs and keep every value
exactly as it is.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from sijill.engine.reconcile import funnel

# Excel number format of a column (by key); text and general values have none.
NUMBER_FORMAT = (
    dict.fromkeys((*funnel.COUNTS, "rnp_not_in_rsu", "count"), "#,##0")
    | dict.fromkeys(("rsu_single_share", "observed", "expected"), "0.0%")
    | dict.fromkeys(("p_value", "q_value"), "0.00E+00")
)
# What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str  # worksheet name, at most 31 characters
    file: str  # CSV file name without extension, in French
    columns: tuple[str, ...]  # keys, which also choose the number format
    headers: tuple[str, ...]
    rows: Sequence[tuple[Any, ...]]
    rtl: bool = False
    frozen: int = 0  # leading columns kept in view
    highlight: str | None = None  # boolean column whose true rows are highlighted


def inert(value: object) -> object:
    """A CSV cell that no spreadsheet evaluates: text that would start a formula gets a
    leading apostrophe; booleans are written `true`/`false`; anything else is unchanged."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _shown(value: object, fmt: str | None) -> str:
    """About what Excel shows for a value, to size its column."""
    if value is None:
        return ""
    if fmt and isinstance(value, int):
        return f"{value:,}"
    return fmt if fmt and isinstance(value, float) else str(value)


def _width(sheet: Sheet, col: int) -> int:
    fmt = NUMBER_FORMAT.get(sheet.columns[col])
    longest = max((len(_shown(r[col], fmt)) for r in sheet.rows[:500]), default=0)
    return min(max(longest, min(len(sheet.headers[col]), 20), 6) + 2, 60)


def _write_sheet(book: Any, sheet: Sheet, formats: dict[str, Any]) -> None:
    ws = book.add_worksheet(sheet.name)
    if sheet.rtl:
        ws.right_to_left()
    widths = [_width(sheet, c) for c in range(len(sheet.columns))]
    for col, column in enumerate(sheet.columns):
        ws.set_column(col, col, widths[col], formats.get(NUMBER_FORMAT.get(column, "")))
    lines = max(-(-len(h) // (w - 1)) for h, w in zip(sheet.headers, widths, strict=True))
    ws.set_row(0, 15 * min(lines, 6) + 3)
    ws.write_row(0, 0, sheet.headers, formats["header"])
    for row, values in enumerate(sheet.rows, start=1):
        ws.write_row(row, 0, values)
    ws.freeze_panes(1, sheet.frozen)
    last = len(sheet.columns) - 1
    ws.autofilter(0, 0, max(len(sheet.rows), 1), last)
    if sheet.highlight and sheet.rows:
        flag = xl_col_to_name(sheet.columns.index(sheet.highlight))
        criteria = {"type": "formula", "criteria": f"=${flag}2=TRUE", "format": formats["flag"]}
        ws.conditional_format(1, 0, len(sheet.rows), last, criteria)


# Text is text: XlsxWriter would otherwise turn "=..." into a live formula and "http..."
# into a link.
_WORKBOOK = {
    "constant_memory": True,
    "nan_inf_to_errors": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def write_xlsx(sheets: Sequence[Sheet], out: Path) -> None:
    work = out.with_name(f".{out.name}.partial-{os.getpid()}")
    book = xlsxwriter.Workbook(str(work), _WORKBOOK)
    formats = {f: book.add_format({"num_format": f}) for f in set(NUMBER_FORMAT.values())}
    formats["header"] = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "bottom": 1}
    )
    formats["flag"] = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    try:
        for sheet in sheets:
            _write_sheet(book, sheet, formats)
        book.close()
        work.replace(out)
    finally:
        work.unlink(missing_ok=True)


def write_csv(sheets: Sequence[Sheet], out: Path) -> None:
    """One UTF-8 CSV with a byte-order mark per sheet, so Excel shows Arabic correctly."""
    out.mkdir(parents=True, exist_ok=True)
    for sheet in sheets:
        target = out / f"{sheet.file}.csv"
        work = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            with work.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([inert(h) for h in sheet.headers])
                writer.writerows([inert(v) for v in row] for row in sheet.rows)
            work.replace(target)
        finally:
            work.unlink(missing_ok=True)
