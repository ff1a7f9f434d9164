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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from sijill.domain import vocabulary

# Excel's number format of each way the vocabulary writes numbers; others have none.
EXCEL_FORMATS = {
    vocabulary.COUNT: "#,##0",
    vocabulary.SHARE: "0.0%",
    vocabulary.PROBABILITY: "0.00E+00",
}


def _number_formats() -> Mapping[str, str]:
    """A column key's number format: that of its term, found as `vocabulary.term` finds it
    (the first group holding the code)."""
    numbers: dict[str, str] = {}
    for group in vocabulary.GROUPS.values():
        for code, term in group.items():
            numbers.setdefault(code, term.number)
    formats = {c: EXCEL_FORMATS[n] for c, n in numbers.items() if n in EXCEL_FORMATS}
    return MappingProxyType(formats)


NUMBER_FORMAT = _number_formats()
# What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What Excel refuses in a sheet name, and Windows or POSIX in a file name.
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
SHEET_NAME_LENGTH = 31
FILE_NAME_LENGTH = 50  # characters: well under 255 bytes in UTF-8, temporary suffix included


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str  # worksheet name; made valid and unique where the workbook is written
    file: str  # CSV file name without extension; made valid and unique likewise
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


def unique_names(names: Iterable[str], forbidden: re.Pattern[str], limit: int) -> list[str]:
    """Names a spreadsheet or a file system takes, in order: forbidden characters become
    spaces, names are cut to `limit`, and a name already taken (Excel ignores case) gets
    ` (2)`, ` (3)`... Translated names come from catalogues the code does not control."""
    taken: set[str] = set()
    result = []
    for raw in names:
        base = forbidden.sub(" ", raw).strip(" '")[:limit] or "-"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base[: limit - len(f' ({n})')]} ({n})"
        taken.add(name.casefold())
        result.append(name)
    return result


def _write_sheet(book: Any, sheet: Sheet, name: str, formats: dict[str, Any]) -> None:
    ws = book.add_worksheet(name)
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
    names = unique_names((s.name for s in sheets), NOT_IN_SHEET_NAMES, SHEET_NAME_LENGTH)
    try:
        for sheet, name in zip(sheets, names, strict=True):
            _write_sheet(book, sheet, name, formats)
        book.close()
        work.replace(out)
    finally:
        work.unlink(missing_ok=True)


def write_csv(sheets: Sequence[Sheet], out: Path) -> None:
    """One UTF-8 CSV with a byte-order mark per sheet, so Excel shows Arabic correctly."""
    out.mkdir(parents=True, exist_ok=True)
    files = unique_names((s.file for s in sheets), NOT_IN_FILE_NAMES, FILE_NAME_LENGTH)
    for sheet, file in zip(sheets, files, strict=True):
        target = out / f"{file}.csv"
        work = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            with work.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([inert(h) for h in sheet.headers])
                writer.writerows([inert(v) for v in row] for row in sheet.rows)
            work.replace(target)
        finally:
            work.unlink(missing_ok=True)
