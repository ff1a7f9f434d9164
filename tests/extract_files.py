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

from sijill.domain.contract import (
    BOOLEAN,
    DATE,
    DEFAULT_THRESHOLD,
    EXTRACTS,
    FLOAT,
    TIMESTAMP,
)
from sijill.engine.extracts.problems import Problem
from sijill.engine.extracts.reading import INPUT_ORDER, read_extracts
from sijill.engine.params import Parameters

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
    dictionary: bool = True,
) -> Path:
    schema = arrow_schema(name, rows, types)
    table = pa.Table.from_pylist([dict(row) for row in rows], schema=schema)
    pq.write_table(table, path, use_dictionary=dictionary)
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


# --- reconciliation scenarios ----------------------------------------------------------------
# A wider territory tree for the engine tests: two communes under the first province, and a
# second region whose only annex stays empty (every territory must still get a funnel row).

COMMUNE_2, ANNEX_3 = "0007319", "A-01120"
REGION_2, PROVINCE_2, COMMUNE_3, ANNEX_4 = "04", "0251", "0021105", "A-02210"
UNKNOWN_ANNEX = "A-99999"  # named by rows, absent from the territories


def person(
    first_ar: str, last_ar: str, first_lat: str, last_lat: str, sex: str, birth: date
) -> Row:
    """The six person fields shared by the three registers."""
    return _person(first_ar, last_ar, first_lat, last_lat, sex, birth)


def territory_row(code: str, parent: str | None, level: str, name_ar: str, name_fr: str) -> Row:
    return _territory(code, parent, level, name_ar, name_fr)


def wide_territories_rows() -> Rows:
    return [
        *territories_rows(),
        territory_row(COMMUNE_2, PROVINCE, "commune", "جماعة عين الشق", "Commune Aïn Chock"),
        territory_row(
            ANNEX_3, COMMUNE_2, "annex", "الملحقة الإدارية سيدي معروف", "Annexe Sidi Maârouf"
        ),
        territory_row(REGION_2, None, "region", "جهة الرباط سلا القنيطرة", "Rabat-Salé-Kénitra"),
        territory_row(PROVINCE_2, REGION_2, "province", "عمالة الرباط", "Préfecture de Rabat"),
        territory_row(COMMUNE_3, PROVINCE_2, "commune", "جماعة الرباط", "Commune de Rabat"),
        territory_row(ANNEX_4, COMMUNE_3, "annex", "الملحقة الإدارية أكدال", "Annexe Agdal"),
    ]


def changed(row: Row, **values: Value) -> Row:
    """A copy of `row` with some values replaced (the builders' other defaults kept)."""
    unknown = set(values) - set(row)
    assert not unknown, f"no such columns: {sorted(unknown)}"
    return {**row, **values}


HASSAN = _person("حسن", "الفاسي", "HASSAN", "EL FASSI", "M", date(1968, 7, 9))
NADIA = _person("نادية", "التازي", "NADIA", "TAZI", "F", date(1993, 2, 14))
RACHID = _person("رشيد", "بنجلون", "RACHID", "BENJELLOUN", "M", date(1971, 12, 3))

COUNTRY_AS_OF = date(2024, 3, 10)


def country_rows() -> dict[str, Rows]:
    """A small country exercising every funnel column (expected values in test_funnel.py).

    - ANNEX_1: a household with a deceased member, a single household without idcs and
      above the threshold, a living person on no RSU row, an AMO file with a field mismatch
      and a missing idcs, a rejected file on the ineligible household;
    - ANNEX_2: a person on two households, a household at exactly the threshold, an idcs
      unknown to the RNP, a stale pending file;
    - ANNEX_3: a name mismatch, an RNP person whose only RSU row is in an unknown annex, a
      file deposited here for a household of ANNEX_2, past CNSS's deadline;
    - ANNEX_4: nothing at all; UNKNOWN_ANNEX: one row in each register.
    """
    p1, p2, p3, p4 = "0012345678", "0012345686", "0098765432", "1234567890"
    p5, p6, p7, p8 = "0000000017", "0300000014", "0400000015", "0500000016"
    rnp = [
        rnp_row(p1, MOHAMMED, cin="BE123456"),
        rnp_row(p2, FATIMA, cin="BE234567"),
        rnp_row(p3, YOUSSEF),
        rnp_row(p4, KHADIJA, cin="A98765", deceased=True),
        rnp_row(p5, ABDELLAH, cin="J45678", annex=ANNEX_2),
        rnp_row(p6, SAID, annex=ANNEX_3),
        rnp_row(p7, NADIA, annex=UNKNOWN_ANNEX),
        rnp_row(p8, HASSAN, cin="BK98765", annex=ANNEX_3),
    ]
    at = ANNEX_2
    rsu = [
        rsu_row("M01", "H01", p1, "head", MOHAMMED, 7.5),
        rsu_row("M02", "H01", p2, "spouse", FATIMA, 7.5),
        rsu_row("M03", "H01", p4, "parent", KHADIJA, 7.5),
        rsu_row("M04", "H02", None, "head", RACHID, 12.0),
        rsu_row("M05", "H03", p5, "head", ABDELLAH, DEFAULT_THRESHOLD, annex=at),
        rsu_row("M06", "H04", p5, "head", ABDELLAH, 5.0, annex=at),
        rsu_row("M07", "H04", "0000000000", "spouse", NADIA, 5.0, annex=at),
        rsu_row("M10", "H07", None, "head", SAID, 10.0, annex=at),
        rsu_row("M11", "H07", None, "child", YOUSSEF, 10.0, annex=at),
        rsu_row("M08", "H05", p6, "head", SAID, 6.0, annex=UNKNOWN_ANNEX),
        rsu_row("M09", "H06", p8, "head", {**HASSAN, "first_name_ar": "حسين"}, 8.0, annex=ANNEX_3),
    ]
    transmitted = {
        "validated_at": datetime(2024, 1, 19, 9, 0),
        "transmitted_at": datetime(2024, 1, 20, 15, 30),
    }
    amo = [
        amo_row("B01", "F01", "H01", p1, "insured", MOHAMMED, "accepted"),
        amo_row(
            "B02",
            "F01",
            "H01",
            p2,
            "spouse",
            {**FATIMA, "birth_date": date(1985, 6, 16)},
            "accepted",
        ),
        amo_row("B03", "F01", "H01", None, "child", YOUSSEF, "accepted"),
        amo_row("B04", "F02", "H02", None, "insured", RACHID, "rejected"),
        amo_row("B05", "F02", "H02", p1, "other", MOHAMMED, "rejected"),
        amo_row("B06", "F03", "H03", p5, "insured", ABDELLAH, "pending_validation", annex=at),
        changed(
            amo_row("B07", "F04", "H04", p5, "insured", ABDELLAH, "transmitted", annex=ANNEX_3),
            **transmitted,
        ),
        changed(
            amo_row(
                "B08", "F04", "H04", "0000000000", "spouse", NADIA, "transmitted", annex=ANNEX_3
            ),
            **transmitted,
        ),
        amo_row("B09", "F05", "H05", p6, "insured", SAID, "under_review", annex=UNKNOWN_ANNEX),
    ]
    return {"territories": wide_territories_rows(), "rnp": rnp, "rsu": rsu, "amo": amo}


# --- running the engine ------------------------------------------------------------------------


def reconcile_rows(
    directory: Path,
    rows: Mapping[str, Rows],
    params: Parameters,
    fmt: str = "csv",
    engine: str = "duckdb",
) -> Path:
    """Write the extracts under `directory/in`, reconcile them into `directory/out` on
    `engine` (without linkage on Spark, where it does not run)."""
    from sijill.engine.reconciliation.pipeline import (
        reconcile,  # scipy is slow to import: only when run
    )

    out = directory / "out"
    paths = write_set(directory / "in", fmt, rows)
    reconcile(paths, params, out, engine=engine, with_links=engine == "duckdb")
    return out


def read_output(out: Path, name: str) -> Rows:
    """One output of a reconciliation as a list of rows."""
    rows: Rows = pq.read_table(out / f"{name}.parquet").to_pylist()
    return rows
