"""sijill.engine.persons: the persons behind a run's findings, split suspects and links,
written beside the run from its extracts, and read back per annex (engine.worklist)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sijill.engine import (
    Filter,
    compared,
    finding_of_annex,
    findings_of_annex,
    pairs_of_annex,
    splits_of_annex,
    write_run_files,
)
from sijill.engine.params import Parameters
from tests.apps.reconciled import Reconciled, reconciled
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    ANNEX_3,
    ANNEX_4,
    COUNTRY_AS_OF,
    HASSAN,
    NADIA,
    country_rows,
    person,
    reconcile_rows,
    rsu_row,
)


@pytest.fixture(scope="module")
def written(country: Reconciled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("persons")
    write_run_files(country.out, country.extracts, folder)
    return folder


def test_every_finding_is_kept_sorted_with_a_key(country: Reconciled, written: Path) -> None:
    original = pq.read_table(country.out / "findings.parquet").to_pylist()
    rows = pq.read_table(written / "findings.parquet").to_pylist()
    assert len(rows) == len(original)
    known = [r["annex_code"] for r in rows if r["annex_code"] is not None]
    assert known == sorted(known)
    keys = [r["finding_key"] for r in rows]
    assert len(set(keys)) == len(keys) and all(len(k) == 32 for k in keys)
    contract = list(original[0])
    assert sorted(repr([r[k] for k in contract]) for r in rows) == sorted(
        repr([r[k] for k in contract]) for r in original
    )


def test_a_key_is_the_same_in_the_next_run(
    country: Reconciled, written: Path, tmp_path: Path
) -> None:
    """A second reconciliation of the same registers finds the same rows: same keys."""
    again = reconciled(tmp_path / "again", country_rows())
    write_run_files(again.out, again.extracts, tmp_path)
    first = {(r["kind"], r["row_id"], r["idcs"], r["amo_file_id"]): r["finding_key"]
             for r in pq.read_table(written / "findings.parquet").to_pylist()}  # fmt: skip
    second = {(r["kind"], r["row_id"], r["idcs"], r["amo_file_id"]): r["finding_key"]
              for r in pq.read_table(tmp_path / "findings.parquet").to_pylist()}  # fmt: skip
    assert first == second


def test_a_mismatch_carries_both_registers_rows(written: Path) -> None:
    path = written / "findings.parquet"
    (rsu,) = findings_of_annex(path, ANNEX_3, "RSU_MISMATCH")
    assert rsu.person is not None and rsu.other is not None and rsu.other_source == "rnp"
    assert (rsu.person.first_name_ar, rsu.other.first_name_ar) == ("حسين", "حسن")
    assert rsu.person.address == "Hay Al Amal, rue 5, n° 17"
    differing = [line.field for line in compared(rsu.person, rsu.other) if line.differs]
    assert differing == ["first_name_ar"]
    (amo,) = findings_of_annex(path, ANNEX_1, "AMO_MISMATCH")
    assert amo.other_source == "rsu" and amo.person is not None and amo.other is not None
    assert (amo.person.birth_date, amo.other.birth_date) == (date(1985, 6, 16), date(1985, 6, 15))
    assert [line.field for line in compared(amo.person, amo.other) if line.differs] == [
        "birth_date"
    ]


def test_who_a_finding_is_about_in_each_register(written: Path) -> None:
    path = written / "findings.parquet"
    (lost,) = findings_of_annex(path, ANNEX_1, "RNP_NOT_IN_RSU")
    assert lost.person is not None and lost.person.first_name_lat == "YOUSSEF"
    assert lost.person.address is not None and lost.other is None
    (stale,) = findings_of_annex(path, ANNEX_2, "AMO_PENDING_STALE")
    # A file-level finding is about the file's insured, at the household's RSU address.
    assert stale.person is not None and stale.person.first_name_lat == "ABDELLAH"
    (unknown,) = findings_of_annex(path, ANNEX_1, "RSU_ID_UNKNOWN")
    assert unknown.person is not None and unknown.person.last_name_lat == "BENJELLOUN"
    assert unknown.key is not None
    assert finding_of_annex(path, ANNEX_1, unknown.key) == unknown
    assert finding_of_annex(path, ANNEX_2, unknown.key) is None  # another annex's


def test_filters_by_household_and_key(written: Path) -> None:
    path = written / "findings.parquet"
    every = findings_of_annex(path, ANNEX_1, limit=None)
    h02 = findings_of_annex(path, ANNEX_1, limit=None, chosen=Filter(household="H02"))
    assert h02 == [f for f in every if f.household_id == "H02"] and h02
    some = {f.key for f in every[:2] if f.key}
    assert {f.key for f in findings_of_annex(path, ANNEX_1, limit=None,
                                             chosen=Filter(keys=some))} == some  # fmt: skip
    rest = findings_of_annex(path, ANNEX_1, limit=None, chosen=Filter(without=some))
    assert len(rest) == len(every) - 2 and not {f.key for f in rest} & some


def test_link_candidates_side_by_side(written: Path) -> None:
    pairs = pairs_of_annex(written / "links.parquet", ANNEX_1)
    assert set(pairs) == {("rsu", "M04"), ("amo", "B03")}
    m04 = pairs[("rsu", "M04")]
    assert m04.row is not None and m04.candidate is not None
    assert (m04.row.first_name_lat, m04.candidate.first_name_lat) == ("RACHID", "FATIMA ZAHRA")
    assert (m04.row_annex, m04.candidate_annex) == (ANNEX_1, ANNEX_1)
    assert set(pairs_of_annex(written / "links.parquet", ANNEX_2)) == {
        ("rsu", "M07"),
        ("rsu", "M10"),
    }


def test_only_the_annexes_of_a_scoped_run(country: Reconciled, tmp_path: Path) -> None:
    counts = write_run_files(country.out, country.extracts, tmp_path, {ANNEX_2})
    rows = pq.read_table(tmp_path / "findings.parquet").to_pylist()
    assert {r["annex_code"] for r in rows} == {ANNEX_2} and counts["findings"] == len(rows)
    assert {r["row_annex_code"] for r in pq.read_table(tmp_path / "links.parquet").to_pylist()} == {
        ANNEX_2
    }


def test_without_the_registers_rows_keep_their_identifiers(
    country: Reconciled, tmp_path: Path
) -> None:
    only = {n: country.extracts[n] for n in ("territories", "amo")}
    write_run_files(country.out, only, tmp_path)
    found = findings_of_annex(tmp_path / "findings.parquet", ANNEX_1, limit=None)
    assert found and all(f.key for f in found)
    assert all(f.person is None for f in found if f.source != "amo")


def test_split_suspects_with_their_members(tmp_path: Path) -> None:
    """Two single-person households at one address, a man and a woman of other family
    names, adults: a couple split in two."""
    rows = country_rows()
    wife = person("نادية", "التازي", "NADIA", "TAZI", "F", date(1972, 2, 14))
    husband = rsu_row("M20", "H20", None, "head", HASSAN, 6.0, annex=ANNEX_4)
    alone = rsu_row("M21", "H21", None, "head", wife, 6.0, annex=ANNEX_4)
    rows["rsu"] += [{**husband, "address": "Derb 3, n° 7"}, {**alone, "address": "derb 3 n 7"}]
    out = reconcile_rows(tmp_path, rows, Parameters(COUNTRY_AS_OF))
    extracts = {n: tmp_path / "in" / f"{n}.csv" for n in ("territories", "rnp", "rsu", "amo")}
    write_run_files(out, extracts, tmp_path)
    members = splits_of_annex(tmp_path / "splits.parquet", ANNEX_4)
    assert [m.household_id for m in members] == ["H20", "H21"]
    assert len({m.cluster_id for m in members}) == 1
    first = members[0]
    assert (first.households, first.couples, first.parent_child, first.mothers) == (2, 1, 0, 0)
    assert first.person is not None and first.person.first_name_lat == "HASSAN"
    assert members[1].person is not None and members[1].person.address == "derb 3 n 7"
    assert splits_of_annex(tmp_path / "splits.parquet", ANNEX_1) == []
    assert NADIA["last_name_lat"] == wife["last_name_lat"]


def test_findings_sorted_a_range_of_annexes_at_a_time(
    country: Reconciled, written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national run is sorted a few million rows at a time: the file is the same."""
    from sijill.engine import persons

    monkeypatch.setattr(persons, "CHUNK", 3)
    write_run_files(country.out, country.extracts, tmp_path)
    whole = pq.read_table(written / "findings.parquet").to_pylist()
    chunked = pq.read_table(tmp_path / "findings.parquet").to_pylist()
    assert chunked == whole
    assert not list(tmp_path.glob(".findings*")) and not (tmp_path / ".spill").exists()
