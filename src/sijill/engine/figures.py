"""A run's figures, computed once from its output folder and extracts with DuckDB.

Everything the dashboards show is a row per territory (every level, plus `ALL`): the
contract's funnel, the AMO steps the funnel does not count (validated, transmitted,
accepted beneficiaries, from the amo extract), flagged annexes, split suspects and findings
per kind, summed up the territory tree of the run's own territories extract. No Django here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from sijill.domain import vocabulary
from sijill.domain.contract import FUNNEL_COLUMNS
from sijill.engine.extracts.sources import sql_string
from sijill.engine.reconciliation.findings import KINDS

# The back office's own figures beside the funnel, named and worded by the vocabulary; each
# is computed per annex in `_per_annex` and summed up the tree.
EXTRA = tuple(vocabulary.FIGURES)
IDENTITY = ("code", "parent_code", "level", "name_fr", "name_ar")
ANCESTORS = ("commune", "province", "region")
LEVELS = ("annex", *ANCESTORS)
# Findings are re-written sorted by annex, so that one annex's work list reads one or two row
# groups (their min/max statistics skip the rest). Measured on a 37M-person run (18M
# findings): 4,096-row groups cost 460 ms per query in metadata alone, 122,880 (DuckDB's
# default) 90 ms.
ROW_GROUP = 122_880
OUTPUTS = ("funnel", "findings", "anomalies", "split_suspects", "links")


@dataclass(frozen=True, slots=True)
class Aggregates:
    figures: list[dict[str, Any]]
    anomalies: list[dict[str, Any]]
    links: list[dict[str, Any]]


def scan(path: Path) -> str:
    """A relation over an extract: CSV read as text (empty is null), Parquet as typed."""
    if path.suffix.lower() == ".csv":
        return f"read_csv({sql_string(str(path))}, header = true, all_varchar = true)"
    return f"read_parquet({sql_string(str(path))})"


def _output(out_dir: Path, name: str) -> str:
    return f"read_parquet({sql_string(str(out_dir / f'{name}.parquet'))})"


def _dicts(con: duckdb.DuckDBPyConnection, query: str) -> list[dict[str, Any]]:
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _tree(con: duckdb.DuckDBPyConnection, territories: Path) -> None:
    con.execute(f"CREATE TABLE terr AS SELECT code, parent_code, level FROM {scan(territories)}")
    con.execute(
        """CREATE TABLE tree AS SELECT a.code AS annex, c.code AS commune,
                  p.code AS province, r.code AS region
           FROM terr a LEFT JOIN terr c ON c.code = a.parent_code
           LEFT JOIN terr p ON p.code = c.parent_code LEFT JOIN terr r ON r.code = p.parent_code
           WHERE a.level = 'annex'"""
    )


def _per_annex(con: duckdb.DuckDBPyConnection, out_dir: Path, amo: Path) -> None:
    kinds = ", ".join(f'count(*) FILTER (kind = {sql_string(k)}) AS "{k}"' for k in KINDS)
    con.execute(
        f"""CREATE TABLE annex_x AS
        WITH s AS (SELECT annex_code,
                     count(*) FILTER (validated_at IS NOT NULL) AS amo_validated_persons,
                     count(*) FILTER (transmitted_at IS NOT NULL) AS amo_transmitted_persons,
                     count(*) FILTER (status = 'accepted') AS amo_accepted_persons
                   FROM {scan(amo)} GROUP BY annex_code),
             a AS (SELECT annex_code, bool_or(flagged) AS flagged
                   FROM {_output(out_dir, "anomalies")} GROUP BY annex_code),
             p AS (SELECT annex_code, count(*) AS split_households,
                     count(DISTINCT cluster_id) AS split_clusters
                   FROM {_output(out_dir, "split_suspects")} GROUP BY annex_code),
             f AS (SELECT annex_code, {kinds} FROM {_output(out_dir, "findings")}
                   GROUP BY annex_code)
        SELECT t.*,
          coalesce(s.amo_validated_persons, 0) AS amo_validated_persons,
          coalesce(s.amo_transmitted_persons, 0) AS amo_transmitted_persons,
          coalesce(s.amo_accepted_persons, 0) AS amo_accepted_persons,
          CASE WHEN a.flagged THEN 1 ELSE 0 END AS flagged_annexes,
          coalesce(p.split_households, 0) AS split_households,
          coalesce(p.split_clusters, 0) AS split_clusters,
          {", ".join(f'coalesce(f."{k}", 0) AS "{k}"' for k in KINDS)}
        FROM tree t LEFT JOIN s ON s.annex_code = t.annex
        LEFT JOIN a ON a.annex_code = t.annex LEFT JOIN p ON p.annex_code = t.annex
        LEFT JOIN f ON f.annex_code = t.annex"""
    )


def _rolled_up(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[dict[str, Any]]:
    sums = ", ".join(f'sum("{c}")::BIGINT AS "{c}"' for c in (*EXTRA, *KINDS))
    levels = " UNION ALL ".join(
        f"SELECT {level} AS code, {sums} FROM annex_x WHERE {level} IS NOT NULL GROUP BY {level}"
        for level in LEVELS
    )
    # Nationally every finding counts, including those placed in no known annex.
    national_kinds = ", ".join(
        f"(SELECT count(*) FROM {_output(out_dir, 'findings')} WHERE kind = {sql_string(k)})"
        f' AS "{k}"'
        for k in KINDS
    )
    national_extra = ", ".join(f'sum("{c}")::BIGINT AS "{c}"' for c in EXTRA)
    columns = ", ".join(f'f."{c}"' for c in FUNNEL_COLUMNS)
    return _dicts(
        con,
        f"""WITH x AS ({levels}
                  UNION ALL SELECT 'ALL', {national_extra}, {national_kinds} FROM annex_x)
        SELECT {columns}, CASE WHEN f.level = 'region' THEN 'ALL' ELSE t.parent_code END
                 AS parent_code, x.* EXCLUDE (code)
        FROM {_output(out_dir, "funnel")} f JOIN x ON x.code = f.code
        LEFT JOIN terr t ON t.code = f.code ORDER BY f.code""",
    )


def compute(out_dir: Path, extracts: Mapping[str, Path]) -> Aggregates:
    """The run's figures, anomalies (with ancestors) and links (with the row's annex);
    ValueError when an output or extract is missing or unreadable."""
    for name in OUTPUTS:
        if not (out_dir / f"{name}.parquet").is_file():
            raise ValueError(f"{out_dir / name}.parquet is missing")
    for name in ("territories", "amo"):
        if name not in extracts or not Path(extracts[name]).is_file():
            raise ValueError(f"the run's {name} extract is missing")
    try:
        return _compute(out_dir, extracts)
    except duckdb.Error as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc


def _shaped(row: dict[str, Any]) -> dict[str, Any]:
    """A territory's row as the back office keeps it: who it is, its counts (the funnel's
    columns and the back office's own figures, by code) and its findings per kind."""
    found = {k: int(row.pop(k)) for k in KINDS}
    shaped = {name: row.pop(name) for name in IDENTITY}
    return {**shaped, "counts": row, "findings": {k: n for k, n in found.items() if n}}


def _compute(out_dir: Path, extracts: Mapping[str, Path]) -> Aggregates:
    with duckdb.connect() as con:
        _tree(con, extracts["territories"])
        _per_annex(con, out_dir, extracts["amo"])
        figures = [_shaped(row) for row in _rolled_up(con, out_dir)]
        anomalies = _dicts(
            con,
            f"""SELECT a.*, t.commune AS commune_code, t.province AS province_code,
                       t.region AS region_code
                FROM {_output(out_dir, "anomalies")} a LEFT JOIN tree t ON t.annex = a.annex_code
                ORDER BY a.annex_code, a.indicator""",
        )
        links = _dicts(
            con,
            f"""WITH l AS (FROM {_output(out_dir, "links")}),
                f AS (SELECT source, row_id, min(annex_code) AS annex_code
                      FROM {_output(out_dir, "findings")} SEMI JOIN l USING (source, row_id)
                      GROUP BY ALL)
                SELECT l.*, f.annex_code FROM l LEFT JOIN f USING (source, row_id)
                ORDER BY l.source, l.row_id""",
        )
    return Aggregates(figures, anomalies, links)


def sort_findings(out_dir: Path, target: Path, annexes: Collection[str] | None = None) -> int:
    """Copy the run's findings (only those of `annexes` when given) sorted by annex and
    kind, in small row groups; returns rows."""
    work = target.with_name(f".{target.name}.partial")
    where = "" if annexes is None else "WHERE annex_code IN (SELECT unnest($annexes))"
    with duckdb.connect() as con:
        con.execute(
            f"""COPY (FROM {_output(out_dir, "findings")} {where}
                      ORDER BY annex_code NULLS LAST, kind, source, row_id, amo_file_id, idcs)
                TO {sql_string(str(work))}
                (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP})""",
            {} if annexes is None else {"annexes": sorted(annexes)},
        )
        rows = con.execute(f"SELECT count(*) FROM read_parquet({sql_string(str(work))})")
        found = rows.fetchone()
    work.replace(target)
    return int(found[0]) if found else 0
