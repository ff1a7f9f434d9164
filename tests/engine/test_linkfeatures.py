"""Linkage features (engine/linkfeatures.py) on hand-built extracts, read row by row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from sijill.engine.extracts.reading import load_extracts
from sijill.engine.linkage.features import FEATURES, build_rows, rnp_features
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    COMMUNE,
    FATIMA,
    KHADIJA,
    MOHAMMED,
    PROVINCE,
    SAID,
    YOUSSEF,
    Rows,
    amo_row,
    rnp_row,
    rsu_row,
    territories_rows,
    write_set,
)

UNKNOWN_ANNEX = "A-99999"


def link_rows() -> dict[str, Rows]:
    rnp = [
        rnp_row("0012345674", MOHAMMED),
        rnp_row("0012345682", FATIMA, annex=ANNEX_2),
        rnp_row("0098765432", YOUSSEF),
        rnp_row("1234567890", KHADIJA),
    ]
    rsu = [
        rsu_row("M1", "H1", "0012345674", "head", MOHAMMED, 7.5),  # resolved: not linked
        rsu_row("M2", "H1", None, "spouse", {**FATIMA, "first_name_lat": "FATIMA EZZAHRA"}, 7.5),
        rsu_row("M3", "H1", "0098765423", "child", YOUSSEF, 7.5),  # two digits swapped
        rsu_row("M4", "H2", "123456780", "head", KHADIJA, 9.0),  # one digit dropped
        rsu_row("M5", "H3", "5555555555", "head", SAID, 9.0, annex=UNKNOWN_ANNEX),
    ]
    amo = [
        amo_row("B1", "F1", "H1", "0012345674", "insured", MOHAMMED, "accepted"),
        amo_row("B2", "F1", "H1", "0012345675", "spouse", FATIMA, "accepted"),  # one changed
    ]
    return {"territories": territories_rows(), "rnp": rnp, "rsu": rsu, "amo": amo}


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    folder: Path = tmp_path_factory.mktemp("linkfeatures")
    connection = duckdb.connect()
    load_extracts(connection, write_set(folder, "csv", link_rows()))
    build_rows(connection)
    yield connection
    connection.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, tuple[object, ...]]:
    return {str(r[0]): tuple(r[1:]) for r in con.execute(sql).fetchall()}


def test_only_rows_with_a_missing_or_unknown_identifier_are_linked(
    con: duckdb.DuckDBPyConnection,
) -> None:
    uids = [r[0] for r in con.execute("SELECT uid FROM lk_rows ORDER BY uid").fetchall()]
    assert uids == ["amo:B2", "rsu:M2", "rsu:M3", "rsu:M4", "rsu:M5"]


def test_features_have_the_same_columns_on_both_sides(con: duckdb.DuckDBPyConnection) -> None:
    rows = [d[0] for d in con.execute("SELECT * FROM lk_rows LIMIT 0").description]
    rnp = [d[0] for d in con.execute(f"SELECT * FROM ({rnp_features()}) LIMIT 0").description]
    assert tuple(rows) == tuple(rnp) == FEATURES


def test_an_identifier_one_digit_away_finds_the_rnp_person(
    con: duckdb.DuckDBPyConnection,
) -> None:
    near = _rows(con, "SELECT uid, id_near FROM lk_rows")
    assert near == {
        "amo:B2": ("0012345674",),  # last digit changed (…682 is two digits away)
        "rsu:M2": (None,),  # no identifier at all
        "rsu:M3": ("0098765432",),  # neighbours swapped
        "rsu:M4": ("1234567890",),  # a digit dropped
        "rsu:M5": (None,),  # nobody near
    }


def test_rnp_persons_are_near_themselves(con: duckdb.DuckDBPyConnection) -> None:
    same = con.execute(f"SELECT count(*) FROM ({rnp_features()}) WHERE id_near = idcs")
    assert same.fetchall() == [(4,)]


def test_names_get_their_keys_in_both_scripts(con: duckdb.DuckDBPyConnection) -> None:
    keys = _rows(
        con,
        "SELECT uid, fn_ar, ln_ar, fn_lk, ln_lk, fn_tk FROM lk_rows WHERE uid = 'rsu:M2'",
    )
    fn_ar, ln_ar, fn_lk, ln_lk, fn_tk = keys["rsu:M2"]
    assert (fn_ar, ln_ar) == ("فاطمه الزهراء", "العلوي")  # the contract's normalization
    rnp = _rows(
        con,
        f"SELECT idcs, fn_lk, ln_lk FROM ({rnp_features()}) WHERE idcs = '0012345682'",
    )
    # FATIMA EZZAHRA and FATIMA ZAHRA fold to one Latin key
    assert rnp["0012345682"] == (fn_lk, ln_lk)
    assert fn_tk  # the Arabic name has a Latin reading too


def test_places_go_up_the_territory_tree(con: duckdb.DuckDBPyConnection) -> None:
    places = _rows(
        con, "SELECT uid, annex_code, commune_code, province_code, birth_year FROM lk_rows"
    )
    assert places["rsu:M3"] == (ANNEX_1, COMMUNE, PROVINCE, 2010)
    said_born = SAID["birth_date"]
    assert isinstance(said_born, date)
    assert places["rsu:M5"] == (UNKNOWN_ANNEX, None, None, said_born.year)
