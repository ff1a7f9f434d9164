"""`sijill report` on a real reconciliation run: the workbook and the CSV files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import duckdb
import openpyxl  # type: ignore[import-untyped]
import pytest

from sijill.engine.params import Parameters
from sijill.engine.reconcile import funnel
from sijill.engine.reconcile.anomalies import INDICATORS
from sijill.engine.reconcile.findings import KINDS
from sijill.engine.reconcile.pipeline import reconcile
from sijill.engine.report import (
    FINDING_COLUMNS,
    FIRST_ROWS,
    LABELS,
    LEVELS,
    REQUIRED,
    both,
    write_report,
)
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

CONFIG = SynthConfig(persons=10_000, seed=21, households_per_chunk=500)  # one flagged annex
NAMES = ("territories", "rnp", "rsu", "amo")
FRENCH = [LABELS[level][0] for level in LEVELS]
ARABIC = [LABELS[level][1] for level in LEVELS]
COUNTS = funnel.COLUMNS[4:]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    generate(CONFIG, folder / "country")
    paths = {n: folder / "country" / f"{n}.parquet" for n in NAMES}
    reconcile(paths, Parameters(CONFIG.as_of), folder / "run")
    return folder / "run"


@pytest.fixture(scope="module")
def book(run: Path) -> Any:
    return openpyxl.load_workbook(write_report(run, "xlsx"))


@pytest.fixture(scope="module")
def csv_dir(run: Path) -> Path:
    return write_report(run, "csv")


def _sql(run: Path, query: str) -> list[tuple[Any, ...]]:
    with duckdb.connect() as con:
        for name in REQUIRED:
            con.execute(f"CREATE VIEW {name} AS FROM '{run / name}.parquet'")
        return [tuple(r) for r in con.execute(query).fetchall()]


def _national(run: Path) -> dict[str, Any]:
    row = _sql(run, f"SELECT {', '.join(COUNTS)} FROM funnel WHERE code = 'ALL'")[0]
    return dict(zip(COUNTS, row, strict=True))


def _records(rows: list[tuple[Any, ...]], headers: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(headers, r, strict=True)) for r in rows]


def _sheet(book: Any, name: str) -> list[dict[str, Any]]:
    rows = list(book[name].iter_rows(values_only=True))
    return _records(rows[1:], tuple(rows[0]))


def _csv(path: Path) -> list[dict[str, Any]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} has no BOM"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _kind_counts(run: Path) -> dict[str, int]:
    return dict(_sql(run, "SELECT kind, count(*) FROM findings GROUP BY kind"))


def test_every_label_exists_in_french_and_arabic() -> None:
    keys = (*funnel.COLUMNS, *FINDING_COLUMNS, *KINDS, *(i.name for i in INDICATORS))
    for key in keys:
        fr, ar = LABELS[key]
        assert fr and ar and fr != ar, key
    for key in (*LEVELS, "findings", "anomalies", "split_suspects", "parameters"):
        assert all(0 < len(name) <= 31 for name in LABELS[key]), key


def test_the_workbook_has_every_sheet_and_arabic_ones_read_right_to_left(book: Any) -> None:
    others = [LABELS[k][0] for k in ("findings", "anomalies", "split_suspects", "parameters")]
    assert book.sheetnames == [*FRENCH, *ARABIC, *others, *KINDS]
    for name in book.sheetnames:
        assert bool(book[name].sheet_view.rightToLeft) == (name in ARABIC), name
        assert book[name].freeze_panes is not None and book[name].auto_filter.ref, name


def test_national_sheets_show_the_national_row(run: Path, book: Any) -> None:
    national = _national(run)
    for name, lang in ((FRENCH[0], 0), (ARABIC[0], 1)):
        ws = book[name]
        headers = [c.value for c in ws[1]]
        assert headers[:2] == [LABELS["code"][lang], LABELS["name"][lang]]
        (row,) = _sheet(book, name)
        assert row[LABELS["name"][lang]] == ("Maroc", "المغرب")[lang]
        for column, value in national.items():
            assert row[LABELS[column][lang]] == pytest.approx(value), (name, column)
        formats = {h: c.number_format for h, c in zip(headers, ws[2], strict=True)}
        assert formats[LABELS["rnp_persons"][lang]] == "#,##0"
        assert formats[LABELS["rsu_single_share"][lang]] == "0.0%"


def test_every_level_has_its_territories_with_names_in_the_sheet_language(
    run: Path, book: Any
) -> None:
    for level, fr, ar in zip(LEVELS, FRENCH, ARABIC, strict=True):
        expected = _sql(run, f"SELECT code, name_fr, name_ar FROM funnel WHERE level = '{level}'")
        french = {r[LABELS["code"][0]]: r[LABELS["name"][0]] for r in _sheet(book, fr)}
        arabic = {r[LABELS["code"][1]]: r[LABELS["name"][1]] for r in _sheet(book, ar)}
        assert french == {code: name for code, name, _ in expected}
        assert arabic == {code: name for code, _, name in expected}


def test_findings_sheet_counts_each_kind_per_source(run: Path, book: Any) -> None:
    rows = _sheet(book, LABELS["findings"][0])
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[both("kind")]] = totals.get(row[both("kind")], 0) + row[both("count")]
        assert row[both("action_fr")] == LABELS[row[both("kind")]][0]
        assert row[both("action_ar")] == LABELS[row[both("kind")]][1]
    counted = _kind_counts(run)
    assert totals == {kind: counted.get(kind, 0) for kind in KINDS}
    per_source = _sql(run, "SELECT kind, source, count(*) FROM findings GROUP BY ALL")
    shown = {(r[both("kind")], r[both("source")], r[both("count")]) for r in rows}
    assert set(per_source) <= shown


def test_kind_sheets_hold_the_first_real_findings(run: Path, book: Any) -> None:
    counted = _kind_counts(run)
    assert counted["RNP_NOT_IN_RSU"] > FIRST_ROWS  # the cap is exercised
    columns = ", ".join(FINDING_COLUMNS)
    for kind in KINDS:
        rows = _sheet(book, kind)
        assert len(rows) == min(counted.get(kind, 0), FIRST_ROWS), kind
        real = set(_sql(run, f"SELECT {columns} FROM findings WHERE kind = '{kind}'"))
        for row in rows:
            assert tuple(row[both(c)] for c in FINDING_COLUMNS) in real, kind


def test_anomalies_are_all_there_flagged_first_and_highlighted(run: Path, book: Any) -> None:
    rows = _sheet(book, LABELS["anomalies"][0])
    expected = _sql(run, "SELECT annex_code, indicator, flagged FROM anomalies")
    shown = [tuple(r[both(c)] for c in ("annex_code", "indicator", "flagged")) for r in rows]
    assert sorted(shown) == sorted(expected)
    flags = [r[both("flagged")] for r in rows]
    assert flags == sorted(flags, reverse=True) and any(flags)
    assert rows[0][both("meaning_fr")] == LABELS[rows[0][both("indicator")]][0]
    assert book[LABELS["anomalies"][0]].conditional_formatting


def test_split_suspects_and_parameters(run: Path, book: Any) -> None:
    splits = _sheet(book, LABELS["split_suspects"][0])
    expected = _sql(run, "SELECT cluster_id, household_id FROM split_suspects")
    assert expected
    assert sorted((r[both("cluster_id")], r[both("household_id")]) for r in splits) == sorted(
        expected
    )
    parameters = {
        r[LABELS["parameter"][0]]: r[both("value")] for r in _sheet(book, LABELS["parameters"][0])
    }
    assert parameters[LABELS["as_of"][0]] == CONFIG.as_of.isoformat()
    assert parameters[LABELS["threshold"][0]] == pytest.approx(CONFIG.threshold)
    assert parameters[f"{LABELS['inputs'][0]} : rnp"] > 0
    assert f"{LABELS['timings'][0]} : funnel" in parameters


def test_csv_mode_writes_the_same_numbers(run: Path, csv_dir: Path) -> None:
    assert csv_dir == run / "report"
    national = _national(run)
    for name, lang in ((FRENCH[0], 0), (f"{FRENCH[0]} (ar)", 1)):
        (row,) = _csv(csv_dir / f"{name}.csv")
        for column, value in national.items():
            assert float(row[LABELS[column][lang]]) == pytest.approx(value), (name, column)
    totals: dict[str, int] = {}
    for row in _csv(csv_dir / f"{LABELS['findings'][0]}.csv"):
        kind = row[both("kind")]
        totals[kind] = totals.get(kind, 0) + int(row[both("count")])
    counted = _kind_counts(run)
    assert totals == {kind: counted.get(kind, 0) for kind in KINDS}
    for kind in KINDS:
        assert len(_csv(csv_dir / f"{kind}.csv")) == min(counted.get(kind, 0), FIRST_ROWS)
    anomalies = _csv(csv_dir / f"{LABELS['anomalies'][0]}.csv")
    assert {r[both("flagged")] for r in anomalies} <= {"true", "false"}
    assert len(list(csv_dir.glob("*.csv"))) == 2 * len(LEVELS) + 4 + len(KINDS)


def test_out_path_is_honoured(run: Path, tmp_path: Path) -> None:
    target = write_report(run, "xlsx", tmp_path / "deep" / "national.xlsx")
    assert target == tmp_path / "deep" / "national.xlsx" and target.is_file()
    assert not list(target.parent.glob(".*partial*"))


@pytest.mark.parametrize("missing", ["findings.parquet", "summary.json", "funnel.parquet"])
def test_an_incomplete_run_names_the_missing_file(run: Path, tmp_path: Path, missing: str) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy, ignore=shutil.ignore_patterns("report*"))
    (copy / missing).unlink()
    with pytest.raises(ValueError, match=missing.replace(".", r"\.")):
        write_report(copy, "xlsx")
    assert not (copy / "report.xlsx").exists()


def test_a_missing_run_folder_or_an_unknown_format_is_a_value_error(
    run: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        write_report(tmp_path / "nowhere", "csv")
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        write_report(run, "pdf")


def test_a_run_missing_a_column_is_a_value_error(run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy, ignore=shutil.ignore_patterns("report*"))
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * EXCLUDE (detail) FROM '{run}/findings.parquet') "
            f"TO '{copy}/findings.parquet' (FORMAT parquet)"
        )
    with pytest.raises(ValueError, match=r"findings\.parquet lacks column\(s\) detail"):
        write_report(copy, "csv")
