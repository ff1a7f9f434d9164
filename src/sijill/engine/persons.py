"""The persons behind a run's findings, split suspects and link candidates, written beside
the run when the back office imports it.

The contract's outputs name rows by their identifiers only; a person working a list needs
who it is — names in both scripts, sex, birth date, household, address — and, where two
registers disagree, what each one holds. The run's extracts are discarded once it is over
(personal data kept short), so what the work lists show is copied here, once, from them:

- `findings.parquet`: the findings sorted by annex and kind (one annex reads one or two row
  groups), each with a stable key (`finding_key`, the same finding in every run), the
  person of its row and, for a field mismatch, the row of the other register;
- `splits.parquet`: the split suspects with the member of each single-person household;
- `links.parquet`: each link candidate's row and the RNP person proposed, side by side.

The eligibility scores of the what-if are written by `engine.eligibility`. Rows whose
extract was not given (an import from a folder without the RNP or RSU) keep their
identifiers and no person.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

import duckdb

from sijill.domain.contract import EXTRACTS
from sijill.engine.database import connect
from sijill.engine.extracts.reading import create_typed_views
from sijill.engine.extracts.sources import Source, open_source, sql_string

# Findings are re-written sorted by annex, so that one annex's work list reads one or two row
# groups (their min/max statistics skip the rest). Measured on a 37M-person run (18M
# findings): 4,096-row groups cost 460 ms per query in metadata alone, 122,880 (DuckDB's
# default) 90 ms.
ROW_GROUP = 122_880
PERSON = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat", "sex", "birth_date")
# The kinds whose row is compared with the RNP person of its identifier, and with an RSU row.
WITH_RNP = ("RSU_MISMATCH", "RSU_DECEASED_MEMBER", "RSU_DUPLICATE_MEMBER")
WITH_RSU = ("AMO_MISMATCH",)
FINDINGS, SPLITS, LINKS = "findings.parquet", "splits.parquet", "links.parquet"


def finding_key(alias: str = "f") -> str:
    """A finding's key across runs: its kind, its register, the row it is about (member,
    beneficiary, file or RNP person) and its annex, hashed. The same row with the same
    problem in the next run has the same key; a row moved to another annex is a new case
    for that annex's staff."""
    a = alias
    what = f"coalesce({a}.row_id, {a}.amo_file_id, {a}.idcs, '')"
    return f"md5(concat_ws('|', {a}.kind, {a}.source, {what}, coalesce({a}.annex_code, '')))"


def _output(out_dir: Path, name: str) -> str:
    return f"read_parquet({sql_string(str(out_dir / f'{name}.parquet'))})"


def open_extracts(
    con: duckdb.DuckDBPyConnection,
    extracts: Mapping[str, Path],
    names: tuple[str, ...] = ("rnp", "rsu", "amo"),
) -> set[str]:
    """Typed views named after the extracts (`rnp`, `rsu`, ...) of those given, with their
    `_row`, and empty views for the others; returns the names read. ValueError when a given
    extract cannot be read."""
    opened: dict[str, Source] = {}
    for name in names:
        if name not in extracts:
            continue
        found = open_source(con, EXTRACTS[name], Path(extracts[name]))
        if not isinstance(found, Source):
            raise ValueError(f"the run's {name} extract cannot be read")
        opened[name] = found
    create_typed_views(con, opened)
    for name in names:
        if name not in opened:
            _empty(con, name)
    return set(opened)


def _empty(con: duckdb.DuckDBPyConnection, name: str) -> None:
    typed = {"birth_date": "DATE", "score": "DOUBLE", "_row": "BIGINT"}
    columns = ", ".join(
        f"CAST(NULL AS {typed.get(c, 'VARCHAR')}) AS {c}"
        for c in ("_row", *(c.name for c in EXTRACTS[name].columns))
    )
    con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT {columns} WHERE false")


def _person(alias: str, prefix: str = "") -> str:
    return ", ".join(f"{alias}.{c} AS {prefix}{c}" for c in PERSON)


def _nobody(prefix: str) -> str:
    typed = {c: "DATE" if c == "birth_date" else "VARCHAR" for c in PERSON}
    return ", ".join(f"CAST(NULL AS {typed[c]}) AS {prefix}{c}" for c in PERSON)


def _needed() -> list[str]:
    """The registers' rows the findings name, and nothing else: a national run has 18M
    findings against 36M RNP persons, so each register is cut to its rows first (one
    semi-join each) and the joins below work on those."""
    listed = ", ".join(sql_string(k) for k in WITH_RNP)
    member = "json_extract_string(detail_params, '$.member')"
    return [
        f"""CREATE OR REPLACE TABLE n_rnp AS
            SELECT idcs, {", ".join(PERSON)}, address FROM rnp
            WHERE idcs IN (SELECT idcs FROM p_findings
                           WHERE source = 'rnp' OR kind IN ({listed}))""",
        f"""CREATE OR REPLACE TABLE n_rsu AS
            SELECT member_id, household_id, {", ".join(PERSON)}, address FROM rsu
            WHERE member_id IN (SELECT row_id FROM p_findings WHERE source = 'rsu'
                                UNION ALL SELECT {member} FROM p_findings
                                WHERE kind IN ({", ".join(sql_string(k) for k in WITH_RSU)}))""",
        """CREATE OR REPLACE TABLE n_household AS
            SELECT household_id, min(address) AS address FROM rsu
            WHERE household_id IN (SELECT household_id FROM p_findings WHERE source = 'amo')
            GROUP BY household_id""",
        # A file-level finding is about the file's insured, else its first beneficiary.
        """CREATE OR REPLACE TABLE n_amo AS
            SELECT * FROM amo
            WHERE beneficiary_id IN (SELECT row_id FROM p_findings WHERE source = 'amo')
               OR amo_file_id IN (SELECT amo_file_id FROM p_findings
                                  WHERE source = 'amo' AND row_id IS NULL)""",
        """CREATE OR REPLACE TABLE n_insured AS
            SELECT * FROM n_amo
            WHERE amo_file_id IN (SELECT amo_file_id FROM p_findings
                                  WHERE source = 'amo' AND row_id IS NULL)
            QUALIFY row_number() OVER (PARTITION BY amo_file_id
                                       ORDER BY relation <> 'insured', beneficiary_id) = 1""",
    ]


def _other(kinds: tuple[str, ...], alias: str, source: str) -> str:
    listed = ", ".join(sql_string(k) for k in kinds)
    fields = ", ".join(
        f"CASE WHEN f.kind IN ({listed}) THEN {alias}.{c} END AS other_{c}" for c in PERSON
    )
    return f"CASE WHEN f.kind IN ({listed}) THEN '{source}' END AS other_source, {fields}"


def _branches() -> dict[str, str]:
    """Every finding with its person, one register at a time: rsu rows, amo rows, amo
    files and rnp persons each joined to the rows of their own register."""
    key = finding_key("f")
    member = "json_extract_string(f.detail_params, '$.member')"
    nobody = f"CAST(NULL AS VARCHAR) AS other_source, {_nobody('other_')}"
    return {
        "e_rsu": f"""SELECT f.*, {key} AS finding_key, {_person("r")}, r.address AS address,
                            {_other(WITH_RNP, "o", "rnp")}
                     FROM p_findings f LEFT JOIN n_rsu r ON r.member_id = f.row_id
                     LEFT JOIN n_rnp o ON o.idcs = f.idcs WHERE f.source = 'rsu'""",
        "e_amo": f"""SELECT f.*, {key} AS finding_key, {_person("b")}, h.address AS address,
                            {_other(WITH_RSU, "m", "rsu")}
                     FROM p_findings f LEFT JOIN n_amo b ON b.beneficiary_id = f.row_id
                     LEFT JOIN n_household h ON h.household_id = f.household_id
                     LEFT JOIN n_rsu m ON m.member_id = {member}
                     WHERE f.source = 'amo' AND f.row_id IS NOT NULL""",
        "e_file": f"""SELECT f.*, {key} AS finding_key, {_person("i")}, h.address AS address,
                             {nobody}
                      FROM p_findings f LEFT JOIN n_insured i ON i.amo_file_id = f.amo_file_id
                      LEFT JOIN n_household h ON h.household_id = f.household_id
                      WHERE f.source = 'amo' AND f.row_id IS NULL""",
        "e_rnp": f"""SELECT f.*, {key} AS finding_key, {_person("p")}, p.address AS address,
                            {nobody}
                     FROM p_findings f LEFT JOIN n_rnp p ON p.idcs = f.idcs
                     WHERE f.source = 'rnp'""",
    }


def _copy(con: duckdb.DuckDBPyConnection, query: str, order: str, target: Path) -> int:
    """Write `query` sorted by `order` to `target` whole (a hidden name, then renamed)."""
    work = target.with_name(f".{target.name}.partial")
    ordered = f" ORDER BY {order}" if order else ""
    con.execute(
        f"""COPY ({query}{ordered}) TO {sql_string(str(work))}
            (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP})"""
    )
    found = con.execute(f"SELECT count(*) FROM read_parquet({sql_string(str(work))})").fetchone()
    work.replace(target)
    return int(found[0]) if found else 0


CHUNK = 2_000_000  # rows sorted at a time; a national run's 18M findings in ten or so


def _chunks(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Conditions cutting `table` into consecutive ranges of annexes of about CHUNK rows
    each (whole annexes), the rows of no annex last."""
    counts = con.execute(
        f"SELECT annex_code, count(*) FROM {table} WHERE annex_code IS NOT NULL "
        "GROUP BY annex_code ORDER BY annex_code"
    ).fetchall()
    ranges: list[tuple[str, str]] = []
    first, size = None, 0
    for code, n in counts:
        first = code if first is None else first
        size += int(n)
        if size >= CHUNK:
            ranges.append((first, code))
            first, size = None, 0
    if first is not None:
        ranges.append((first, counts[-1][0]))
    found = [f"annex_code BETWEEN {sql_string(lo)} AND {sql_string(hi)}" for lo, hi in ranges]
    return [*found, "annex_code IS NULL"]


def _copy_sorted(con: duckdb.DuckDBPyConnection, table: str, order: str, target: Path) -> int:
    """Write `table` sorted by annex then `order`, a range of annexes at a time (one
    sort of 18M wide rows outgrows the memory cap; ten of 2M do not), then the ranges in
    their order into one file."""
    parts = []
    for i, where in enumerate(_chunks(con, table)):
        part = target.with_name(f".{target.name}.{i:03d}")
        con.execute(
            f"""COPY (FROM {table} WHERE {where} ORDER BY annex_code, {order})
                TO {sql_string(str(part))} (FORMAT parquet, COMPRESSION zstd,
                ROW_GROUP_SIZE {ROW_GROUP})"""
        )
        parts.append(part)
    con.execute("SET preserve_insertion_order = true")
    listed = ", ".join(sql_string(str(p)) for p in parts)
    try:
        return _copy(con, f"FROM read_parquet([{listed}])", "", target)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)


def _within(annexes: Collection[str] | None, column: str = "annex_code") -> str:
    return "" if annexes is None else f"WHERE {column} IN (SELECT unnest($annexes))"


def write_findings(con: duckdb.DuckDBPyConnection, target: Path) -> int:
    """The findings with their persons, sorted by annex; each stage a table of its own, so
    that only one join's tables are in memory at a time (the rest may spill to disk)."""
    for statement in _needed():
        con.execute(statement)
    for table, query in _branches().items():
        con.execute(f"CREATE OR REPLACE TABLE {table} AS {query}")
    for table in ("n_rnp", "n_rsu", "n_household", "n_amo", "n_insured"):
        con.execute(f"DROP TABLE {table}")
    every = " UNION ALL BY NAME ".join(f"FROM {table}" for table in _branches())
    con.execute(f"CREATE OR REPLACE TABLE e_every AS {every}")
    for table in _branches():
        con.execute(f"DROP TABLE {table}")
    return _copy_sorted(con, "e_every", "kind, source, row_id, amo_file_id, idcs", target)


# The engine writes a split suspect's reason in English (engine.reconciliation.splits): the
# counts it holds are read back so that pages can say it in their language.
_REASON = {
    "households": r"^(\d+) single-person",
    "couples": r"(\d+) couple\(s\)",
    "parent_child": r"(\d+) parent-child",
    "mothers": r"(\d+) possible mother",
}


def _splits_select() -> str:
    counts = ", ".join(
        f"TRY_CAST(regexp_extract(s.reason, {sql_string(pattern)}, 1) AS INTEGER) AS {name}"
        for name, pattern in _REASON.items()
    )
    return f"""
        SELECT s.cluster_id, s.household_id, s.idcs, s.annex_code, s.reason, {counts},
               r.member_id, {_person("r")}, r.address
        FROM p_splits s
        LEFT JOIN (SELECT * FROM rsu WHERE household_id IN (SELECT household_id FROM p_splits)
                   QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY member_id) = 1)
               r ON r.household_id = s.household_id"""


def _links_select() -> str:
    candidate = f"{_person('c', 'candidate_')}, c.annex_code AS candidate_annex_code"
    return f"""
        SELECT l.*, {_person("r", "row_")}, r.annex_code AS row_annex_code, {candidate}
        FROM p_links l LEFT JOIN rsu r ON r.member_id = l.row_id
        LEFT JOIN rnp c ON c.idcs = l.candidate_idcs WHERE l.source = 'rsu'
        UNION ALL BY NAME
        SELECT l.*, {_person("b", "row_")}, b.annex_code AS row_annex_code, {candidate}
        FROM p_links l LEFT JOIN amo b ON b.beneficiary_id = l.row_id
        LEFT JOIN rnp c ON c.idcs = l.candidate_idcs WHERE l.source = 'amo'"""


def write_run_files(
    out_dir: Path,
    extracts: Mapping[str, Path],
    work_dir: Path,
    annexes: Collection[str] | None = None,
) -> dict[str, int]:
    """Write the run's findings, splits and links with their persons into `work_dir` (only
    those of `annexes` when given); returns the rows of each. ValueError when an output or
    a given extract cannot be read."""
    params = {} if annexes is None else {"annexes": sorted(annexes)}
    # A national run's tables, joins and sort outgrow the memory cap: they work in a
    # database file of their own, removed at the end.
    spill = work_dir / ".spill"
    spill.mkdir(parents=True, exist_ok=True)
    try:
        with connect(spill, database=spill / "work.duckdb") as con:
            con.execute("SET preserve_insertion_order = false")
            open_extracts(con, extracts)
            found = {}
            for name, source in (("findings", "p_findings"), ("split_suspects", "p_splits"),
                                 ("links", "p_links")):  # fmt: skip
                column = "annex_code" if name != "links" else "row_id"
                where = _within(annexes) if column == "annex_code" else ""
                con.execute(
                    f"CREATE OR REPLACE TABLE {source} AS FROM {_output(out_dir, name)} {where}",
                    params if where else {},
                )
            found["findings"] = write_findings(con, work_dir / FINDINGS)
            found["splits"] = _copy(
                con, _splits_select(), "annex_code, cluster_id, household_id",
                work_dir / SPLITS,
            )  # fmt: skip
            links = f"SELECT * FROM ({_links_select()}) {_within(annexes, 'row_annex_code')}"
            con.execute(f"CREATE OR REPLACE TABLE p_linked AS {links}", params)
            found["links"] = _copy(
                con, "FROM p_linked", "row_annex_code NULLS LAST, source, row_id",
                work_dir / LINKS,
            )  # fmt: skip
    except duckdb.Error as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    return found
