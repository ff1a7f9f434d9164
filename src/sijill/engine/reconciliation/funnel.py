"""The contract's `funnel`: counts per annex, summed up the territory tree, shares recomputed."""

from __future__ import annotations

from pathlib import Path

import duckdb

from sijill.domain.contract import FUNNEL_COLUMNS, FUNNEL_COUNTS
from sijill.engine.database import connect
from sijill.engine.reconciliation.prepare import Sql

COUNTS, COLUMNS = FUNNEL_COUNTS, FUNNEL_COLUMNS
LEVEL_ORDER = (
    "CASE t.level WHEN 'national' THEN 0 WHEN 'region' THEN 1 "
    "WHEN 'province' THEN 2 WHEN 'commune' THEN 3 ELSE 4 END"
)
NATIONAL = ("ALL", "national", "Maroc", "المغرب")


def _n(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def annex_counts(sql: Sql) -> str:
    """One row per annex of the territories, every count, zeros where nothing is placed."""
    mismatch = "(sex_differs OR birth_differs OR name_differs)"
    parts = {
        "p": """SELECT p.annex_code, p.living AS rnp_persons,
                       p.living - coalesce(l.lost, 0) AS rnp_in_rsu
                FROM w_rnp_annex p
                LEFT JOIN (SELECT annex_code, count(*) AS lost FROM w_rnp_lost
                           GROUP BY annex_code) l ON l.annex_code = p.annex_code""",
        "r": f"""SELECT annex_code, count(*) AS rsu_persons,
                        {_n("NOT in_rnp")} AS rsu_id_unknown,
                        {_n("in_rnp AND " + mismatch)} AS rsu_mismatch,
                        {_n("eligible")} AS eligible_persons
                 FROM w_rsu WHERE known GROUP BY annex_code""",
        "h": f"""SELECT annex_code, count(*) AS rsu_households,
                        {_n("members = 1")} AS rsu_single_households,
                        {_n("eligible")} AS eligible_households
                 FROM w_household WHERE known GROUP BY annex_code""",
        "b": f"""SELECT annex_code, count(*) AS amo_beneficiaries,
                        {_n("not_in_rsu")} AS amo_not_in_rsu,
                        {_n("NOT not_in_rsu AND " + mismatch)} AS amo_mismatch,
                        {_n("ineligible")} AS amo_ineligible
                 FROM w_amo WHERE known GROUP BY annex_code""",
        "f": f"""SELECT annex_code, count(*) AS amo_files, {_n("stale")} AS amo_pending_stale,
                        {_n("sla_breached")} AS amo_sla_breached,
                        {_n("status = 'accepted'")} AS amo_accepted,
                        {_n("status = 'rejected'")} AS amo_rejected
                 FROM w_file WHERE known GROUP BY annex_code""",
    }
    source = {
        "rnp_persons": "p",
        "rnp_in_rsu": "p",
        "rsu_persons": "r",
        "rsu_id_unknown": "r",
        "rsu_mismatch": "r",
        "eligible_persons": "r",
        "rsu_households": "h",
        "rsu_single_households": "h",
        "eligible_households": "h",
        "amo_beneficiaries": "b",
        "amo_not_in_rsu": "b",
        "amo_mismatch": "b",
        "amo_ineligible": "b",
        "amo_files": "f",
        "amo_pending_stale": "f",
        "amo_sla_breached": "f",
        "amo_accepted": "f",
        "amo_rejected": "f",
    }
    columns = ", ".join(f"coalesce({source[c]}.{c}, 0) AS {c}" for c in COUNTS)
    joins = " ".join(
        f"LEFT JOIN ({q}) {alias} ON {alias}.annex_code = a.annex_code"
        for alias, q in parts.items()
    )
    return (
        f"CREATE OR REPLACE TABLE w_annex_counts AS SELECT a.annex_code, {columns} "
        f"FROM w_annex a {joins}"
    )


ANCESTRY = """CREATE OR REPLACE TABLE w_ancestry AS
    SELECT a.code AS annex_code, a.code AS code FROM territories a WHERE a.level = 'annex'
    UNION ALL SELECT a.code, c.code FROM territories a
        JOIN territories c ON c.code = a.parent_code WHERE a.level = 'annex'
    UNION ALL SELECT a.code, p.code FROM territories a
        JOIN territories c ON c.code = a.parent_code
        JOIN territories p ON p.code = c.parent_code WHERE a.level = 'annex'
    UNION ALL SELECT a.code, r.code FROM territories a
        JOIN territories c ON c.code = a.parent_code
        JOIN territories p ON p.code = c.parent_code
        JOIN territories r ON r.code = p.parent_code WHERE a.level = 'annex'
    UNION ALL SELECT a.code, 'ALL' FROM territories a WHERE a.level = 'annex'"""


def funnel() -> str:
    sums = ", ".join(f"SUM(c.{c}) AS {c}" for c in COUNTS)
    counted = {c: f"coalesce(s.{c}, 0)" for c in COUNTS}
    derived = {
        "rnp_not_in_rsu": f"{counted['rnp_persons']} - {counted['rnp_in_rsu']}",
        "rsu_single_share": f"CASE WHEN {counted['rsu_households']} > 0 THEN "
        f"CAST({counted['rsu_single_households']} AS DOUBLE) / {counted['rsu_households']} END",
    }
    columns = ", ".join(
        f"t.{c}"
        if c in ("code", "level", "name_fr", "name_ar")
        else f"CAST({counted.get(c) or derived[c]} AS {'DOUBLE' if 'share' in c else 'BIGINT'})"
        f" AS {c}"
        for c in COLUMNS
    )
    code, level, fr, ar = NATIONAL
    return f"""CREATE OR REPLACE TABLE funnel AS
        SELECT {columns}
        FROM (SELECT code, level, name_fr, name_ar FROM territories
              UNION ALL SELECT '{code}', '{level}', '{fr}', '{ar}') t
        LEFT JOIN (SELECT x.code, {sums} FROM w_ancestry x
                   JOIN w_annex_counts c ON c.annex_code = x.annex_code
                   GROUP BY x.code) s ON s.code = t.code
        ORDER BY {LEVEL_ORDER}, t.code"""


def statements(sql: Sql) -> list[str]:
    return [annex_counts(sql), ANCESTRY, funnel()]


def largest_rsu_losses(run_dir: Path, n: int) -> list[dict[str, object]]:
    """The `n` annexes losing the most living RNP persons before the RSU, from a run's funnel."""
    with connect() as con:
        return _losses(con, run_dir / "funnel.parquet", n)


def _losses(con: duckdb.DuckDBPyConnection, funnel_file: Path, n: int) -> list[dict[str, object]]:
    cursor = con.execute(
        "SELECT code, name_fr, name_ar, rnp_persons, rnp_not_in_rsu, "
        "CAST(rnp_not_in_rsu AS DOUBLE) / nullif(rnp_persons, 0) AS lost_share "
        "FROM read_parquet(?) WHERE level = 'annex' "
        "ORDER BY rnp_not_in_rsu DESC, code LIMIT ?",
        [str(funnel_file), n],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
