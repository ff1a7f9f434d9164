"""The `split_suspects` output: single-person households that look like one family."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from sijill.engine.params import Parameters
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    NADIA,
    RACHID,
    Row,
    Rows,
    amo_row,
    changed,
    person,
    read_output,
    reconcile_rows,
    rnp_row,
    rsu_row,
    territories_rows,
)

AS_OF = date(2024, 3, 10)
SALAM = "RUE 12 N 34 HAY SALAM"

FATHER = person("عبد الرحيم", "بناني", "ABDERRAHIM", "BENNANI", "M", date(1979, 4, 12))
MOTHER = person("نزهة", "العلمي", "NEZHA", "ALAMI", "F", date(1983, 9, 30))
SON = person("أيوب", "بناني", "AYOUB", "BENNANI", "M", date(2010, 1, 15))
DAUGHTER = person("سلمى", "بناني", "SALMA", "BENNANI", "F", date(2014, 6, 2))
# too old to be the mother's husband, a man (not a possible mother), of another family
NEIGHBOUR = person("عبد القادر", "الحلوي", "ABDELKADER", "HALAOUI", "M", date(1950, 2, 11))

# (household, person, annex, address as written); one single-person household each
SINGLES: list[tuple[str, Row, str, str]] = [
    # a family split in four: a couple with their own family names, two children
    ("HS01", FATHER, ANNEX_1, "RUE 12 N 34 HAY SALAM"),
    ("HS02", MOTHER, ANNEX_1, "rue 12 n° 34, hay salam"),
    ("HS03", SON, ANNEX_1, "Rue 12 N°34 Hay Salam"),
    ("HS04", DAUGHTER, ANNEX_1, "RUE 12, N. 34 - HAY SALAM"),
    # an elderly neighbour living alone at the same address
    ("HS05", NEIGHBOUR, ANNEX_1, "Rue 12 n° 34 Hay Salam"),
    # two unrelated men
    ("HS10", person("كريم", "الزياني", "KARIM", "ZIANI", "M", date(1985, 3, 3)), ANNEX_1,
     "Derb Sidi Bouzid n° 5"),
    ("HS11", person("عمر", "الصقلي", "OMAR", "SQALLI", "M", date(1990, 7, 21)), ANNEX_1,
     "DERB SIDI BOUZID N 5"),
    # two adult brothers: kin, but neither a couple nor a parent and child
    ("HS20", person("يونس", "برادة", "YOUNES", "BERRADA", "M", date(1990, 1, 8)), ANNEX_1,
     "Hay Nahda rue 3 n° 8"),
    ("HS21", person("مهدي", "برادة", "MEHDI", "BERRADA", "M", date(1994, 11, 30)), ANNEX_1,
     "HAY NAHDA RUE 3 N 8"),
    # a man and a woman who would be a couple, and a father and his son, at one address,
    # but each pair split over the two annexes
    ("HS30", person("ياسين", "الكتاني", "YASSINE", "EL KETTANI", "M", date(1988, 5, 5)), ANNEX_1,
     "Av. Hassan II n° 10"),
    ("HS31", person("هند", "الودغيري", "HIND", "OUADGHIRI", "F", date(2000, 2, 2)), ANNEX_2,
     "AV HASSAN II N 10"),
    ("HS33", person("يحيى", "الصبار", "YAHYA", "SABBAR", "M", date(1970, 3, 3)), ANNEX_1,
     "Av Hassan II, N°10"),
    ("HS34", person("أنس", "الصبار", "ANAS", "SABBAR", "M", date(2012, 3, 3)), ANNEX_2,
     "Av Hassan II, N°10"),
    # a couple alone, in the other annex
    ("HS40", person("إدريس", "الشرقاوي", "DRISS", "CHERKAOUI", "M", date(1975, 12, 1)), ANNEX_2,
     "Lot Al Wahda, N° 45"),
    ("HS41", person("ليلى", "المريني", "LAILA", "MERINI", "F", date(1978, 4, 4)), ANNEX_2,
     "LOT AL-WAHDA N 45"),
    # a mother and her young son, who carries his father's family name
    ("HS50", person("رجاء", "الفيلالي", "RAJAE", "FILALI", "F", date(1989, 8, 17)), ANNEX_2,
     "Douar Oulad Ahmed"),
    ("HS51", person("زكرياء", "العمراني", "ZAKARIA", "AMRANI", "M", date(2013, 1, 25)), ANNEX_2,
     "DOUAR OULAD AHMED"),
]  # fmt: skip


def _idcs(household: str) -> str:
    return f"08000000{household[2:]}"


def split_rows() -> dict[str, Rows]:
    rnp: Rows = []
    rsu: Rows = []
    for household, who, annex, address in SINGLES:
        rnp.append(rnp_row(_idcs(household), who, annex=annex))
        row = rsu_row(f"M-{household}", household, _idcs(household), "head", who, 6.5, annex=annex)
        rsu.append(changed(row, address=address))
    # a two-person household at the split family's address is no single-person household
    for m, (relation, who) in enumerate((("head", RACHID), ("spouse", NADIA))):
        row = rsu_row(f"M-HS09-{m}", "HS09", None, relation, who, 6.5)
        rsu.append(changed(row, address="Rue 12 N 34 Hay Salam"))
    # the contract asks for an AMO extract: one file, on nobody's household
    file = amo_row("B1", "F1", "H-AUTRE", None, "insured", RACHID, "pending_validation")
    amo = [changed(file, deposited_at=datetime(2024, 3, 9, 10, 0))]
    return {"territories": territories_rows(), "rnp": rnp, "rsu": rsu, "amo": amo}


@pytest.fixture(scope="module")
def suspects(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Rows:
    """The split rows reconciled on each engine (tests/spark/session.py)."""
    rows = split_rows()
    folder = tmp_path_factory.mktemp("splits")
    out = reconcile_rows(folder, rows, Parameters(AS_OF), engine=engine)
    return read_output(out, "split_suspects")


def clusters(found: Rows) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for row in found:
        grouped.setdefault(str(row["cluster_id"]), []).append(str(row["household_id"]))
    return {k: sorted(v) for k, v in grouped.items()}


def test_the_split_family_is_one_cluster_of_four(suspects: Rows) -> None:
    family = [r for r in suspects if r["annex_code"] == ANNEX_1]
    assert clusters(family) == {"SPLIT-HS01": ["HS01", "HS02", "HS03", "HS04"]}
    assert {r["idcs"] for r in family} == {_idcs(h) for h in ("HS01", "HS02", "HS03", "HS04")}
    (reason,) = {r["reason"] for r in family}
    assert isinstance(reason, str)
    assert reason.startswith(f"4 single-person households at {SALAM}: ")
    assert "1 couple(s), 2 parent-child pair(s)" in reason


def test_neighbour_at_the_address_is_left_out(suspects: Rows) -> None:
    households = {r["household_id"] for r in suspects}
    assert "HS05" not in households
    assert "HS09" not in households  # two persons: not a single-person household


def test_unrelated_adults_and_adult_siblings_are_no_cluster(suspects: Rows) -> None:
    households = {r["household_id"] for r in suspects}
    assert not households & {"HS10", "HS11", "HS20", "HS21"}


def test_different_annexes_are_never_grouped(suspects: Rows) -> None:
    households = {r["household_id"] for r in suspects}
    assert not households & {"HS30", "HS31", "HS33", "HS34"}


def test_a_couple_alone_is_a_cluster_of_two(suspects: Rows) -> None:
    couple = [r for r in suspects if r["cluster_id"] == "SPLIT-HS40"]
    assert clusters(couple) == {"SPLIT-HS40": ["HS40", "HS41"]}
    (reason,) = {r["reason"] for r in couple}
    assert isinstance(reason, str)
    assert reason.startswith("2 single-person households at LOT AL WAHDA N 45: 1 couple(s), 0 ")


def test_a_mother_and_her_child_with_another_family_name(suspects: Rows) -> None:
    pair = [r for r in suspects if r["cluster_id"] == "SPLIT-HS50"]
    assert sorted(str(r["household_id"]) for r in pair) == ["HS50", "HS51"]
    assert all("1 possible mother(s)" in str(r["reason"]) for r in pair)


def test_everything_found(suspects: Rows) -> None:
    assert clusters(suspects) == {
        "SPLIT-HS01": ["HS01", "HS02", "HS03", "HS04"],
        "SPLIT-HS40": ["HS40", "HS41"],
        "SPLIT-HS50": ["HS50", "HS51"],
    }
    assert all(r["annex_code"] == ANNEX_2 for r in suspects if r["cluster_id"] != "SPLIT-HS01")


def test_arabic_indic_house_numbers_tell_addresses_apart(tmp_path: Path) -> None:
    rows = split_rows()
    man = person("هشام", "الراشدي", "HICHAM", "RACHIDI", "M", date(1984, 6, 6))
    woman = person("سناء", "البقالي", "SANAA", "BAKKALI", "F", date(1987, 7, 7))
    for household, who, address in (
        ("HS60", man, "درب السلام رقم ١٢"),
        ("HS61", woman, "درب السلام رقم ٤٥"),
    ):
        row = rsu_row(f"M-{household}", household, None, "head", who, 6.5, annex=ANNEX_2)
        rows["rsu"].append(changed(row, address=address))
    found = read_output(reconcile_rows(tmp_path, rows, Parameters(AS_OF)), "split_suspects")
    assert not {"HS60", "HS61"} & {r["household_id"] for r in found}
