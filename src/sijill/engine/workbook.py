"""`sijill report`: a reconciliation output folder as one Excel workbook or CSV files.

The report has no words of its own: every sheet name, header and text is a term of
`sijill.domain.vocabulary`, written in the words of the readers its caller gives (a
language, its direction and its words; `sijill.i18n.readers()` gives one per catalogue).
The funnel gets one sheet per level and per reader; the other sheets are shared, headed in
every reader's words (docs/report.md). Findings are never loaded whole: counted per kind in
SQL, only each kind's first FIRST_ROWS rows are read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from sijill.domain import vocabulary
from sijill.domain.contract import FINDING_COLUMNS, SPLIT_COLUMNS
from sijill.domain.message import Message, Refused
from sijill.domain.vocabulary import Reader, Term
from sijill.engine.extracts.sources import sql_string
from sijill.engine.reconciliation import funnel
from sijill.engine.reconciliation.anomalies import SCHEMA as ANOMALY_SCHEMA
from sijill.engine.reconciliation.findings import KINDS
from sijill.engine.sheets import Sheet, write_csv, write_xlsx

FORMATS = ("xlsx", "csv")
LEVELS = tuple(vocabulary.LEVELS)
FIRST_ROWS = 1_000  # findings shown per kind
MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows minus the header
REQUIRED = {
    "funnel": funnel.COLUMNS,
    "findings": FINDING_COLUMNS,
    "anomalies": tuple(ANOMALY_SCHEMA.names),
    "split_suspects": SPLIT_COLUMNS,
}
TERRITORY = ("code", "level", "name_fr", "name_ar")
COUNTS = tuple(c for c in funnel.COLUMNS if c not in TERRITORY)
# Where a column's words are found: the funnel's columns, then the other outputs'.
HEADERS = (vocabulary.FUNNEL, vocabulary.COLUMNS)
# Keys of the run's summary.json shown beside its parameters, one row each.
SUMMARY_VALUES = ("engine", "links")
SUMMARY_TABLES = ("inputs", "outputs", "timings")

Row = tuple[Any, ...]
Readers = Sequence[Reader]


# --- words ------------------------------------------------------------------------------------
def said(reader: Reader, message_id: str) -> str:
    """A reader's words for a message id; nothing for no id (a catalogue's words for the
    empty id are its header, never a text to show)."""
    return reader.words(message_id) if message_id else ""


def shared(readers: Readers, message_id: str) -> str:
    """Words every reader reads: each reader's own, once each, joined by " / "."""
    return " / ".join(dict.fromkeys(said(r, message_id) for r in readers))


def each(readers: Readers, message_id: str) -> tuple[str, ...]:
    """One text per reader, in that reader's words."""
    return tuple(said(r, message_id) for r in readers)


def own_headers(readers: Readers, message_id: str) -> tuple[str, ...]:
    """Headers of columns written one per reader, each in its reader's words; the language
    code tells apart readers whose words are the same (an untranslated id)."""
    texts = each(readers, message_id)
    return tuple(
        text if texts.count(text) == 1 else f"{text} ({reader.language})"
        for reader, text in zip(readers, texts, strict=True)
    )


def _column(code: str) -> Term:
    return vocabulary.term(code, *HEADERS)


def _per_reader(code: str, readers: Readers) -> tuple[str, ...]:
    """Keys of a column written once per reader (no number format: they hold text)."""
    return tuple(f"{code}:{r.language}" for r in readers)


def _shared_sheet(
    readers: Readers,
    sheet: str,
    columns: tuple[str, ...],
    rows: Sequence[Row],
    headers: tuple[str, ...] = (),
    **options: Any,
) -> Sheet:
    """A sheet every reader reads: named in the first reader's words (its CSV file too),
    each header in every reader's words unless the headers are given."""
    headers = headers or tuple(shared(readers, _column(c).words) for c in columns)
    name = said(readers[0], vocabulary.SHEETS[sheet].words)
    return Sheet(name, name, columns, headers, rows, **options)


# --- reading the run ------------------------------------------------------------------------
def _summary(run_dir: Path) -> dict[str, Any]:
    """The run's summary, once every file the report reads is there; ValueError otherwise."""
    if not run_dir.is_dir():
        raise Refused(
            Message(
                "run folder {path} does not exist: run `sijill reconcile` first",
                {"path": str(run_dir)},
            )
        )
    for name in (*(f"{n}.parquet" for n in REQUIRED), "summary.json"):
        if not (run_dir / name).is_file():
            raise Refused(
                Message(
                    "incomplete run folder {path}: {name} is missing",
                    {"path": str(run_dir), "name": name},
                )
            )
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        path = str(run_dir / "summary.json")
        raise Refused(
            Message("{path} is not readable JSON: {error}", {"path": path, "error": str(exc)})
        ) from exc
    if not isinstance(summary, dict) or not isinstance(summary.get("parameters"), dict):
        path = str(run_dir / "summary.json")
        raise Refused(Message("{path} has no 'parameters' object", {"path": path}))
    return summary


def _views(con: duckdb.DuckDBPyConnection, run_dir: Path) -> None:
    """One view per output read, named as the output; ValueError on a missing column."""
    for name, columns in REQUIRED.items():
        path = run_dir / f"{name}.parquet"
        try:
            con.execute(f"CREATE VIEW {name} AS FROM read_parquet({sql_string(str(path))})")
            found = {row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()}
        except duckdb.Error as exc:
            error = str(exc).splitlines()[0]
            raise Refused(
                Message(
                    "{path} is not a readable Parquet file: {error}",
                    {"path": str(path), "error": error},
                )
            ) from exc
        if missing := [c for c in columns if c not in found]:
            raise Refused(
                Message(
                    "{name} lacks column(s) {columns}",
                    {"name": path.name, "columns": ", ".join(missing)},
                )
            )


def _rows(con: duckdb.DuckDBPyConnection, query: str, *args: object) -> list[Row]:
    return [tuple(row) for row in con.execute(query, list(args)).fetchall()]


# --- the sheets -----------------------------------------------------------------------------
def funnel_sheets(con: duckdb.DuckDBPyConnection, readers: Readers) -> list[Sheet]:
    """Per reader (in the order given), one sheet per level, in that reader's words."""
    query = f"SELECT code, name_fr, name_ar, {', '.join(COUNTS)} FROM funnel WHERE level = ?"
    rows = {lv: _rows(con, f"{query} ORDER BY code LIMIT {MAX_ROWS}", lv) for lv in LEVELS}
    return [_funnel_sheet(readers, i, level, rows[level])
            for i in range(len(readers)) for level in LEVELS]  # fmt: skip


def _funnel_sheet(readers: Readers, index: int, level: str, rows: Sequence[Row]) -> Sheet:
    """A level's funnel for one reader: right to left with the Arabic names for a
    right-to-left reader, left to right with the French names otherwise. Its CSV file is
    named in the first reader's words, with the reader's language after the first."""
    reader, sheet = readers[index], vocabulary.SHEETS[level].words
    columns = ("code", "name", *COUNTS)
    headers = tuple(said(reader, _column(c).words) for c in columns)
    named = [(r[0], r[2] if reader.rtl else r[1], *r[3:]) for r in rows]
    file = said(readers[0], sheet) + (f" ({reader.language})" if index else "")
    return Sheet(said(reader, sheet), file, columns, headers, named, reader.rtl, frozen=2)


def findings_sheets(con: duckdb.DuckDBPyConnection, readers: Readers) -> tuple[Sheet, list[Sheet]]:
    """Counts per kind and source (every kind listed, zero or not), with what each kind is
    and what to do in every reader's words; and each kind's first rows."""
    counted = _rows(con, "SELECT kind, source, count(*) FROM findings GROUP BY ALL ORDER BY ALL")
    kinds = list(KINDS) + sorted({k for k, _, _ in counted} - set(KINDS))
    rows: list[Row] = []
    for kind in kinds:
        found = [r for r in counted if r[0] == kind] or [(kind, None, 0)]
        term = vocabulary.term(kind, vocabulary.FINDINGS)
        texts = (*each(readers, term.words), *each(readers, term.action))
        rows += [(*r, *texts) for r in found]
    columns = ("kind", "source", "count", *_per_reader("description", readers),
               *_per_reader("action", readers))  # fmt: skip
    headers = (
        *(shared(readers, _column(c).words) for c in columns[:3]),
        *own_headers(readers, _column("description").words),
        *own_headers(readers, _column("action").words),
    )
    select = f"SELECT {', '.join(FINDING_COLUMNS)} FROM findings WHERE kind = ? LIMIT ?"
    details = [_kind_sheet(readers, k, _rows(con, select, k, FIRST_ROWS)) for k in kinds]
    return _shared_sheet(readers, "findings", columns, rows, headers=headers), details


def _kind_sheet(readers: Readers, kind: str, rows: Sequence[Row]) -> Sheet:
    """A kind's first findings, named by the kind's code, the code of its `kind` column."""
    headers = tuple(shared(readers, _column(c).words) for c in FINDING_COLUMNS)
    return Sheet(kind, kind, FINDING_COLUMNS, headers, rows)


def anomaly_sheets(con: duckdb.DuckDBPyConnection, readers: Readers) -> list[Sheet]:
    """Anomalies (flagged first, highlighted) with what each indicator means in every
    reader's words, and split suspects; both with the annexes' names."""
    names = "LEFT JOIN funnel t ON t.code = a.annex_code AND t.level = 'annex'"
    found = _rows(
        con,
        "SELECT a.annex_code, t.name_fr, t.name_ar, a.indicator, a.observed, a.expected, "
        f"a.p_value, a.q_value, a.flagged FROM anomalies a {names} "
        f"ORDER BY a.flagged DESC, a.q_value, a.annex_code, a.indicator LIMIT {MAX_ROWS}",
    )
    rows = [(*r, *each(readers, _meaning(r[3]))) for r in found]
    columns = ("annex_code", "name_fr", "name_ar", "indicator", *ANOMALY_SCHEMA.names[2:])
    headers = (*(shared(readers, _column(c).words) for c in columns),
               *own_headers(readers, _column("meaning").words))  # fmt: skip
    splits = _rows(
        con,
        "SELECT a.cluster_id, a.household_id, a.idcs, a.annex_code, t.name_fr, t.name_ar, "
        f"a.reason FROM split_suspects a {names} "
        f"ORDER BY a.annex_code, a.cluster_id, a.household_id LIMIT {MAX_ROWS}",
    )
    split_columns = (*SPLIT_COLUMNS[:4], "name_fr", "name_ar", "reason")
    return [
        _shared_sheet(readers, "anomalies", (*columns, *_per_reader("meaning", readers)), rows,
                      headers=headers, frozen=1, highlight="flagged"),
        _shared_sheet(readers, "split_suspects", split_columns, splits, frozen=1),
    ]  # fmt: skip


def _meaning(indicator: str) -> str:
    """What an indicator means; its code when the vocabulary does not know it."""
    term = vocabulary.term(indicator, vocabulary.INDICATORS)
    return term.meaning or term.words


def parameter_sheet(summary: Mapping[str, Any], readers: Readers) -> Sheet:
    """Parameters, engine, input and output row counts, warnings and timings of the run:
    one label column per reader, then the value."""
    rows: list[Row] = [
        (*each(readers, vocabulary.term(key, vocabulary.PARAMETERS).words), value)
        for key, value in summary["parameters"].items()
    ]
    said_of = vocabulary.RUN_SUMMARY
    rows += [(*each(readers, said_of[k].words), summary[k]) for k in SUMMARY_VALUES if k in summary]
    for key in SUMMARY_TABLES:
        # `{name}` is replaced, not formatted: a stray brace in a translation stays text.
        labels = each(readers, said_of[key].words)
        rows += [(*(label.replace("{name}", str(name)) for label in labels), value)
                 for name, value in summary.get(key, {}).items()]  # fmt: skip
    rows.append((*each(readers, said_of["warnings"].words), len(summary.get("warnings", []))))
    columns = (*_per_reader("parameter", readers), "value")
    headers = (*own_headers(readers, _column("parameter").words),
               shared(readers, _column("value").words))  # fmt: skip
    return _shared_sheet(readers, "parameters", columns, rows, headers=headers, frozen=1)


def sheets(run_dir: Path, readers: Readers) -> list[Sheet]:
    """Every table of the report, in workbook order."""
    summary = _summary(run_dir)
    with duckdb.connect() as con:
        _views(con, run_dir)
        findings, details = findings_sheets(con, readers)
        return [
            *funnel_sheets(con, readers), findings, *anomaly_sheets(con, readers),
            parameter_sheet(summary, readers), *details,
        ]  # fmt: skip


def write_report(run_dir: Path, fmt: str, out: Path | None = None, *, readers: Readers) -> Path:
    """Write the report of a reconciliation output folder; returns the file or folder written.

    fmt "xlsx": one workbook (default RUN_DIR/report.xlsx); "csv": one CSV per sheet
    (default RUN_DIR/report/). `readers` are whom it is written for, in the order their
    sheets and columns come (`sijill.i18n.readers()`: left to right first). Raises
    ValueError on an unknown format, no reader or an incomplete run.
    """
    if fmt not in FORMATS:
        raise Refused(
            Message(
                "unknown report format {format}: use one of {formats}",
                {"format": repr(fmt), "formats": ", ".join(FORMATS)},
            )
        )
    if not readers:
        raise ValueError("a report needs at least one reader")
    tables = sheets(run_dir, readers)
    target = out or run_dir / ("report.xlsx" if fmt == "xlsx" else "report")
    if fmt == "xlsx":
        target.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(tables, target)
    else:
        write_csv(tables, target)
    return target
