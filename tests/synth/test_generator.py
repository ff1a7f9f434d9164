"""The generator as a whole: reproducible, streamed, realistic, never half-written."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from sijill.engine.extracts.reading import load_extracts
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

SMALL = SynthConfig(persons=3_000, seed=9, households_per_chunk=300)
FILES = (
    "territories.parquet",
    "rnp.parquet",
    "rsu.parquet",
    "amo.parquet",
    "truth/rsu_rows.parquet",
    "truth/amo_rows.parquet",
    "truth/split_clusters.parquet",
    "truth/annexes.parquet",
    "truth/funnel.parquet",
)


def _manifest(folder: Path) -> dict[str, object]:
    manifest = json.loads((folder / "truth" / "manifest.json").read_text())
    manifest.pop("seconds")
    return dict(manifest)


def test_a_seed_reproduces_the_country_byte_for_byte(tmp_path: Path) -> None:
    generate(SMALL, tmp_path / "a")
    generate(SMALL, tmp_path / "b")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert _manifest(tmp_path / "a") == _manifest(tmp_path / "b")


def test_another_seed_gives_another_country(tmp_path: Path) -> None:
    generate(SMALL, tmp_path / "a")
    generate(SynthConfig(persons=3_000, seed=10, households_per_chunk=300), tmp_path / "b")
    a = pq.read_table(tmp_path / "a" / "rnp.parquet").column("idcs").to_pylist()
    b = pq.read_table(tmp_path / "b" / "rnp.parquet").column("idcs").to_pylist()
    assert not set(a) & set(b)


def test_exactly_the_requested_population_across_chunks(tmp_path: Path) -> None:
    manifest = generate(SMALL, tmp_path / "c")
    persons = pq.read_table(tmp_path / "c" / "truth" / "rsu_rows.parquet").column("person_id")
    rows = manifest["rows"]
    assert isinstance(rows, dict)
    # 300 households a chunk at ~3.9 persons: several chunks, and ids from every one.
    assert max(persons.to_pylist()) >= 1_200
    assert rows["rnp"] <= SMALL.persons


def test_csv_and_parquet_hold_the_same_values(tmp_path: Path) -> None:
    generate(SMALL, tmp_path / "pq", "parquet")
    generate(SMALL, tmp_path / "csv", "csv")
    tables = {}
    for fmt, ext in (("pq", "parquet"), ("csv", "csv")):
        con = duckdb.connect()
        load_extracts(
            con, {n: tmp_path / fmt / f"{n}.{ext}" for n in ("territories", "rnp", "rsu", "amo")}
        )
        tables[fmt] = {
            n: con.execute(f"SELECT * EXCLUDE (_row) FROM {n} ORDER BY ALL").fetchall()
            for n in ("territories", "rnp", "rsu", "amo")
        }
    for name in tables["pq"]:
        assert tables["pq"][name] == tables["csv"][name], name
    assert any(r[0].startswith("0") for r in tables["csv"]["rnp"])  # leading zeros kept


def test_refuses_a_folder_that_holds_something(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        generate(SMALL, tmp_path / "busy")
    assert (tmp_path / "busy" / "keep.txt").read_text() == "mine"


def test_a_failure_leaves_no_partial_country(tmp_path: Path) -> None:
    calls = []

    def interrupt(done: int) -> None:
        calls.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate(SMALL, tmp_path / "cut", progress=interrupt)
    assert calls and not (tmp_path / "cut").exists()
    assert list(tmp_path.iterdir()) == []


def test_census_shape_outside_split_annexes(tmp_path: Path) -> None:
    generate(SynthConfig(persons=60_000, seed=2), tmp_path / "census")
    con = duckdb.connect()
    folder = tmp_path / "census"
    sizes = con.execute(f"""
        SELECT avg(n), avg((n = 1)::INT) FROM (
          SELECT household_id, count(*) n FROM '{folder}/rsu.parquet' r
          WHERE annex_code IN (SELECT annex_code FROM '{folder}/truth/annexes.parquet'
                               WHERE NOT split_anomaly)
          GROUP BY household_id)""").fetchone()
    assert sizes is not None
    # Declared households lose deceased members, so the RSU runs a little below the census.
    assert 3.6 < sizes[0] < 4.0
    assert 0.10 < sizes[1] < 0.14
    shares = con.execute(f"""
        SELECT a.split_anomaly, avg(f.rsu_single_share)
        FROM '{folder}/truth/funnel.parquet' f
        JOIN '{folder}/truth/annexes.parquet' a ON a.annex_code = f.code
        GROUP BY ALL ORDER BY 1""").fetchall()
    assert shares[1][1] > 2 * shares[0][1]  # split annexes stand out


def test_identifiers_stay_unique_with_tiny_chunks(tmp_path: Path) -> None:
    # A thousand chunks and more once made chunk 1000 reuse chunk 0's household ids.
    generate(SynthConfig(persons=4_500, seed=1, households_per_chunk=1), tmp_path / "tiny")
    con = duckdb.connect()
    for name, key in (("rsu", "member_id"), ("amo", "beneficiary_id")):
        total, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT {key}) FROM '{tmp_path}/tiny/{name}.parquet'"
        ).fetchone() or (0, 0)
        assert total == distinct > 0
