"""The generator's truth agrees with the files it wrote, read literally as the contract says.

The oracle below is deliberately naive Python over the written extracts: one loop per
definition of docs/extracts.md, nothing shared with the generator's numpy bookkeeping
except the contract's name key.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from sijill.domain.names import name_key
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate
from sijill.synth.truth import COUNTS

Row = dict[str, Any]
CONFIG = SynthConfig(persons=12_000, seed=5, households_per_chunk=700, min_annexes=80)


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("truth") / "country"
    generate(CONFIG, out)
    return out


def rows(path: Path) -> list[Row]:
    return list(pq.read_table(path).to_pylist())


def differs(a: Row, b: Row) -> bool:
    return bool(
        a["sex"] != b["sex"]
        or a["birth_date"] != b["birth_date"]
        or name_key(a["first_name_ar"], a["last_name_ar"])
        != name_key(b["first_name_ar"], b["last_name_ar"])
    )


def days(moment: dt.datetime) -> dt.date:
    return moment.date()


def file_counts(f: Row, as_of: dt.date) -> Counter[str]:
    c: Counter[str] = Counter(amo_files=1)
    if f["status"] == "pending_validation" and (as_of - days(f["deposited_at"])).days > 1:
        c["amo_pending_stale"] += 1
    sent, decided = f["transmitted_at"], f["decided_at"]
    if sent and (
        (decided is None and (as_of - days(sent)).days > 30)
        or (decided and (days(decided) - days(sent)).days > 30)
    ):
        c["amo_sla_breached"] += 1
    if f["status"] in ("accepted", "rejected"):
        c[f"amo_{f['status']}"] += 1
    return c


def oracle(folder: Path) -> dict[str, Counter[str]]:
    """Annex code -> funnel counts, straight from the contract's definitions."""
    annexes = {t["code"] for t in rows(folder / "territories.parquet") if t["level"] == "annex"}
    rnp = {p["idcs"]: p for p in rows(folder / "rnp.parquet")}
    rsu, amo = rows(folder / "rsu.parquet"), rows(folder / "amo.parquet")
    out: dict[str, Counter[str]] = defaultdict(Counter)
    in_rsu = {r["idcs"] for r in rsu if r["idcs"]}
    for p in rnp.values():
        if not p["deceased"] and p["annex_code"] in annexes:
            out[p["annex_code"]]["rnp_persons"] += 1
            out[p["annex_code"]]["rnp_in_rsu"] += p["idcs"] in in_rsu
    households: dict[str, list[Row]] = defaultdict(list)
    for r in rsu:
        households[r["household_id"]].append(r)
        if r["annex_code"] not in annexes:
            continue
        c = out[r["annex_code"]]
        c["rsu_persons"] += 1
        known = r["idcs"] in rnp
        c["rsu_id_unknown"] += not known
        c["rsu_mismatch"] += known and differs(r, rnp[r["idcs"]])
    for members in households.values():
        if members[0]["annex_code"] in annexes:
            c = out[members[0]["annex_code"]]
            eligible = members[0]["score"] <= CONFIG.threshold
            c["rsu_households"] += 1
            c["rsu_single_households"] += len(members) == 1
            c["eligible_households"] += eligible
            c["eligible_persons"] += len(members) * eligible
    by_key = {(r["household_id"], r["idcs"]): r for r in rsu if r["idcs"]}
    files: dict[str, Row] = {}
    for a in amo:
        files.setdefault(a["amo_file_id"], a)
        if a["annex_code"] not in annexes:
            continue
        c = out[a["annex_code"]]
        match = by_key.get((a["household_id"], a["idcs"])) if a["idcs"] else None
        c["amo_beneficiaries"] += 1
        c["amo_not_in_rsu"] += match is None
        c["amo_mismatch"] += match is not None and differs(a, match)
        home = households.get(a["household_id"], [])
        c["amo_ineligible"] += bool(home and home[0]["score"] > CONFIG.threshold)
    for f in files.values():
        if f["annex_code"] in annexes:
            out[f["annex_code"]].update(file_counts(f, CONFIG.as_of))
    return out


def test_annex_funnel_equals_the_contract_read_literally(country: Path) -> None:
    expected = oracle(country)
    truth = {
        r["code"]: r for r in rows(country / "truth" / "funnel.parquet") if r["level"] == "annex"
    }
    assert set(expected) <= set(truth)
    for code, row in truth.items():
        got = {name: row[name] for name in COUNTS}
        want = {name: expected.get(code, Counter())[name] for name in COUNTS}
        assert got == want, code


def test_every_kind_of_problem_occurs(country: Path) -> None:
    national = next(r for r in rows(country / "truth" / "funnel.parquet") if r["code"] == "ALL")
    for name in COUNTS:
        assert national[name] > 0, name


def test_parents_sum_children_and_recompute_shares(country: Path) -> None:
    funnel = {r["code"]: r for r in rows(country / "truth" / "funnel.parquet")}
    territories = rows(country / "territories.parquet")
    for parent in [t for t in territories if t["level"] != "annex"]:
        children = [funnel[t["code"]] for t in territories if t["parent_code"] == parent["code"]]
        for name in COUNTS:
            assert funnel[parent["code"]][name] == sum(c[name] for c in children)
    for row in funnel.values():
        assert row["rnp_not_in_rsu"] == row["rnp_persons"] - row["rnp_in_rsu"]
        if row["rsu_households"]:
            assert row["rsu_single_share"] == pytest.approx(
                row["rsu_single_households"] / row["rsu_households"]
            )
        else:
            assert row["rsu_single_share"] is None
    regions = [funnel[t["code"]] for t in territories if t["level"] == "region"]
    assert funnel["ALL"]["rsu_persons"] == sum(r["rsu_persons"] for r in regions)


def test_rsu_row_truth_matches_written_identifiers(country: Path) -> None:
    rnp = {p["idcs"]: p for p in rows(country / "rnp.parquet")}
    written = rows(country / "rsu.parquet")
    truth = rows(country / "truth" / "rsu_rows.parquet")
    assert [r["member_id"] for r in written] == [t["member_id"] for t in truth]
    states: Counter[str] = Counter()
    for r, t in zip(written, truth, strict=True):
        states[t["idcs_state"]] += 1
        if t["idcs_state"] == "ok":
            assert r["idcs"] == t["true_idcs"] and r["idcs"] in rnp
            assert t["mismatch"] == differs(r, rnp[r["idcs"]])
        elif t["idcs_state"] == "typo":
            assert r["idcs"] and r["idcs"] != t["true_idcs"] and r["idcs"] not in rnp
        else:
            assert r["idcs"] is None
            assert (t["true_idcs"] is None) == (t["idcs_state"] == "unregistered")
        if t["true_idcs"] is not None:
            assert t["true_idcs"] in rnp
    assert set(states) == {"ok", "missing", "typo", "unregistered"}


def test_other_finding_kinds_match_the_files(country: Path) -> None:
    import json

    manifest = json.loads((country / "truth" / "manifest.json").read_text())
    rnp = {p["idcs"]: p for p in rows(country / "rnp.parquet")}
    rsu = rows(country / "rsu.parquet")
    homes: dict[str, set[str]] = defaultdict(set)
    for r in rsu:
        if r["idcs"] in rnp:
            homes[r["idcs"]].add(r["household_id"])
    duplicates = sum(1 for r in rsu if r["idcs"] in rnp and len(homes[r["idcs"]]) > 1)
    deceased = sum(1 for r in rsu if r["idcs"] in rnp and rnp[r["idcs"]]["deceased"])
    annexes = {t["code"] for t in rows(country / "territories.parquet") if t["level"] == "annex"}
    other = manifest["other_findings"]
    assert other["RSU_DUPLICATE_MEMBER"] == duplicates > 0
    assert other["RSU_DECEASED_MEMBER"] == deceased > 0
    for source in ("rnp", "rsu", "amo"):
        unknown = sum(
            1 for r in rows(country / f"{source}.parquet") if r["annex_code"] not in annexes
        )
        assert other[f"UNKNOWN_TERRITORY_{source}"] == unknown > 0


def test_split_clusters_are_single_households_at_one_address(country: Path) -> None:
    rsu = rows(country / "rsu.parquet")
    size = Counter(r["household_id"] for r in rsu)
    address = {r["household_id"]: r["address"] for r in rsu}
    split_annexes = {
        a["annex_code"] for a in rows(country / "truth" / "annexes.parquet") if a["split_anomaly"]
    }
    clusters: dict[str, list[Row]] = defaultdict(list)
    for member in rows(country / "truth" / "split_clusters.parquet"):
        clusters[member["cluster_id"]].append(member)
    assert clusters
    for members in clusters.values():
        assert len(members) >= 2
        keys = {
            " ".join(address[m["household_id"]].upper().replace("°", "").replace(",", "").split())
            for m in members
        }
        assert len(keys) == 1
        for m in members:
            assert m["annex_code"] in split_annexes or m["annex_code"].startswith("AX9")
            assert size[m["household_id"]] in (1, 2)  # 2: a duplicate member landed there
