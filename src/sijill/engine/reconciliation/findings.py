"""The contract's `findings`: one row per problem, the work list behind the funnel's counts.

Each counted kind selects exactly the rows (or files) its funnel column counts, from the
same working-table flags, so that per annex and kind the two always agree.
"""

from __future__ import annotations

from sijill.domain.contract import FINDING_KINDS
from sijill.engine.reconciliation.prepare import Sql

KINDS = FINDING_KINDS
_NULL = "CAST(NULL AS VARCHAR)"
_DIFFERING = (
    "concat_ws(', ', CASE WHEN sex_differs THEN 'sex' END, "
    "CASE WHEN birth_differs THEN 'birth_date' END, "
    "CASE WHEN name_differs THEN 'name' END)"
)
_MISMATCH = "(sex_differs OR birth_differs OR name_differs)"
# Identifiers on rows of two households. Counting rows per idcs first is the cheapest
# aggregate over millions of rows; households are compared for the few repeated ones only.
_ON_TWO_HOUSEHOLDS = """SELECT idcs FROM w_rsu
    WHERE in_rnp AND idcs IN (SELECT idcs FROM w_rsu WHERE in_rnp GROUP BY idcs HAVING count(*) > 1)
    GROUP BY idcs HAVING min(household_id) <> max(household_id)"""


def _select(
    kind: str,
    source: str,
    row_id: str,
    idcs: str,
    household: str,
    file: str,
    detail: str,
    table: str,
    where: str,
) -> str:
    return (
        f"SELECT '{kind}' AS kind, '{source}' AS source, {row_id} AS row_id, "
        f"{idcs} AS idcs, {household} AS household_id, {file} AS amo_file_id, "
        f"annex_code, {detail} AS detail FROM {table} WHERE {where}"
    )


def _rsu(kind: str, detail: str, where: str) -> str:
    return _select(kind, "rsu", "member_id", "idcs", "household_id", _NULL, detail, "w_rsu", where)


def _amo(kind: str, detail: str, where: str) -> str:
    return _select(
        kind, "amo", "beneficiary_id", "idcs", "household_id", "amo_file_id", detail, "w_amo", where
    )


def _file(kind: str, detail: str, where: str) -> str:
    return _select(
        kind, "amo", _NULL, _NULL, "household_id", "amo_file_id", detail, "w_file", where
    )


def selects(sql: Sql) -> list[str]:
    threshold = sql.threshold
    p = sql.params
    return [
        _rsu(
            "RSU_ID_UNKNOWN",
            "CASE WHEN idcs IS NULL THEN 'idcs missing' ELSE 'idcs not in the RNP' END",
            "known AND NOT in_rnp",
        ),
        _rsu(
            "RSU_MISMATCH",
            f"'differs from the RNP: ' || {_DIFFERING}",
            f"known AND in_rnp AND {_MISMATCH}",
        ),
        _select(
            "RNP_NOT_IN_RSU",
            "rnp",
            _NULL,
            "idcs",
            _NULL,
            _NULL,
            "'living RNP person on no RSU row'",
            "w_rnp_lost",
            "true",
        ),
        _amo(
            "AMO_NOT_IN_RSU",
            "CASE WHEN idcs IS NULL THEN 'idcs missing' "
            "ELSE 'not on an RSU row of household ' || household_id END",
            "known AND not_in_rsu",
        ),
        _amo(
            "AMO_MISMATCH",
            f"'differs from RSU member ' || rsu_member_id || ': ' || {_DIFFERING}",
            f"known AND NOT not_in_rsu AND {_MISMATCH}",
        ),
        _amo(
            "AMO_INELIGIBLE",
            f"'household score ' || CAST(household_score AS VARCHAR) || ' > {threshold}'",
            "known AND ineligible",
        ),
        _file(
            "AMO_PENDING_STALE",
            "'pending validation for ' || CAST(pending_days AS VARCHAR) "
            f"|| ' days (limit {p.validation_days})'",
            "known AND stale",
        ),
        _file(
            "AMO_SLA_BREACHED",
            "CASE WHEN decided_at IS NULL THEN 'no CNSS decision ' "
            "ELSE 'CNSS decided ' END || CAST(cnss_days AS VARCHAR) || ' days after "
            f"transmission (limit {p.cnss_days})'",
            "known AND sla_breached",
        ),
        *_unknown_territory(),
        _rsu(
            "RSU_DUPLICATE_MEMBER",
            "'idcs also on another household'",
            f"in_rnp AND idcs IN ({_ON_TWO_HOUSEHOLDS})",
        ),
        _rsu("RSU_DECEASED_MEMBER", "'deceased in the RNP'", "in_rnp AND deceased"),
    ]


def _unknown_territory() -> list[str]:
    detail = "'unknown annex_code ' || coalesce(annex_code, '(empty)')"
    return [
        _select(
            "UNKNOWN_TERRITORY",
            "rnp",
            _NULL,
            "idcs",
            _NULL,
            _NULL,
            detail,
            "rnp",
            "annex_code NOT IN (SELECT annex_code FROM w_annex)",
        ),
        _rsu("UNKNOWN_TERRITORY", detail, "NOT known"),
        _amo("UNKNOWN_TERRITORY", detail, "NOT known"),
    ]


def statements(sql: Sql) -> list[str]:
    # A view: findings can be tens of millions of rows, written straight to Parquet.
    return ["CREATE OR REPLACE VIEW findings AS " + "\nUNION ALL\n".join(selects(sql))]
