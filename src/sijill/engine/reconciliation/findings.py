"""The contract's `findings`: one row per problem, the work list behind the funnel's counts.

Each counted kind selects exactly the rows (or files) its funnel column counts, from the
same working-table flags, so that per annex and kind the two always agree.
"""

from __future__ import annotations

from sijill.domain.contract import FINDING_KINDS
from sijill.engine.reconciliation import details as d
from sijill.engine.reconciliation.prepare import Sql

KINDS = FINDING_KINDS
_NULL = "CAST(NULL AS VARCHAR)"
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
    detail: d.Said,
    table: str,
    where: str,
) -> str:
    return (
        f"SELECT '{kind}' AS kind, '{source}' AS source, {row_id} AS row_id, "
        f"{idcs} AS idcs, {household} AS household_id, {file} AS amo_file_id, "
        f"annex_code, {detail.english()} AS detail, {detail.ident()} AS detail_id, "
        f"{detail.values()} AS detail_params FROM {table} WHERE {where}"
    )


def _rsu(kind: str, detail: d.Said, where: str) -> str:
    return _select(kind, "rsu", "member_id", "idcs", "household_id", _NULL, detail, "w_rsu", where)


def _amo(kind: str, detail: d.Said, where: str) -> str:
    return _select(
        kind, "amo", "beneficiary_id", "idcs", "household_id", "amo_file_id", detail, "w_amo", where
    )


def _file(kind: str, detail: d.Said, where: str) -> str:
    return _select(
        kind, "amo", _NULL, _NULL, "household_id", "amo_file_id", detail, "w_file", where
    )


def selects(sql: Sql) -> list[str]:
    threshold = sql.threshold
    p = sql.params
    return [
        _rsu(
            "RSU_ID_UNKNOWN",
            d.Either("idcs IS NULL", d.IDCS_MISSING, d.IDCS_UNKNOWN),
            "known AND NOT in_rnp",
        ),
        _rsu(
            "RSU_MISMATCH",
            d.differs_from_rnp(),
            f"known AND in_rnp AND {_MISMATCH}",
        ),
        _select(
            "RNP_NOT_IN_RSU",
            "rnp",
            _NULL,
            "idcs",
            _NULL,
            _NULL,
            d.NOT_IN_RSU,
            "w_rnp_lost",
            "true",
        ),
        _amo(
            "AMO_NOT_IN_RSU",
            d.not_on_household(),
            "known AND not_in_rsu",
        ),
        _amo(
            "AMO_MISMATCH",
            d.differs_from_rsu(),
            f"known AND NOT not_in_rsu AND {_MISMATCH}",
        ),
        _amo(
            "AMO_INELIGIBLE",
            d.above_threshold(threshold),
            "known AND ineligible",
        ),
        _file(
            "AMO_PENDING_STALE",
            d.pending(p.validation_days),
            "known AND stale",
        ),
        _file(
            "AMO_SLA_BREACHED",
            d.late_at_cnss(p.cnss_days),
            "known AND sla_breached",
        ),
        *_unknown_territory(),
        _rsu(
            "RSU_DUPLICATE_MEMBER",
            d.ON_TWO_HOUSEHOLDS,
            f"in_rnp AND idcs IN ({_ON_TWO_HOUSEHOLDS})",
        ),
        _rsu("RSU_DECEASED_MEMBER", d.DECEASED, "in_rnp AND deceased"),
    ]


def _unknown_territory() -> list[str]:
    detail = d.UNKNOWN_ANNEX
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
