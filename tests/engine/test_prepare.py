"""The working tables (engine/prepare.py): each register row once, with its flags.

The tables are built straight from loaded extracts, without the later stages, so that each
flag can be read on the row it belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from sijill.domain.contract import DEFAULT_THRESHOLD
from sijill.domain.names import normalize_arabic
from sijill.engine.dialects.duckdb import DuckDBDialect
from sijill.engine.extracts.reading import load_extracts
from sijill.engine.params import Parameters
from sijill.engine.reconciliation.prepare import TABLES, Sql
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    FATIMA,
    HASSAN,
    KHADIJA,
    MOHAMMED,
    NADIA,
    UNKNOWN_ANNEX,
    YOUSSEF,
    Rows,
    amo_row,
    changed,
    rnp_row,
    rsu_row,
    territories_rows,
    write_set,
)

AS_OF = date(2024, 3, 10)
ABOVE = 9.3264285  # just above the default threshold


def prepare_rows() -> dict[str, Rows]:
    rnp = [
        rnp_row("0012345678", MOHAMMED),
        rnp_row("1234567890", KHADIJA, deceased=True),
        rnp_row("0500000016", HASSAN, annex=UNKNOWN_ANNEX),
        rnp_row("0700000019", FATIMA, annex=ANNEX_2),
        # on no RSU row: living, deceased, and living in an unknown annex
        rnp_row("0900000012", NADIA),
        rnp_row("0800000011", YOUSSEF, deceased=True),
        rnp_row("0600000017", NADIA, annex=UNKNOWN_ANNEX),
    ]
    rsu = [
        rsu_row("R1", "H1", "0012345678", "head", MOHAMMED, DEFAULT_THRESHOLD),
        rsu_row("R2", "H1", "12345678", "child", YOUSSEF, DEFAULT_THRESHOLD),
        rsu_row("R3", "H1", None, "spouse", NADIA, DEFAULT_THRESHOLD),
        rsu_row("R4", "H2", "1234567890", "head", {**KHADIJA, "sex": "M"}, ABOVE, annex=ANNEX_2),
        rsu_row("R5", "H3", "0500000016", "head", HASSAN, 4.0, annex=UNKNOWN_ANNEX),
        rsu_row("R6", "H4", "0700000019", "head", FATIMA, 8.0, annex=ANNEX_2),
        rsu_row("R7", "H4", None, "child", YOUSSEF, 8.0),
        # the same idcs twice on H1
        rsu_row("R8", "H1", "0012345678", "other", MOHAMMED, DEFAULT_THRESHOLD),
    ]
    pending = {"deposited_at": datetime(2024, 3, 7, 23, 30)}
    transmitted = {
        "validated_at": datetime(2024, 2, 8, 10, 0),
        "transmitted_at": datetime(2024, 2, 9, 8, 0),
    }
    amo = [
        amo_row("BA1", "FA", "H1", "0012345678", "insured", MOHAMMED, "accepted"),
        amo_row("BA2", "FA", "H1", "1234567890", "other", KHADIJA, "accepted"),
        amo_row("BA3", "FA", "H1", None, "spouse", NADIA, "accepted"),
        amo_row("BA4", "FA", "H1", "12345678", "child", YOUSSEF, "accepted"),
        amo_row("BB1", "FB", "H2", "1234567890", "insured", KHADIJA, "rejected", annex=ANNEX_2),
        changed(
            amo_row("BC1", "FC", "H-NONE", "0700000019", "insured", FATIMA, "pending_validation"),
            **pending,
        ),
        changed(
            amo_row("BD1", "FD", "H3", "0500000016", "insured", HASSAN, "transmitted"),
            annex_code=UNKNOWN_ANNEX,
            **transmitted,
        ),
        # decided, but never transmitted: no CNSS deadline
        changed(
            amo_row("BE1", "FE", "H4", "0700000019", "insured", FATIMA, "accepted"),
            transmitted_at=None,
        ),
    ]
    return {"territories": territories_rows(), "rnp": rnp, "rsu": rsu, "amo": amo}


def prepared(directory: Path, params: Parameters) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_extracts(con, write_set(directory, "csv", prepare_rows()))
    for statement in Sql(params, DuckDBDialect()).statements():
        con.execute(statement)
    return con


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = prepared(tmp_path_factory.mktemp("prepare"), Parameters(AS_OF))
    yield connection
    connection.close()


def rows_of(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, tuple[object, ...]]:
    """First column -> the other columns, for every row of the query."""
    found = con.execute(sql).fetchall()
    by_key = {str(row[0]): tuple(row[1:]) for row in found}
    assert len(by_key) == len(found)
    return by_key


def test_every_table_is_built(con: duckdb.DuckDBPyConnection) -> None:
    counts = {t: (con.execute(f"SELECT count(*) FROM {t}").fetchone() or (0,))[0] for t in TABLES}
    # one working row per register row, even where an idcs is twice on a household (R1, R8);
    # one per annex, household and file
    spellings = {
        row[column]
        for name in ("rnp", "rsu", "amo")
        for row in prepare_rows()[name]
        for column in ("first_name_ar", "last_name_ar")
    }
    assert counts == {
        "w_annex": 2,
        "w_spelling": len(spellings),
        "w_rnp_annex": 3,
        "w_rnp_lost": 1,
        "w_rsu": 8,
        "w_household": 4,
        "w_amo": 8,
        "w_file": 5,
    }


def test_lost_rnp_persons_are_living_in_a_known_annex_and_on_no_rsu_row(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert rows_of(con, "SELECT idcs, annex_code FROM w_rnp_lost") == {"0900000012": (ANNEX_1,)}


def test_each_spelling_has_its_hash_and_its_key(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute("SELECT v, h, k FROM w_spelling").fetchall()
    assert len({h for _, h, _ in found}) == len(found)
    for spelling, hashed, key in found:
        assert con.execute("SELECT hash(?)", [spelling]).fetchone() == (hashed,)
        assert key == normalize_arabic(spelling)


def test_spellings_sharing_a_hash_stop_the_run(con: duckdb.DuckDBPyConnection) -> None:
    sql = Sql(Parameters(AS_OF), DuckDBDialect())
    check = sql.spellings()[1]
    con.execute("CREATE TEMP TABLE saved AS SELECT * FROM w_spelling")
    try:
        con.execute("INSERT INTO w_spelling SELECT v || 'x', h, k FROM w_spelling LIMIT 1")
        with pytest.raises(duckdb.InvalidInputException, match="share a 64-bit hash"):
            con.execute(check).fetchall()
    finally:
        con.execute("CREATE OR REPLACE TABLE w_spelling AS SELECT * FROM saved")


def test_known_annex(con: duckdb.DuckDBPyConnection) -> None:
    assert rows_of(con, "SELECT annex_code FROM w_annex") == {ANNEX_1: (), ANNEX_2: ()}
    assert rows_of(con, "SELECT annex_code, living FROM w_rnp_annex") == {
        ANNEX_1: (2,),
        ANNEX_2: (1,),
        UNKNOWN_ANNEX: (2,),
    }
    unknown = "SELECT {} FROM {} WHERE NOT known ORDER BY 1"
    assert con.execute(unknown.format("member_id", "w_rsu")).fetchall() == [("R5",)]
    assert con.execute(unknown.format("beneficiary_id", "w_amo")).fetchall() == [("BD1",)]
    assert con.execute(unknown.format("amo_file_id", "w_file")).fetchall() == [("FD",)]
    assert con.execute(unknown.format("household_id", "w_household")).fetchall() == [("H3",)]


def test_rsu_identifier_flags(con: duckdb.DuckDBPyConnection) -> None:
    # exact string equality: 12345678 is not 0012345678; a person living in an unknown
    # annex is still in the RNP; deceased is false where the idcs is not in the RNP.
    assert rows_of(con, "SELECT member_id, idcs, in_rnp, deceased FROM w_rsu") == {
        "R1": ("0012345678", True, False),
        "R2": ("12345678", False, False),
        "R3": (None, False, False),
        "R4": ("1234567890", True, True),
        "R5": ("0500000016", True, False),
        "R6": ("0700000019", True, False),
        "R7": (None, False, False),
        "R8": ("0012345678", True, False),
    }


def test_rsu_field_differences(con: duckdb.DuckDBPyConnection) -> None:
    flags = rows_of(
        con, "SELECT member_id, sex_differs, birth_differs, name_differs FROM w_rsu WHERE in_rnp"
    )
    assert flags["R1"] == (False, False, False)
    assert flags["R4"] == (True, False, False)


def test_eligibility_at_the_threshold(con: duckdb.DuckDBPyConnection) -> None:
    assert rows_of(con, "SELECT member_id, eligible FROM w_rsu WHERE member_id < 'R5'") == {
        "R1": (True,),  # score equal to the threshold
        "R2": (True,),
        "R3": (True,),
        "R4": (False,),
    }


def test_households(con: duckdb.DuckDBPyConnection) -> None:
    assert rows_of(
        con, "SELECT household_id, annex_code, members, score, eligible, known FROM w_household"
    ) == {
        "H1": (ANNEX_1, 4, DEFAULT_THRESHOLD, True, True),
        "H2": (ANNEX_2, 1, ABOVE, False, True),
        "H3": (UNKNOWN_ANNEX, 1, 4.0, True, False),
        # The engine's reading of a household whose rows name two annexes: its first row's.
        "H4": (ANNEX_2, 2, 8.0, True, True),
    }


def test_amo_rows_against_their_household(con: duckdb.DuckDBPyConnection) -> None:
    assert rows_of(
        con,
        "SELECT beneficiary_id, rsu_member_id, not_in_rsu, ineligible, household_score FROM w_amo",
    ) == {
        "BA1": ("R1", False, False, DEFAULT_THRESHOLD),  # first of R1, R8
        "BA2": (None, True, False, DEFAULT_THRESHOLD),  # on H2, not on H1
        "BA3": (None, True, False, DEFAULT_THRESHOLD),  # no idcs
        "BA4": ("R2", False, False, DEFAULT_THRESHOLD),  # on H1's rows, unknown to the RNP
        "BB1": ("R4", False, True, ABOVE),
        "BC1": (None, True, False, None),  # no such household: not known to be ineligible
        "BD1": ("R5", False, False, 4.0),
        "BE1": ("R6", False, False, 8.0),
    }


def test_amo_field_differences(con: duckdb.DuckDBPyConnection) -> None:
    flags = rows_of(
        con,
        "SELECT beneficiary_id, sex_differs, birth_differs, name_differs FROM w_amo "
        "WHERE NOT not_in_rsu",
    )
    # BB1 is KHADIJA as the RNP has her; the RSU row R4 says M
    assert flags["BB1"] == (True, False, False)
    assert flags["BA1"] == (False, False, False)


def test_files(con: duckdb.DuckDBPyConnection) -> None:
    assert rows_of(
        con,
        "SELECT amo_file_id, annex_code, household_id, status, stale, pending_days, "
        "cnss_days, sla_breached FROM w_file",
    ) == {
        # deposited 2024-01-10, transmitted 2024-01-12, decided 2024-02-01
        "FA": (ANNEX_1, "H1", "accepted", False, 60, 20, False),
        "FB": (ANNEX_2, "H2", "rejected", False, 60, 20, False),
        "FC": (ANNEX_1, "H-NONE", "pending_validation", True, 3, None, False),
        "FD": (UNKNOWN_ANNEX, "H3", "transmitted", False, 60, 30, False),
        "FE": (ANNEX_1, "H4", "accepted", False, 60, None, False),
    }


@pytest.mark.parametrize(
    ("validation_days", "cnss_days", "stale", "breached"),
    [(2, 29, True, True), (3, 30, False, False), (0, 0, True, True)],
)
def test_deadline_parameters(
    tmp_path: Path, validation_days: int, cnss_days: int, stale: bool, breached: bool
) -> None:
    # FC: pending 3 days; FD: transmitted 30 days ago, undecided; FA: decided after 20 days
    params = Parameters(AS_OF, validation_days=validation_days, cnss_days=cnss_days)
    with prepared(tmp_path, params) as con:
        files = rows_of(con, "SELECT amo_file_id, stale, sla_breached FROM w_file")
    assert files["FC"] == (stale, False)
    assert files["FD"] == (False, breached)
    assert files["FA"] == (False, cnss_days < 20)


def test_threshold_parameter(tmp_path: Path) -> None:
    with prepared(tmp_path, Parameters(AS_OF, threshold=8.0)) as con:
        households = rows_of(con, "SELECT household_id, eligible FROM w_household")
        amo = rows_of(con, "SELECT beneficiary_id, ineligible FROM w_amo")
    assert households == {"H1": (False,), "H2": (False,), "H3": (True,), "H4": (True,)}
    assert amo["BA1"] == (True,) and amo["BE1"] == (False,)  # 8.0 <= 8.0


def test_negative_delays_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        Parameters(AS_OF, validation_days=-1)
    with pytest.raises(ValueError, match="must not be negative"):
        Parameters(AS_OF, cnss_days=-1)


def test_an_infinite_threshold_is_refused_or_makes_everyone_eligible(tmp_path: Path) -> None:
    try:
        params = Parameters(AS_OF, threshold=math.inf)
    except ValueError:
        return  # refused up front: fine
    with prepared(tmp_path, params) as con:
        eligible = rows_of(con, "SELECT household_id, eligible FROM w_household")
    assert set(eligible.values()) == {(True,)}
