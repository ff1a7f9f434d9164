"""Open one extract file in DuckDB as a raw relation with row numbers, or say why it can't be.

CSV is read with every column as text so that identifiers keep their leading zeros and
values can be checked before they are typed; it is materialized once so that a decoding
error anywhere in the file surfaces here, not halfway through a later query.
Parquet keeps its own types and is scanned in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sijill.domain.contract import Extract
from sijill.engine.extracts.problems import Problem

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


@dataclass(frozen=True, slots=True)
class Source:
    extract: Extract
    path: Path
    format: str
    relation: str  # name of the raw relation, with a 1-based `_row` column
    types: dict[str, str]  # column name -> DuckDB type, as found in the file
    rows: int


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "unreadable"
    # DuckDB prefixes its class of error ("Invalid Input Error: "); the reader needs the rest.
    return re.sub(r"^[A-Za-z ]+ Error: ", "", line)


def _csv_problem(message: str) -> str:
    line = re.search(r"CSV Error on Line: (\d+)", message)
    where = f" (line {line.group(1)})" if line else ""
    # Every DuckDB CSV error names the encoding it tried; only this one is about the bytes.
    if "invalid unicode" in message.lower():
        return f"not valid UTF-8{where}: save the file as UTF-8"
    return _first_line(message) + where


def _encoding_problem(path: Path) -> str | None:
    """A look at the first bytes: DuckDB's sniffer says little about a UTF-16 or binary file."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return "not UTF-8 text (UTF-16 or binary data): save the file as UTF-8"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the sample's end
            line = head[: exc.start].count(b"\n") + 1
            return f"not valid UTF-8 (line {line}): save the file as UTF-8"
    return None


def _scan_sql(path: Path, fmt: str) -> str:
    if fmt == "csv":
        return (
            f"SELECT row_number() OVER () AS _row, * FROM read_csv({sql_string(str(path))}, "
            "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', "
            "strict_mode = true, skip = 0)"
        )
    return (
        f"SELECT file_row_number + 1 AS _row, * EXCLUDE (file_row_number) "
        f"FROM read_parquet({sql_string(str(path))}, file_row_number = true)"
    )


def open_source(con: duckdb.DuckDBPyConnection, extract: Extract, path: Path) -> Source | Problem:
    shown = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if not path.exists():
        return Problem(shown, "", "file exists", detail="no such file")
    if path.is_dir():
        return Problem(shown, "", "file exists", detail="is a directory, not a file")
    if fmt is None:
        return Problem(
            shown,
            "",
            "format",
            detail=f"unknown extension {path.suffix or '(none)'!r}: use .csv or .parquet",
        )
    if path.stat().st_size == 0:
        return Problem(shown, "", "not empty", detail="the file is empty")
    encoding = _encoding_problem(path) if fmt == "csv" else None
    if encoding:
        return Problem(shown, "", "readable csv", detail=encoding)
    relation = f"raw_{extract.name}"
    kind = "TABLE" if fmt == "csv" else "VIEW"
    try:
        con.execute(f"CREATE OR REPLACE {kind} {relation} AS {_scan_sql(path, fmt)}")
        types = {
            name: dtype
            for name, dtype, *_ in con.execute(f"DESCRIBE {relation}").fetchall()
            if name != "_row"
        }
        counted = con.execute(f"SELECT count(*) FROM {relation}").fetchone()
    except duckdb.Error as exc:
        message = str(exc)
        detail = _csv_problem(message) if fmt == "csv" else _first_line(message)
        return Problem(shown, "", f"readable {fmt}", detail=detail)
    rows = int(counted[0]) if counted else 0
    return Source(extract, path, fmt, relation, types, rows)
