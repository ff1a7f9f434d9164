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
from typing import TYPE_CHECKING

import duckdb

from sijill.domain.contract import Extract
from sijill.domain.message import Message
from sijill.domain.vocabulary import words as _  # marks a rule's code for the catalogues
from sijill.engine.extracts.problems import Problem
from sijill.engine.locations import Files, Location, files_of, suffix_of

if TYPE_CHECKING:
    from sijill.engine.backends import Connection

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


@dataclass(frozen=True, slots=True)
class Source:
    extract: Extract
    path: Location  # a local path, or a URI on Spark (engine/locations.py)
    format: str
    relation: str  # name of the raw relation, with a 1-based `_row` column
    types: dict[str, str]  # column name -> DuckDB type, as found in the file
    rows: int


class Unreadable(Exception):
    """A file an engine could not read; the text is the engine's own words."""


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _first_line(message: str) -> str:
    """DuckDB's own words, shown as they are: its texts are not ours to translate."""
    line = message.strip().splitlines()[0] if message.strip() else "unreadable"
    # DuckDB prefixes its class of error ("Invalid Input Error: "); the reader needs the rest.
    return re.sub(r"^[A-Za-z ]+ Error: ", "", line)


def _unreadable(message: str) -> Message:
    return Message("the file cannot be read: {error}", {"error": _first_line(message)})


def _csv_problem(message: str) -> Message:
    found = re.search(r"CSV Error on Line: (\d+)", message)
    line = int(found.group(1)) if found else None
    # Every DuckDB CSV error names the encoding it tried; only this one is about the bytes.
    if "invalid unicode" in message.lower():
        return _not_utf8(line)
    if line is None:
        return _unreadable(message)
    error = _first_line(message)
    return Message("the file cannot be read (line {line}): {error}", {"line": line, "error": error})


def _not_utf8(line: int | None) -> Message:
    if line is None:
        return Message("not valid UTF-8: save the file as UTF-8")
    return Message("not valid UTF-8 (line {line}): save the file as UTF-8", {"line": line})


def _encoding_problem(files: Files, path: Location) -> Message | None:
    """A look at the first bytes: DuckDB's sniffer says little about a UTF-16 or binary file."""
    head = files.head(path, 1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return Message("not UTF-8 text (UTF-16 or binary data): save the file as UTF-8")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the sample's end
            return _not_utf8(head[: exc.start].count(b"\n") + 1)
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


def open_source(con: Connection, extract: Extract, path: Location) -> Source | Problem:
    shown = str(path)
    files = files_of(con, path)
    fmt = FORMATS.get(suffix_of(path).lower())
    if not files.exists(path):
        return Problem(shown, "", _("file exists"), detail=Message("no such file"))
    if files.is_dir(path):
        return Problem(shown, "", _("file exists"), detail=Message("is a directory, not a file"))
    if fmt is None:
        return Problem(shown, "", _("format"), detail=_unknown_extension(suffix_of(path)))
    if files.size(path) == 0:
        return Problem(shown, "", _("not empty"), detail=Message("the file is empty"))
    encoding = _encoding_problem(files, path) if fmt == "csv" else None
    if encoding:
        return Problem(shown, "", _("readable csv"), detail=encoding)
    relation = f"raw_{extract.name}"
    # The Spark backend opens files its own way (engine/spark/extracts.py).
    scan = getattr(con, "scan_extract", None) or (lambda *a: _scan(con, *a))
    try:
        types, rows = scan(relation, str(path), fmt)
    except Unreadable as exc:
        if fmt == "csv":
            return Problem(shown, "", _("readable csv"), detail=_csv_problem(str(exc)))
        return Problem(shown, "", _("readable parquet"), detail=_unreadable(str(exc)))
    return Source(extract, path, fmt, relation, types, rows)


def _scan(con: Connection, relation: str, path: str, fmt: str) -> tuple[dict[str, str], int]:
    """Open a file in DuckDB as `relation`: its columns and types, and its rows."""
    kind = "TABLE" if fmt == "csv" else "VIEW"
    try:
        con.execute(f"CREATE OR REPLACE {kind} {relation} AS {_scan_sql(Path(path), fmt)}")
        types = {
            name: dtype
            for name, dtype, *_ in con.execute(f"DESCRIBE {relation}").fetchall()
            if name != "_row"
        }
        counted = con.execute(f"SELECT count(*) FROM {relation}").fetchone()
    except duckdb.Error as exc:
        raise Unreadable(str(exc)) from exc
    return types, int(counted[0]) if counted else 0


def _unknown_extension(suffix: str) -> Message:
    if not suffix:
        return Message("no extension: use .csv or .parquet")
    extension = repr(suffix)
    return Message("unknown extension {extension}: use .csv or .parquet", {"extension": extension})
