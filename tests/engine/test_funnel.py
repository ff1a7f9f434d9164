"""The `funnel` output on a hand-built country (tests/extract_files.country_rows).

Every count is worked out by hand from the rows, annex by annex, then summed up the tree;
the comments say which rows make each number.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sijill.domain.contract import DEFAULT_THRESHOLD
from sijill.engine.params import Parameters
from sijill.engine.reconciliation.funnel import COLUMNS
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    ANNEX_3,
    ANNEX_4,
    COMMUNE,
    COMMUNE_2,
    COMMUNE_3,
    COUNTRY_AS_OF,
    PROVINCE,
    PROVINCE_2,
    REGION,
    REGION_2,
    UNKNOWN_ANNEX,
    Row,
    country_rows,
    read_output,
    reconcile_rows,
)

Counts = dict[str, int | float | None]

ZERO: Counts = {c: 0 for c in COLUMNS[4:]} | {"rsu_single_share": None}

# ANNEX_1: rnp p1, p2, p3 living (p4 deceased); p1, p2 on H01 (p3 on no row).
# H01 (p1, p2, deceased p4; 7.5) and H02 (one row without idcs; 12.0, single, ineligible).
# F01 accepted (B01 ok, B02 birth date differs, B03 no idcs); F02 rejected on H02 (B04 no
# idcs, B05 p1 who is not on H02): both rows ineligible.
A1: Counts = {
    "rnp_persons": 3,
    "rnp_in_rsu": 2,
    "rnp_not_in_rsu": 1,
    "rsu_households": 2,
    "rsu_persons": 4,
    "rsu_id_unknown": 1,
    "rsu_mismatch": 0,
    "rsu_single_households": 1,
    "rsu_single_share": 0.5,
    "eligible_households": 1,
    "eligible_persons": 3,
    "amo_files": 2,
    "amo_beneficiaries": 5,
    "amo_not_in_rsu": 3,
    "amo_mismatch": 1,
    "amo_ineligible": 2,
    "amo_pending_stale": 0,
    "amo_sla_breached": 0,
    "amo_accepted": 1,
    "amo_rejected": 1,
}
# ANNEX_2: p5 on H03 (single, score = threshold) and H04 (with idcs 0000000000, unknown to
# the RNP); H07 two rows without idcs, score 10.0. F03 pending since 60 days.
A2: Counts = {
    "rnp_persons": 1,
    "rnp_in_rsu": 1,
    "rnp_not_in_rsu": 0,
    "rsu_households": 3,
    "rsu_persons": 5,
    "rsu_id_unknown": 3,
    "rsu_mismatch": 0,
    "rsu_single_households": 1,
    "rsu_single_share": 1 / 3,
    "eligible_households": 2,
    "eligible_persons": 3,
    "amo_files": 1,
    "amo_beneficiaries": 1,
    "amo_not_in_rsu": 0,
    "amo_mismatch": 0,
    "amo_ineligible": 0,
    "amo_pending_stale": 1,
    "amo_sla_breached": 0,
    "amo_accepted": 0,
    "amo_rejected": 0,
}
# ANNEX_3: p6 (whose only rsu row H05 is in an unknown annex) and p8 (H06, name differs).
# F04 deposited here for household H04 of ANNEX_2, transmitted 50 days ago, no decision.
A3: Counts = {
    "rnp_persons": 2,
    "rnp_in_rsu": 2,
    "rnp_not_in_rsu": 0,
    "rsu_households": 1,
    "rsu_persons": 1,
    "rsu_id_unknown": 0,
    "rsu_mismatch": 1,
    "rsu_single_households": 1,
    "rsu_single_share": 1.0,
    "eligible_households": 1,
    "eligible_persons": 1,
    "amo_files": 1,
    "amo_beneficiaries": 2,
    "amo_not_in_rsu": 0,
    "amo_mismatch": 0,
    "amo_ineligible": 0,
    "amo_pending_stale": 0,
    "amo_sla_breached": 1,
    "amo_accepted": 0,
    "amo_rejected": 0,
}


def _sum(*parts: Counts) -> Counts:
    total: Counts = {
        c: sum(int(p[c] or 0) for p in parts) for c in COLUMNS[4:] if c != "rsu_single_share"
    }
    households = int(total["rsu_households"] or 0)
    singles = int(total["rsu_single_households"] or 0)
    total["rsu_single_share"] = singles / households if households else None
    return total


C1 = _sum(A1, A2)
EXPECTED: dict[str, Counts] = {
    ANNEX_1: A1,
    ANNEX_2: A2,
    ANNEX_3: A3,
    ANNEX_4: ZERO,
    COMMUNE: C1,
    COMMUNE_2: A3,
    COMMUNE_3: ZERO,
    PROVINCE: _sum(A1, A2, A3),
    PROVINCE_2: ZERO,
    REGION: _sum(A1, A2, A3),
    REGION_2: ZERO,
    "ALL": _sum(A1, A2, A3),
}


@pytest.fixture(scope="module")
def country_out(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """The hand-built country reconciled on each engine (tests/spark/session.py)."""
    return reconcile_rows(
        tmp_path_factory.mktemp("funnel"), country_rows(), Parameters(COUNTRY_AS_OF), engine=engine
    )


def by_code(out: Path) -> dict[str, Row]:
    return {str(row["code"]): row for row in read_output(out, "funnel")}


@pytest.fixture(scope="module")
def funnel(country_out: Path) -> dict[str, Row]:
    return by_code(country_out)


def _counts(row: Row) -> Counts:
    found: Counts = {}
    for column in COLUMNS[4:]:
        value = row[column]
        assert value is None or isinstance(value, int | float)
        found[column] = value
    return found


@pytest.mark.parametrize("code", list(EXPECTED))
def test_counts_of_every_territory(funnel: dict[str, Row], code: str) -> None:
    assert _counts(funnel[code]) == pytest.approx(EXPECTED[code])


def test_one_row_per_territory_and_the_national_row(funnel: dict[str, Row]) -> None:
    assert set(funnel) == set(EXPECTED)  # the unknown annex gets no row
    assert UNKNOWN_ANNEX not in funnel
    levels = {code: row["level"] for code, row in funnel.items()}
    assert levels["ALL"] == "national"
    assert levels[ANNEX_4] == "annex" and levels[COMMUNE_3] == "commune"
    assert levels[PROVINCE_2] == "province" and levels[REGION_2] == "region"
    assert funnel[ANNEX_3]["name_fr"] == "Annexe Sidi Maârouf"
    assert funnel[ANNEX_3]["name_ar"] == "الملحقة الإدارية سيدي معروف"
    assert funnel["ALL"]["name_fr"] == "Maroc"


def test_columns_in_contract_order_with_their_types(country_out: Path) -> None:
    schema = pq.read_schema(country_out / "funnel.parquet")
    assert tuple(schema.names) == COLUMNS
    assert str(schema.field("rsu_single_share").type) == "double"
    assert {str(schema.field(c).type) for c in COLUMNS[4:] if c != "rsu_single_share"} == {"int64"}
    rows = read_output(country_out, "funnel")
    # national first, then regions, provinces, communes, annexes
    assert [r["level"] for r in rows] == ["national"] + ["region"] * 2 + ["province"] * 2 + [
        "commune"
    ] * 3 + ["annex"] * 4


def test_shares_are_recomputed_at_parent_levels(funnel: dict[str, Row]) -> None:
    # ANNEX_1: 1 single of 2 households, ANNEX_2: 1 of 3 -> the commune has 2 of 5 (0.4),
    # not the mean of the annex shares (0.4167).
    assert funnel[ANNEX_1]["rsu_single_share"] == 0.5
    assert funnel[ANNEX_2]["rsu_single_share"] == pytest.approx(1 / 3)
    assert funnel[COMMUNE]["rsu_single_share"] == pytest.approx(0.4)
    assert funnel[COMMUNE]["rsu_single_share"] != pytest.approx((0.5 + 1 / 3) / 2)
    # province: 3 singles of 6 households, while the mean of its communes is 0.7
    assert funnel[PROVINCE]["rsu_single_share"] == pytest.approx(0.5)


def test_no_household_gives_a_null_share(funnel: dict[str, Row]) -> None:
    for code in (ANNEX_4, COMMUNE_3, PROVINCE_2, REGION_2):
        assert funnel[code]["rsu_households"] == 0
        assert funnel[code]["rsu_single_share"] is None


def test_leading_zeros_keep_one_person(funnel: dict[str, Row]) -> None:
    # 0012345678 is in the RNP and on H01: counted as the same person, not as an
    # unknown identifier on one side and a person missing from the RSU on the other.
    assert funnel[ANNEX_1]["rnp_in_rsu"] == 2
    assert funnel[ANNEX_1]["rsu_id_unknown"] == 1  # only M04, which has no idcs


def test_person_on_two_households(funnel: dict[str, Row]) -> None:
    # p5 is on H03 and H04: one person in rnp_in_rsu, two rsu rows in rsu_persons.
    assert funnel[ANNEX_2]["rnp_persons"] == 1
    assert funnel[ANNEX_2]["rnp_in_rsu"] == 1
    assert funnel[ANNEX_2]["rsu_persons"] == 5


def test_unknown_annex_rows_are_in_no_count(funnel: dict[str, Row]) -> None:
    # One row of each register sits in UNKNOWN_ANNEX: the national row counts 8 amo rows
    # of 9, 10 rsu rows of 11, and 6 of the 7 living RNP persons.
    rows = country_rows()
    assert len(rows["amo"]) == 9 and funnel["ALL"]["amo_beneficiaries"] == 8
    assert len(rows["rsu"]) == 11 and funnel["ALL"]["rsu_persons"] == 10
    living = [r for r in rows["rnp"] if not r["deceased"]]
    assert len(living) == 7 and funnel["ALL"]["rnp_persons"] == 6
    assert funnel["ALL"]["amo_files"] == 4  # F05, in the unknown annex, is left out


def test_rnp_person_with_rsu_row_in_unknown_annex_is_in_rsu(funnel: dict[str, Row]) -> None:
    # The engine's reading: "rnp_in_rsu" asks whether the idcs appears on *any* rsu row; the
    # row's own annex (unknown here) only keeps that row out of the RSU counts.
    assert funnel[ANNEX_3]["rnp_in_rsu"] == 2
    assert funnel[ANNEX_3]["rnp_not_in_rsu"] == 0


def test_files_are_counted_once_where_deposited(funnel: dict[str, Row]) -> None:
    # F01 has three rows: one file, one accepted file. F04 is for household H04 of ANNEX_2
    # but deposited in ANNEX_3: its file and its rows count in ANNEX_3.
    assert funnel[ANNEX_1]["amo_files"] == 2
    assert funnel[ANNEX_1]["amo_accepted"] == 1 and funnel[ANNEX_1]["amo_rejected"] == 1
    assert funnel[ANNEX_3]["amo_files"] == 1 and funnel[ANNEX_3]["amo_beneficiaries"] == 2
    assert funnel[ANNEX_3]["amo_sla_breached"] == 1
    assert funnel[ANNEX_2]["amo_beneficiaries"] == 1


def test_threshold_parameter_changes_eligibility(tmp_path: Path) -> None:
    # 9.0 makes H03 (score = default threshold) ineligible; 12.0 makes H02 and H07 eligible
    # (12.0 <= 12.0), and with them the two AMO rows of F02.
    rows = country_rows()
    lower = by_code(reconcile_rows(tmp_path / "low", rows, Parameters(COUNTRY_AS_OF, 9.0)))
    higher = by_code(reconcile_rows(tmp_path / "high", rows, Parameters(COUNTRY_AS_OF, 12.0)))
    assert 9.0 < DEFAULT_THRESHOLD < 12.0
    assert lower[ANNEX_2]["eligible_households"] == 1
    assert lower[ANNEX_2]["eligible_persons"] == 2
    assert higher[ANNEX_1]["eligible_households"] == 2
    assert higher[ANNEX_1]["eligible_persons"] == 4
    assert higher[ANNEX_1]["amo_ineligible"] == 0
    assert higher[ANNEX_2]["eligible_households"] == 3
    assert higher["ALL"]["eligible_persons"] == 10


def test_parquet_inputs_give_the_same_funnel(tmp_path: Path, funnel: dict[str, Row]) -> None:
    out = reconcile_rows(tmp_path, country_rows(), Parameters(COUNTRY_AS_OF), fmt="parquet")
    assert by_code(out) == funnel
