"""Small valid extract sets and writers to real CSV and Parquet files, for the contract tests.

Rows hold Python values (str, date, datetime, bool, float, None). The CSV writer renders them
as the contract's text forms; the Parquet writer stores them with the contract's native types
(date32, timestamp, bool, float64, strings). A test breaks one value of a fresh valid set and
checks that exactly the expected problem comes back.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from sijill.engine.contract import BOOLEAN, DATE, EXTRACTS, FLOAT, TIMESTAMP
from sijill.engine.extracts import INPUT_ORDER, read_extracts
from sijill.engine.problems import Problem

Value = str | int | float | bool | date | datetime | None
Row = dict[str, Value]
Rows = list[Row]

# Territory codes are opaque: none of them encodes its parent.
REGION, PROVINCE, COMMUNE, ANNEX_1, ANNEX_2 = "06", "0141", "0007302", "A-00931", "A-00932"


def territories_rows() -> Rows:
    return [
        _territory(REGION, None, "region", "جهة الدار البيضاء سطات", "Casablanca-Settat"),
        _territory(PROVINCE, REGION, "province", "عمالة الدار البيضاء أنفا", "Casablanca-Anfa"),
        _territory(COMMUNE, PROVINCE, "commune", "جماعة الدار البيضاء", "Commune de Casablanca"),
        _territory(ANNEX_1, COMMUNE, "annex", "الملحقة الإدارية المعاريف", "Annexe Maârif"),
        _territory(ANNEX_2, COMMUNE, "annex", "الملحقة الإدارية بوركون", "Annexe Bourgogne"),
    ]


def _territory(code: str, parent: str | None, level: str, name_ar: str, name_fr: str) -> Row:
    return {
        "code": code,
        "parent_code": parent,
        "level": level,
        "name_ar": name_ar,
        "name_fr": name_fr,
    }


def _person(
    first_ar: str, last_ar: str, first_lat: str, last_lat: str, sex: str, birth: date
) -> Row:
    return {
        "first_name_ar": first_ar,
        "last_name_ar": last_ar,
        "first_name_lat": first_lat,
        "last_name_lat": last_lat,
        "sex": sex,
        "birth_date": birth,
    }


MOHAMMED = _person("محمد", "العلوي", "MOHAMMED", "ALAOUI", "M", date(1982, 1, 2))
FATIMA = _person("فاطمة الزهراء", "العلوي", "FATIMA ZAHRA", "ALAOUI", "F", date(1985, 6, 15))
YOUSSEF = _person("يوسف", "العلوي", "YOUSSEF", "ALAOUI", "M", date(2010, 9, 1))
KHADIJA = _person("خديجة", "بناني", "KHADIJA", "BENNANI", "F", date(1950, 11, 20))
ABDELLAH = _person("عبد الله", "الإدريسي", "ABDELLAH", "IDRISSI", "M", date(1975, 4, 30))
SAID = _person("سعيد", "أمزيان", "SAID", "AMZIANE", "M", date(1990, 3, 12))


def rnp_row(
    idcs: str,
    person: Row,
    *,
    cin: str | None = None,
    annex: str = ANNEX_1,
    deceased: bool = False,
) -> Row:
    return {
        "idcs": idcs,
        "cin": cin,
        **person,
        "nationality": "MAR",
        "annex_code": annex,
        "address": "12, Rue Ibnou Sina, Maârif",
        "registered_at": datetime(2019, 3, 4, 9, 15, 0),
        "deceased": deceased,
    }


def rnp_rows() -> Rows:
    return [
        rnp_row("0012345674", MOHAMMED, cin="BE123456"),
        rnp_row("0012345682", FATIMA, cin="BE234567"),
        rnp_row("0098765432", YOUSSEF),
        rnp_row("1234567890", KHADIJA, cin="A98765", annex=ANNEX_2, deceased=True),
        rnp_row("0000000017", ABDELLAH, cin="J45678", annex=ANNEX_2),
    ]


def rsu_row(
    member_id: str,
    household_id: str,
    idcs: str | None,
    relation: str,
    person: Row,
    score: float,
    *,
    annex: str = ANNEX_1,
) -> Row:
    return {
        "member_id": member_id,
        "household_id": household_id,
        "idcs": idcs,
        "relation": relation,
        **person,
        "annex_code": annex,
        "address": "Hay Al Amal, rue 5, n° 17",
        "score": score,
        "declared_at": datetime(2023, 5, 2, 14, 30, 0),
    }


def rsu_rows() -> Rows:
    return [
        rsu_row("M001", "H001", "0012345674", "head", MOHAMMED, 7.5),
        rsu_row("M002", "H001", "0012345682", "spouse", FATIMA, 7.5),
        rsu_row("M003", "H001", "0098765432", "child", YOUSSEF, 7.5),
        rsu_row("M004", "H002", "0000000017", "head", ABDELLAH, 10.25, annex=ANNEX_2),
        rsu_row("M005", "H003", None, "head", SAID, 5.125, annex=ANNEX_2),
    ]


def amo_row(
    beneficiary_id: str,
    amo_file_id: str,
    household_id: str,
    idcs: str | None,
    relation: str,
    person: Row,
    status: str,
    *,
    annex: str = ANNEX_1,
) -> Row:
    decided = status in ("accepted", "rejected")
    return {
        "beneficiary_id": beneficiary_id,
        "amo_file_id": amo_file_id,
        "household_id": household_id,
        "idcs": idcs,
        "relation": relation,
        **person,
        "annex_code": annex,
        "status": status,
        "rejection_reason": "score au-dessus du seuil" if status == "rejected" else None,
        "deposited_at": datetime(2024, 1, 10, 10, 0, 0),
        "validated_at": datetime(2024, 1, 11, 9, 0, 0) if decided else None,
        "transmitted_at": datetime(2024, 1, 12, 16, 45, 0) if decided else None,
        "decided_at": datetime(2024, 2, 1, 11, 20, 0) if decided else None,
    }


def amo_rows() -> Rows:
    return [
        amo_row("B001", "F001", "H001", "0012345674", "insured", MOHAMMED, "accepted"),
        amo_row("B002", "F001", "H001", "0012345682", "spouse", FATIMA, "accepted"),
        amo_row("B003", "F001", "H001", "0098765432", "child", YOUSSEF, "accepted"),
        amo_row("B004", "F002", "H002", "0000000017", "insured", ABDELLAH, "rejected"),
        amo_row("B005", "F003", "H003", None, "insured", SAID, "pending_validation"),
    ]


def valid_rows() -> dict[str, Rows]:
    """A fresh, valid set of the four extracts (safe to mutate)."""
    return {
        "territories": territories_rows(),
        "rnp": rnp_rows(),
        "rsu": rsu_rows(),
        "amo": amo_rows(),
    }


# --- writers -------------------------------------------------------------------------------


def csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _columns(rows: Sequence[Row]) -> list[str]:
    names: list[str] = []
    for row in rows:
        names += [name for name in row if name not in names]
    return names


def write_csv(
    path: Path,
    rows: Sequence[Row],
    *,
    columns: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Header plus one line per row; a row missing a column gets an empty field."""
    names = list(columns) if columns is not None else _columns(rows)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            writer.writerow([csv_text(row.get(name)) for name in names])
    return path


_ARROW = {
    DATE: pa.date32(),
    TIMESTAMP: pa.timestamp("us"),
    BOOLEAN: pa.bool_(),
    FLOAT: pa.float64(),
}


def arrow_schema(
    name: str, rows: Sequence[Row], types: Mapping[str, pa.DataType] | None = None
) -> pa.Schema:
    """The contract's native types for extract `name`; `types` overrides single columns."""
    extract = EXTRACTS[name]
    fields = []
    for column in _columns(rows):
        if types and column in types:
            dtype = types[column]
        elif column in extract.column_names:
            dtype = _ARROW.get(extract.column(column).kind, pa.string())
        else:
            dtype = pa.array([row.get(column) for row in rows]).type
        fields.append(pa.field(column, dtype))
    return pa.schema(fields)


def write_parquet(
    path: Path,
    name: str,
    rows: Sequence[Row],
    *,
    types: Mapping[str, pa.DataType] | None = None,
) -> Path:
    schema = arrow_schema(name, rows, types)
    table = pa.Table.from_pylist([dict(row) for row in rows], schema=schema)
    pq.write_table(table, path)
    return path


def write_extract(directory: Path, name: str, rows: Sequence[Row], fmt: str = "csv") -> Path:
    path = directory / f"{name}.{fmt}"
    if fmt == "csv":
        return write_csv(path, rows)
    return write_parquet(path, name, rows)


def write_set(
    directory: Path, fmt: str = "csv", rows: Mapping[str, Rows] | None = None
) -> dict[str, Path]:
    """Write the four extracts (`valid_rows()` unless given) as `directory/<name>.<fmt>`."""
    directory.mkdir(parents=True, exist_ok=True)
    sets = rows if rows is not None else valid_rows()
    return {name: write_extract(directory, name, sets[name], fmt) for name in INPUT_ORDER}


def problems_of(paths: Mapping[str, Path]) -> list[Problem]:
    """Every problem `read_extracts` finds in these files, on a fresh in-memory DuckDB."""
    with duckdb.connect() as con:
        return read_extracts(con, paths)[1]


ProblemKey = tuple[str, str, str, str, int | None, tuple[int, ...]]


def keys(problems: Sequence[Problem]) -> list[ProblemKey]:
    """(file, column, rule, severity, count, rows) of each problem: everything but the wording."""
    return [(p.file, p.column, p.rule, p.severity, p.count, p.rows) for p in problems]
