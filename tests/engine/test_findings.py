"""The `findings` output: one row per problem, with the counted kinds matching the funnel.

A hand-built set of extracts puts every definition at its edge: name keys that fold to the
same key (or do not), the exact day on which a pending file becomes stale and a CNSS file
breaches its deadline, AMO rows on, off and beside their household.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from sijill.domain.contract import COUNTED_BY, DEFAULT_THRESHOLD
from sijill.engine.params import Parameters
from sijill.engine.reconciliation.findings import KINDS
from tests.extract_files import (
    ABDELLAH,
    ANNEX_1,
    ANNEX_2,
    ANNEX_3,
    COUNTRY_AS_OF,
    FATIMA,
    HASSAN,
    KHADIJA,
    MOHAMMED,
    NADIA,
    RACHID,
    SAID,
    UNKNOWN_ANNEX,
    YOUSSEF,
    Row,
    Rows,
    amo_row,
    changed,
    country_rows,
    person,
    read_output,
    reconcile_rows,
    rnp_row,
    rsu_row,
    wide_territories_rows,
)

AS_OF = date(2024, 3, 10)

# (label, name in the RNP, name as written in the RSU); equal keys: no mismatch.
SAME_KEY = [
    ("hamza", ("أحمد", "الإدريسي"), ("احمد", "الادريسي")),
    ("ta marbuta", ("فاطمة", "بناني"), ("فاطمه", "بناني")),
    ("alef maqsura", ("مصطفى", "العلوي"), ("مصطفي", "العلوي")),
    ("tashkeel", ("محمد", "التازي"), ("مُحَمَّد", "التازي")),
    ("tatweel", ("محمد", "الفاسي"), ("محـمد", "الفاسي")),
    ("spaces", ("عبد الله", "بنجلون"), ("  عبد   الله ", " بنجلون ")),
    ("waw hamza", ("مؤمن", "الصقلي"), ("مومن", "الصقلي")),
    ("ya hamza", ("هانئ", "الشرقاوي"), ("هاني", "الشرقاوي")),
    ("madda", ("آمنة", "القادري"), ("امنه", "القادري")),
    ("no-break space", ("عبد الرحمان", "السوسي"), ("عبد\u00a0الرحمان", "السوسي")),
    ("presentation forms", ("محمد", "الوزاني"), ("\ufee3\ufea4\ufee4\ufeaa", "الوزاني")),
    ("lam-alef ligature", ("علال", "الحيحي"), ("ع\ufefcل", "الحيحي")),
    ("name split elsewhere", ("عبد الله", "الحمري"), ("عبد", "الله الحمري")),
]


def _named(first_ar: str, last_ar: str, sex: str = "M", birth: date = date(1980, 5, 1)) -> Row:
    return person(first_ar, last_ar, "PRENOM", "NOM", sex, birth)


def _file_row(n: int, status: str, **times: datetime | None) -> Row:
    """A one-row AMO file F<n> for the single household H<n> of person <n>."""
    row = amo_row(f"B{n:03d}", f"F{n:03d}", f"H{n:03d}", _idcs(n), "insured", SAID, status)
    return changed(row, **times)


def _idcs(n: int) -> str:
    return f"06{n:08d}"


# File boundaries (as_of 2024-03-10, validation_days 1, cnss_days 30). n -> (status, times)
FILES: dict[int, tuple[str, dict[str, datetime | None]]] = {
    # pending, deposited 1 day before (early or late in the day): not stale
    50: ("pending_validation", {"deposited_at": datetime(2024, 3, 9, 8, 0)}),
    51: ("pending_validation", {"deposited_at": datetime(2024, 3, 9, 23, 59, 59)}),
    # pending, deposited 2 days before (at any time of that day): stale
    52: ("pending_validation", {"deposited_at": datetime(2024, 3, 8, 0, 0, 1)}),
    53: ("pending_validation", {"deposited_at": datetime(2024, 3, 8, 23, 59, 59)}),
    # validated long ago but not pending: not stale, not transmitted: no deadline
    54: (
        "validated",
        {"deposited_at": datetime(2023, 6, 1, 9, 0), "validated_at": datetime(2023, 6, 2, 9, 0)},
    ),
    # transmitted 30 days before as_of, no decision: not breached; 31 days: breached
    55: ("transmitted", {"transmitted_at": datetime(2024, 2, 9, 23, 59, 59)}),
    56: ("transmitted", {"transmitted_at": datetime(2024, 2, 8, 0, 0, 1)}),
    57: ("under_review", {"transmitted_at": datetime(2024, 2, 8, 16, 0)}),
    # decided exactly 30 days after transmission: not breached; 31 days: breached
    58: (
        "accepted",
        {
            "deposited_at": datetime(2023, 12, 18, 11, 0),
            "transmitted_at": datetime(2024, 1, 1, 9, 0),
            "decided_at": datetime(2024, 1, 31, 23, 59, 59),
        },
    ),
    59: (
        "rejected",
        {
            "deposited_at": datetime(2023, 12, 18, 11, 0),
            "transmitted_at": datetime(2024, 1, 1, 23, 59, 59),
            "decided_at": datetime(2024, 2, 1, 0, 0, 1),
        },
    ),
    # decided within 15 days, a year before as_of: not breached
    60: (
        "accepted",
        {
            "deposited_at": datetime(2022, 12, 26, 10, 0),
            "transmitted_at": datetime(2023, 1, 5, 10, 0),
            "decided_at": datetime(2023, 1, 20, 10, 0),
        },
    ),
}
STALE = {"F052": 2, "F053": 2}
BREACHED = {"F056": "no CNSS decision 31", "F057": "no CNSS decision 31", "F059": "CNSS decided 31"}


def details_rows() -> dict[str, Rows]:
    rnp: Rows = []
    rsu: Rows = []
    amo: Rows = []

    def single(n: int, registered: Row, declared: Row | None = None, score: float = 7.5) -> None:
        rnp.append(rnp_row(_idcs(n), registered))
        hh = f"H{n:03d}"
        rsu.append(rsu_row(f"M{n:03d}", hh, _idcs(n), "head", declared or registered, score))

    # names: 1..13 fold to the same key; 14..17 differ, 18 is written the same
    for n, (_, (first, last), (first_rsu, last_rsu)) in enumerate(SAME_KEY, start=1):
        single(n, _named(first, last), _named(first_rsu, last_rsu))
    single(14, _named("حسن", "الودغيري"), _named("حسين", "الودغيري"))
    single(15, _named("سعاد", "المريني", "F"), _named("سعاد", "المريني", "M"))
    single(16, _named("كريم", "الزياني"), _named("كريم", "الزياني", birth=date(1980, 5, 2)))
    single(17, _named("ليلى", "الحسني", "F"), _named("ليلي", "الحسيني", "M", date(1981, 5, 1)))
    # same text, same key: nothing
    single(18, _named("إدريس", "الكتاني"))

    # AMO: household H020 (RACHID, NADIA), H021 (HASSAN), ineligible H022, H023 at threshold
    rnp.extend(
        [
            rnp_row(_idcs(20), RACHID),
            rnp_row(_idcs(21), NADIA),
            rnp_row(_idcs(22), HASSAN),
            rnp_row(_idcs(23), MOHAMMED),
            rnp_row(_idcs(24), FATIMA),
            rnp_row(_idcs(25), ABDELLAH),
        ]
    )
    rsu.extend(
        [
            rsu_row("M020", "H020", _idcs(20), "head", RACHID, 6.25),
            rsu_row("M021", "H020", _idcs(21), "spouse", NADIA, 6.25),
            rsu_row("M022", "H021", _idcs(22), "head", HASSAN, 6.25),
            rsu_row("M023", "H022", _idcs(23), "head", MOHAMMED, 12.5),
            rsu_row("M024", "H022", _idcs(24), "spouse", FATIMA, 12.5),
            rsu_row("M025", "H023", _idcs(25), "head", ABDELLAH, DEFAULT_THRESHOLD),
        ]
    )
    nadia_later = {**NADIA, "birth_date": date(1993, 2, 15)}
    rachid_tatweel = {**RACHID, "first_name_ar": "رشـيد"}
    amo.extend(
        [
            amo_row("B020", "F020", "H020", _idcs(20), "insured", rachid_tatweel, "accepted"),
            amo_row("B021", "F020", "H020", _idcs(21), "spouse", nadia_later, "accepted"),
            amo_row("B022", "F020", "H020", _idcs(22), "other", HASSAN, "accepted"),  # H021's
            amo_row("B023", "F020", "H020", None, "child", YOUSSEF, "accepted"),
            amo_row("B024", "F020", "H020", "0123456789", "child", KHADIJA, "accepted"),
            amo_row("B025", "F022", "H022", _idcs(23), "insured", MOHAMMED, "validated"),
            amo_row("B026", "F022", "H022", None, "spouse", FATIMA, "validated"),
            amo_row("B027", "F023", "H023", _idcs(25), "insured", ABDELLAH, "validated"),
            amo_row("B028", "F024", "H-INCONNU", _idcs(20), "insured", RACHID, "validated"),
        ]
    )

    # files at their deadlines: one single household each
    for n, (status, times) in FILES.items():
        single(n, SAID)
        amo.append(_file_row(n, status, **times))
    # a stale file with two rows is one finding
    rnp.append(rnp_row(_idcs(61), FATIMA))
    rsu.append(rsu_row("M061", "H052", _idcs(61), "spouse", FATIMA, 7.5))
    second = amo_row("B061", "F052", "H052", _idcs(61), "spouse", FATIMA, "pending_validation")
    amo.append(changed(second, deposited_at=datetime(2024, 3, 8, 0, 0, 1)))

    # an unknown annex in each register, and a deceased person on a household
    rnp.append(rnp_row(_idcs(70), KHADIJA, annex=UNKNOWN_ANNEX))
    rnp.append(rnp_row(_idcs(71), KHADIJA, deceased=True, annex=ANNEX_2))
    rsu.append(rsu_row("M070", "H070", None, "head", KHADIJA, 3.0, annex=UNKNOWN_ANNEX))
    rsu.append(rsu_row("M071", "H020", _idcs(71), "parent", KHADIJA, 6.25))
    amo.append(amo_row("B070", "F070", "H070", None, "insured", KHADIJA, "accepted", annex="X"))
    return {"territories": wide_territories_rows(), "rnp": rnp, "rsu": rsu, "amo": amo}


@pytest.fixture(scope="module")
def details_out(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """The detail rows reconciled on each engine (tests/spark/session.py)."""
    folder = tmp_path_factory.mktemp("details")
    return reconcile_rows(folder, details_rows(), Parameters(AS_OF), engine=engine)


@pytest.fixture(scope="module")
def details(details_out: Path) -> Rows:
    return read_output(details_out, "findings")


@pytest.fixture(scope="module")
def country_out(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    folder = tmp_path_factory.mktemp("country")
    return reconcile_rows(folder, country_rows(), Parameters(COUNTRY_AS_OF), engine=engine)


def of_kind(findings: Rows, kind: str, key: str = "row_id") -> dict[str, object]:
    """Findings of one kind, by `key`, with their detail (checks the key is unique)."""
    found = [f for f in findings if f["kind"] == kind]
    by_key: dict[str, object] = {str(f[key]): f["detail"] for f in found}
    assert len(by_key) == len(found), f"{kind}: several findings for one {key}"
    return by_key


# --- RSU against the RNP --------------------------------------------------------------------


def test_name_key_folding_is_no_mismatch(details: Rows) -> None:
    mismatched = of_kind(details, "RSU_MISMATCH")
    assert len(SAME_KEY) <= 13
    folded = {f"M{n:03d}" for n in range(1, len(SAME_KEY) + 1)} | {"M018"}
    assert not folded & set(mismatched)


def test_mismatch_names_the_fields_that_differ(details: Rows) -> None:
    assert of_kind(details, "RSU_MISMATCH") == {
        "M014": "differs from the RNP: name",  # حسن / حسين
        "M015": "differs from the RNP: sex",
        "M016": "differs from the RNP: birth_date",
        "M017": "differs from the RNP: sex, birth_date, name",
    }


def test_unknown_and_missing_rsu_ids(details: Rows) -> None:
    # M070 has no idcs but sits in an unknown annex: UNKNOWN_TERRITORY only
    assert of_kind(details, "RSU_ID_UNKNOWN") == {}
    territory = {f["detail"] for f in details if f["kind"] == "UNKNOWN_TERRITORY"}
    assert territory == {"unknown annex_code A-99999", "unknown annex_code X"}


def test_one_unknown_territory_finding_per_row(details: Rows) -> None:
    found = sorted(
        (str(f["source"]), f["row_id"], f["idcs"], f["annex_code"])
        for f in details
        if f["kind"] == "UNKNOWN_TERRITORY"
    )
    assert found == [
        ("amo", "B070", None, "X"),
        ("rnp", None, _idcs(70), UNKNOWN_ANNEX),
        ("rsu", "M070", None, UNKNOWN_ANNEX),
    ]


def test_deceased_member(details: Rows) -> None:
    assert of_kind(details, "RSU_DECEASED_MEMBER") == {"M071": "deceased in the RNP"}
    # a deceased person is not a living person missing from the RSU
    assert _idcs(71) not in of_kind(details, "RNP_NOT_IN_RSU", "idcs")


# --- AMO against the RSU --------------------------------------------------------------------


def test_amo_rows_not_on_their_household(details: Rows) -> None:
    assert of_kind(details, "AMO_NOT_IN_RSU") == {
        # B020 (tatweel only) and B021 are on H020: matched
        "B022": "not on an RSU row of household H020",  # on H021, not on H020
        "B023": "idcs missing",
        "B024": "not on an RSU row of household H020",  # on no household at all
        "B026": "idcs missing",
        "B028": "not on an RSU row of household H-INCONNU",  # no such household
    }


def test_amo_mismatch_with_the_matched_rsu_row(details: Rows) -> None:
    assert of_kind(details, "AMO_MISMATCH") == {
        "B021": "differs from RSU member M021: birth_date",
    }


def test_amo_ineligible_on_every_row_above_the_threshold(details: Rows) -> None:
    # H022 (12.5) is ineligible on both rows, the unmatched one included; H023 sits exactly
    # at the threshold: eligible. An unknown household is not known to be ineligible.
    assert of_kind(details, "AMO_INELIGIBLE") == {
        "B025": "household score 12.5 > 9.3264284",
        "B026": "household score 12.5 > 9.3264284",
    }


def test_a_lower_threshold_makes_the_boundary_household_ineligible(tmp_path: Path) -> None:
    params = Parameters(AS_OF, threshold=9.0, validation_days=2, cnss_days=31)
    findings = read_output(reconcile_rows(tmp_path, details_rows(), params), "findings")
    assert set(of_kind(findings, "AMO_INELIGIBLE")) == {"B025", "B026", "B027"}
    assert of_kind(findings, "AMO_INELIGIBLE")["B027"] == "household score 9.3264284 > 9.0"
    # and longer delays move the day boundaries by one day
    assert of_kind(findings, "AMO_PENDING_STALE", "amo_file_id") == {}
    assert of_kind(findings, "AMO_SLA_BREACHED", "amo_file_id") == {}


# --- file deadlines ---------------------------------------------------------------------------


def test_pending_validation_day_boundary(details: Rows) -> None:
    stale = of_kind(details, "AMO_PENDING_STALE", "amo_file_id")
    assert stale == {f: f"pending validation for {d} days (limit 1)" for f, d in STALE.items()}


def test_cnss_deadline_day_boundary(details: Rows) -> None:
    breached = of_kind(details, "AMO_SLA_BREACHED", "amo_file_id")
    assert breached == {
        f: f"{why} days after transmission (limit 30)" for f, why in BREACHED.items()
    }


def test_file_level_findings_have_no_row(details: Rows) -> None:
    for f in details:
        if f["kind"] in ("AMO_PENDING_STALE", "AMO_SLA_BREACHED"):
            assert f["row_id"] is None and f["idcs"] is None
            assert f["source"] == "amo" and f["annex_code"] == ANNEX_1
            assert f["household_id"] == "H" + str(f["amo_file_id"])[1:]


# --- the country of test_funnel: every finding, and agreement with the funnel -----------------


def test_every_finding_of_the_country(country_out: Path) -> None:
    found = sorted(
        (
            str(f["kind"]),
            str(f["source"]),
            str(f["row_id"]),
            str(f["idcs"]),
            str(f["household_id"]),
            str(f["amo_file_id"]),
            str(f["annex_code"]),
            str(f["detail"]),
        )
        for f in read_output(country_out, "findings")
    )
    a1, a2, a3, unknown = ANNEX_1, ANNEX_2, ANNEX_3, UNKNOWN_ANNEX
    none = "None"
    high = "household score 12.0 > 9.3264284"
    expected = [
        ("AMO_INELIGIBLE", "amo", "B04", none, "H02", "F02", a1, high),
        ("AMO_INELIGIBLE", "amo", "B05", "0012345678", "H02", "F02", a1, high),
        (
            "AMO_MISMATCH",
            "amo",
            "B02",
            "0012345686",
            "H01",
            "F01",
            a1,
            "differs from RSU member M02: birth_date",
        ),
        ("AMO_NOT_IN_RSU", "amo", "B03", none, "H01", "F01", a1, "idcs missing"),
        ("AMO_NOT_IN_RSU", "amo", "B04", none, "H02", "F02", a1, "idcs missing"),
        (
            "AMO_NOT_IN_RSU",
            "amo",
            "B05",
            "0012345678",
            "H02",
            "F02",
            a1,
            "not on an RSU row of household H02",
        ),
        (
            "AMO_PENDING_STALE",
            "amo",
            none,
            none,
            "H03",
            "F03",
            a2,
            "pending validation for 60 days (limit 1)",
        ),
        (
            "AMO_SLA_BREACHED",
            "amo",
            none,
            none,
            "H04",
            "F04",
            a3,
            "no CNSS decision 50 days after transmission (limit 30)",
        ),
        (
            "RNP_NOT_IN_RSU",
            "rnp",
            none,
            "0098765432",
            none,
            none,
            a1,
            "living RNP person on no RSU row",
        ),
        ("RSU_DECEASED_MEMBER", "rsu", "M03", "1234567890", "H01", none, a1, "deceased in the RNP"),
        (
            "RSU_DUPLICATE_MEMBER",
            "rsu",
            "M05",
            "0000000017",
            "H03",
            none,
            a2,
            "idcs also on another household",
        ),
        (
            "RSU_DUPLICATE_MEMBER",
            "rsu",
            "M06",
            "0000000017",
            "H04",
            none,
            a2,
            "idcs also on another household",
        ),
        ("RSU_ID_UNKNOWN", "rsu", "M04", none, "H02", none, a1, "idcs missing"),
        ("RSU_ID_UNKNOWN", "rsu", "M07", "0000000000", "H04", none, a2, "idcs not in the RNP"),
        ("RSU_ID_UNKNOWN", "rsu", "M10", none, "H07", none, a2, "idcs missing"),
        ("RSU_ID_UNKNOWN", "rsu", "M11", none, "H07", none, a2, "idcs missing"),
        ("RSU_MISMATCH", "rsu", "M09", "0500000016", "H06", none, a3, "differs from the RNP: name"),
        (
            "UNKNOWN_TERRITORY",
            "amo",
            "B09",
            "0300000014",
            "H05",
            "F05",
            unknown,
            "unknown annex_code A-99999",
        ),
        (
            "UNKNOWN_TERRITORY",
            "rnp",
            none,
            "0400000015",
            none,
            none,
            unknown,
            "unknown annex_code A-99999",
        ),
        (
            "UNKNOWN_TERRITORY",
            "rsu",
            "M08",
            "0300000014",
            "H05",
            none,
            unknown,
            "unknown annex_code A-99999",
        ),
    ]
    assert found == sorted(expected)


@pytest.mark.parametrize("scenario", ["country", "details"])
def test_findings_agree_with_the_funnel(
    scenario: str, country_out: Path, details_out: Path
) -> None:
    out = country_out if scenario == "country" else details_out
    findings = read_output(out, "findings")
    per_annex = Counter((str(f["kind"]), str(f["annex_code"])) for f in findings)
    compared = 0
    for row in read_output(out, "funnel"):
        if row["level"] != "annex":
            continue
        for kind, column in COUNTED_BY.items():
            assert per_annex[(kind, str(row["code"]))] == row[column], (kind, row["code"])
            value = row[column]
            assert isinstance(value, int)
            compared += value
    # and no counted finding outside the annexes of the funnel
    annexes = {str(r["code"]) for r in read_output(out, "funnel") if r["level"] == "annex"}
    counted = [f for f in findings if f["kind"] in COUNTED_BY]
    assert all(f["annex_code"] in annexes for f in counted)
    assert compared == len(counted) > 0


def test_kinds_are_the_contract_kinds(country_out: Path) -> None:
    found = {f["kind"] for f in read_output(country_out, "findings")}
    assert found == set(KINDS)  # the country shows every kind at least once
    assert {f["source"] for f in read_output(country_out, "findings")} == {"rnp", "rsu", "amo"}
