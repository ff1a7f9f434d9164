"""The whole reconciliation on a 100,000-person synthetic country, against its known truth."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from sijill.domain.contract import COUNTED_BY
from sijill.engine.extracts.problems import InvalidExtracts
from sijill.engine.params import Parameters
from sijill.engine.reconciliation.pipeline import OUTPUTS, reconcile
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

NAMES = ("territories", "rnp", "rsu", "amo")
AS_OF = SynthConfig(persons=1).as_of


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recon") / "country"
    generate(SynthConfig(persons=100_000, seed=11), folder)
    return folder


@pytest.fixture(scope="module")
def run(country: Path) -> Path:
    out = country.parent / "run"
    reconcile({n: country / f"{n}.parquet" for n in NAMES}, Parameters(AS_OF), out)
    return out


def _con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_funnel_equals_the_truth_at_every_level(country: Path, run: Path) -> None:
    con = _con()
    columns = ", ".join(pq.read_schema(country / "truth" / "funnel.parquet").names)
    for a, b in ((run, country / "truth"), (country / "truth", run)):
        extra = con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM '{a}/funnel.parquet' "
            f"EXCEPT ALL SELECT {columns} FROM '{b}/funnel.parquet')"
        ).fetchone()
        assert extra == (0,)
    assert (
        pq.read_schema(run / "funnel.parquet").names
        == pq.read_schema(country / "truth" / "funnel.parquet").names
    )


def test_findings_agree_with_the_funnel_per_annex_and_kind(run: Path) -> None:
    con = _con()
    for kind, column in COUNTED_BY.items():
        differing = con.execute(f"""
            SELECT count(*) FROM '{run}/funnel.parquet' f
            LEFT JOIN (SELECT annex_code, count(*) AS n FROM '{run}/findings.parquet'
                       WHERE kind = '{kind}' GROUP BY annex_code) k ON k.annex_code = f.code
            WHERE f.level = 'annex' AND f.{column} <> coalesce(k.n, 0)""").fetchone()
        assert differing == (0,), kind
        total = con.execute(
            f"SELECT count(*) FROM '{run}/findings.parquet' WHERE kind = '{kind}'"
        ).fetchone()
        national = con.execute(
            f"SELECT {column} FROM '{run}/funnel.parquet' WHERE code = 'ALL'"
        ).fetchone()
        assert national is not None and total == national and national[0] > 0, kind


def test_other_findings_equal_the_truth(country: Path, run: Path) -> None:
    expected = json.loads((country / "truth" / "manifest.json").read_text())["other_findings"]
    found = dict(
        _con()
        .execute(f"""
        SELECT CASE WHEN kind = 'UNKNOWN_TERRITORY' THEN kind || '_' || source ELSE kind END,
               count(*)
        FROM '{run}/findings.parquet'
        WHERE kind IN ('UNKNOWN_TERRITORY', 'RSU_DUPLICATE_MEMBER', 'RSU_DECEASED_MEMBER')
        GROUP BY 1""")
        .fetchall()
    )
    assert found == expected


def test_flagged_single_person_annexes_are_the_split_annexes(country: Path, run: Path) -> None:
    rows = (
        _con()
        .execute(f"""
        SELECT a.annex_code, a.flagged, t.split_anomaly FROM '{run}/anomalies.parquet' a
        JOIN '{country}/truth/annexes.parquet' t USING (annex_code)
        WHERE a.indicator = 'SINGLE_PERSON_SHARE'""")
        .fetchall()
    )
    assert len(rows) == SynthConfig(persons=100_000).annex_count
    assert [code for code, flagged, split in rows if flagged != split] == []
    assert any(split for _, _, split in rows)


def test_split_suspects_are_precise_and_find_most_splits(country: Path, run: Path) -> None:
    found = (
        _con()
        .execute(f"""
        WITH predicted AS (SELECT DISTINCT household_id FROM '{run}/split_suspects.parquet'),
             truth AS (SELECT DISTINCT household_id FROM '{country}/truth/split_clusters.parquet'
                       WHERE household_id IN (SELECT household_id FROM '{country}/rsu.parquet'
                                              GROUP BY 1 HAVING count(*) = 1)
                         AND annex_code IN (SELECT code FROM '{country}/territories.parquet'))
        SELECT (SELECT count(*) FROM predicted), (SELECT count(*) FROM truth),
               (SELECT count(*) FROM predicted JOIN truth USING (household_id))""")
        .fetchone()
    )
    assert found is not None
    predicted, truth, both = found
    assert both / predicted >= 0.99  # precision: measured 1.0 on synth countries
    assert both / truth >= 0.90  # recall: single parents and in-laws are missed by design


LINK_COLUMNS = ["source", "row_id", "row_idcs", "candidate_idcs", "match_probability"]


def test_links_fill_the_contract_schema(run: Path) -> None:
    assert pq.read_schema(run / "links.parquet").names == LINK_COLUMNS
    summary = json.loads((run / "summary.json").read_text())
    assert pq.read_metadata(run / "links.parquet").num_rows == summary["linkage"]["links"] > 0


def test_linkage_changes_no_funnel_count_and_no_finding(country: Path, run: Path) -> None:
    paths = {n: country / f"{n}.parquet" for n in NAMES}
    unlinked = run.parent / "unlinked"
    reconcile(paths, Parameters(AS_OF), unlinked, with_links=False)
    for name in ("funnel", "findings"):  # the same rows; the order of a parallel write is free
        same = duckdb.connect().execute(
            f"SELECT count(*) FROM (FROM '{run}/{name}.parquet' "
            f"EXCEPT ALL FROM '{unlinked}/{name}.parquet')"
        )
        assert same.fetchall() == [(0,)], name
        assert pq.read_metadata(unlinked / f"{name}.parquet").num_rows == (
            pq.read_metadata(run / f"{name}.parquet").num_rows
        )
    assert pq.read_schema(unlinked / "links.parquet").names == LINK_COLUMNS
    assert pq.read_metadata(unlinked / "links.parquet").num_rows == 0


def test_summary_holds_national_row_parameters_inputs_and_timings(run: Path) -> None:
    summary = json.loads((run / "summary.json").read_text())
    assert summary["parameters"] == {
        "as_of": AS_OF.isoformat(),
        "threshold": 9.3264284,
        "validation_days": 1,
        "cnss_days": 30,
    }
    national = [r for r in pq.read_table(run / "funnel.parquet").to_pylist() if r["code"] == "ALL"]
    assert summary["national"] == national[0]
    assert set(summary["inputs"]) == set(NAMES)
    assert set(summary["outputs"]) == set(OUTPUTS)
    assert {"validate", "prepare", "funnel", "findings", "write"} <= set(summary["timings"])
    assert [w["rule"] for w in summary["warnings"]] == ["annex exists"] * 3


def test_bad_input_writes_nothing_and_keeps_the_previous_run(country: Path, tmp_path: Path) -> None:
    paths = {n: country / f"{n}.parquet" for n in NAMES}
    out = tmp_path / "run"
    reconcile(paths, Parameters(AS_OF), out, with_links=False)
    before = (out / "summary.json").read_text()
    broken = tmp_path / "rnp.csv"
    broken.write_text("idcs\n12345\n")
    with pytest.raises(InvalidExtracts) as raised:
        reconcile({**paths, "rnp": broken}, Parameters(AS_OF), out)
    assert any(p.column == "sex" for p in raised.value.problems)
    assert (out / "summary.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rnp.csv", "run"]


def test_parameters_change_the_counts(country: Path, tmp_path: Path) -> None:
    paths = {n: country / f"{n}.parquet" for n in NAMES}
    strict = reconcile(
        paths,
        Parameters(AS_OF, threshold=8.0, validation_days=0, cnss_days=10),
        tmp_path / "strict",
        with_links=False,
    )
    base = reconcile(paths, Parameters(AS_OF), tmp_path / "base", with_links=False)
    strict_row, base_row = strict.national, base.national
    assert strict_row["eligible_households"] < base_row["eligible_households"]
    assert strict_row["amo_pending_stale"] > base_row["amo_pending_stale"]
    assert strict_row["amo_sla_breached"] > base_row["amo_sla_breached"]
    assert strict_row["rsu_persons"] == base_row["rsu_persons"]


def test_negative_delays_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Parameters(dt.date(2026, 6, 30), validation_days=-1)
