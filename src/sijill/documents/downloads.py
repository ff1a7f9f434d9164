"""Any table of the pages as CSV or XLSX.

Tables go through the report's writers (`sijill.engine.sheets`): the same XlsxWriter
workbook (an Arabic sheet is right to left) and UTF-8 CSV with a byte-order mark, so that
Excel shows Arabic. (The dashboard's PDF is `sijill.documents.pdf`'s, shared with the receipt.)
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language_bidi

from sijill.documents import words
from sijill.engine.sheets import Sheet, write_csv, write_xlsx

FORMATS = ("csv", "xlsx")
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True, slots=True)
class Table:
    """A table as a page shows it: keys (which choose Excel's number formats), headers in
    the reader's language, and plain values."""

    name: str  # file and sheet name
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: Sequence[tuple[Any, ...]]


def _plain(value: Any) -> Any:
    """What a cell holds: numbers stay numbers, lazy translations become text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _sheet(table: Table, rtl: bool) -> Sheet:
    rows = [tuple(_plain(v) for v in row) for row in table.rows]
    name = table.name[:31]
    return Sheet(name, "table", table.columns, tuple(map(str, table.headers)), rows, rtl, 1)


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=TYPES[fmt])
    filename = f"{slugify(name) or 'sijill'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(table: Table, fmt: str, rtl: bool) -> HttpResponse:
    """The table as a downloaded CSV or XLSX file (ValueError for another format)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    sheet = _sheet(table, rtl)
    with tempfile.TemporaryDirectory(prefix="sijill-export-") as folder:
        if fmt == "xlsx":
            target = Path(folder) / "table.xlsx"
            write_xlsx([sheet], target)
        else:
            write_csv([sheet], Path(folder))
            target = Path(folder) / "table.csv"
        return _attachment(target.read_bytes(), fmt, table.name)


def asked(request: HttpRequest) -> bool:
    """Whether the page's URL asks for its table as a file (`?format=`)."""
    return "format" in request.GET


def as_file(request: HttpRequest, table: Table) -> HttpResponse:
    """The table as the file the URL asks for (`?format=csv|xlsx`; 404 for another)."""
    fmt = request.GET.get("format")
    if fmt not in FORMATS:
        raise Http404
    return table_response(table, fmt, get_language_bidi())


def if_asked(request: HttpRequest, table: Table) -> HttpResponse | None:
    """The table as a file when the page's URL asks for one, else None: the page itself is
    shown."""
    return as_file(request, table) if asked(request) else None


def label(key: str) -> str:
    """A column's header in the reader's language: the words of the vocabulary's term of
    that code (any group: funnel column, figure, output column, parameter...), else the
    key itself."""
    return words.words(key)


def named(code: str, what: str) -> str:
    """A table's file name: the territory's code, then what the table holds."""
    return f"{code} {what}"
