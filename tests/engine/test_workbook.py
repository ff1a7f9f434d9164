"""`sijill report` on a real reconciliation run: the workbook and the CSV files, in the
words of the readers given (the catalogues' French and Arabic, and a pseudo-language)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import openpyxl  # type: ignore[import-untyped]
import pytest

from sijill import i18n
from sijill.domain import vocabulary
from sijill.domain.contract import FINDING_COLUMNS
from sijill.domain.vocabulary import Reader
from sijill.engine.params import Parameters
from sijill.engine.reconciliation import funnel
from sijill.engine.reconciliation.findings import KINDS
from sijill.engine.reconciliation.pipeline import reconcile
from sijill.engine.sheets import NOT_IN_SHEET_NAMES, SHEET_NAME_LENGTH
from sijill.engine.workbook import (
    FIRST_ROWS,
    LEVELS,
    REQUIRED,
    own_headers,
    shared,
    write_report,
)
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

CONFIG = SynthConfig(persons=10_000, seed=21, households_per_chunk=500)  # one flagged annex
NAMES = ("territories", "rnp", "rsu", "amo")
COUNTS = funnel.COLUMNS[4:]
READERS = i18n.readers()
FR, AR = READERS
# A language no catalogue has: its words show which message id they come from.
PSEUDO = Reader("xx", False, lambda message_id: f"⟦{message_id}⟧")
SHARED = ("findings", "anomalies", "split_suspects", "parameters")


COLUMNS = (vocabulary.FUNNEL, vocabulary.COLUMNS)


def said(reader: Reader, code: str, *groups: Mapping[str, vocabulary.Term]) -> str:
    """What a reader calls a code: a column of the report unless the groups are given."""
    return reader.words(vocabulary.term(code, *(groups or COLUMNS)).words)


def both(code: str, readers: tuple[Reader, ...] = READERS) -> str:
    """A header of a shared sheet: every reader's words."""
    return " / ".join(said(r, code) for r in readers)


def sheet_name(reader: Reader, code: str) -> str:
    return said(reader, code, vocabulary.SHEETS)


def funnel_names(reader: Reader) -> list[str]:
    return [sheet_name(reader, level) for level in LEVELS]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    generate(CONFIG, folder / "country")
    paths = {n: folder / "country" / f"{n}.parquet" for n in NAMES}
    reconcile(paths, Parameters(CONFIG.as_of), folder / "run")
    return folder / "run"


@pytest.fixture(scope="module")
def book(run: Path) -> Any:
    return openpyxl.load_workbook(write_report(run, "xlsx", readers=READERS))


@pytest.fixture(scope="module")
def csv_dir(run: Path) -> Path:
    return write_report(run, "csv", readers=READERS)


@pytest.fixture(scope="module")
def three(run: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The workbook for French, Arabic and the pseudo-language."""
    out = tmp_path_factory.mktemp("three") / "report.xlsx"
    return openpyxl.load_workbook(write_report(run, "xlsx", out, readers=(*READERS, PSEUDO)))


def _sql(run: Path, query: str) -> list[tuple[Any, ...]]:
    with duckdb.connect() as con:
        for name in REQUIRED:
            con.execute(f"CREATE VIEW {name} AS FROM '{run / name}.parquet'")
        return [tuple(r) for r in con.execute(query).fetchall()]


def _national(run: Path) -> dict[str, Any]:
    row = _sql(run, f"SELECT {', '.join(COUNTS)} FROM funnel WHERE code = 'ALL'")[0]
    return dict(zip(COUNTS, row, strict=True))


def _records(rows: list[tuple[Any, ...]], headers: tuple[str, ...]) -> list[dict[str, Any]]:
    assert len(set(headers)) == len(headers), headers
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


def test_the_readers_are_french_then_arabic_and_sheet_names_fit_excel() -> None:
    assert [(r.language, r.rtl) for r in READERS] == [("fr", False), ("ar", True)]
    assert funnel_names(FR)[1] == "Entonnoir régions"
    assert funnel_names(AR)[0] == "المسار الوطني"
    for reader in READERS:
        for code in vocabulary.SHEETS:
            name = sheet_name(reader, code)
            assert 0 < len(name) <= SHEET_NAME_LENGTH, (reader.language, name)
            assert not NOT_IN_SHEET_NAMES.search(name), (reader.language, name)


def test_the_workbook_has_every_sheet_and_arabic_ones_read_right_to_left(book: Any) -> None:
    others = [sheet_name(FR, code) for code in SHARED]
    assert others == ["Constats", "Anomalies", "Ménages scindés", "Paramètres"]
    assert book.sheetnames == [*funnel_names(FR), *funnel_names(AR), *others, *KINDS]
    for name in book.sheetnames:
        assert bool(book[name].sheet_view.rightToLeft) == (name in funnel_names(AR)), name
        assert book[name].freeze_panes is not None and book[name].auto_filter.ref, name


def test_national_sheets_show_the_national_row(run: Path, book: Any) -> None:
    national = _national(run)
    for reader, name in ((FR, "Maroc"), (AR, "المغرب")):
        ws = book[funnel_names(reader)[0]]
        headers = [c.value for c in ws[1]]
        assert headers[:2] == [said(reader, "code"), said(reader, "name")]
        (row,) = _sheet(book, ws.title)
        assert row[said(reader, "name")] == name
        for column, value in national.items():
            assert row[said(reader, column)] == pytest.approx(value), (reader, column)
        formats = {h: c.number_format for h, c in zip(headers, ws[2], strict=True)}
        assert formats[said(reader, "rnp_persons")] == "#,##0"
        assert formats[said(reader, "rsu_single_share")] == "0.0%"
    assert said(FR, "rnp_persons") == "Personnes vivantes au RNP"
    assert said(AR, "rnp_persons") == "الأشخاص الأحياء في السجل الوطني للسكان"


def test_every_level_has_its_territories_with_names_in_the_sheet_language(
    run: Path, book: Any
) -> None:
    for level, fr, ar in zip(LEVELS, funnel_names(FR), funnel_names(AR), strict=True):
        expected = _sql(run, f"SELECT code, name_fr, name_ar FROM funnel WHERE level = '{level}'")
        french = {r[said(FR, "code")]: r[said(FR, "name")] for r in _sheet(book, fr)}
        arabic = {r[said(AR, "code")]: r[said(AR, "name")] for r in _sheet(book, ar)}
        assert french == {code: name for code, name, _ in expected}
        assert arabic == {code: name for code, _, name in expected}


def test_findings_sheet_counts_each_kind_per_source_with_its_words(run: Path, book: Any) -> None:
    rows = _sheet(book, sheet_name(FR, "findings"))
    totals: dict[str, int] = {}
    for row in rows:
        kind = vocabulary.FINDINGS[row[both("kind")]]
        totals[kind.code] = totals.get(kind.code, 0) + row[both("count")]
        for reader in READERS:
            assert row[said(reader, "description")] == reader.words(kind.words)
            assert row[said(reader, "action")] == reader.words(kind.action)
    assert rows[0][both("count")] and rows[0][both("kind")] == "RSU_ID_UNKNOWN"
    assert rows[0]["Que faire"].startswith("Compléter ou corriger l'IDCS")
    assert rows[0]["الإجراء المطلوب"].startswith("إتمام المعرف")
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
    rows = _sheet(book, sheet_name(FR, "anomalies"))
    expected = _sql(run, "SELECT annex_code, indicator, flagged FROM anomalies")
    shown = [tuple(r[both(c)] for c in ("annex_code", "indicator", "flagged")) for r in rows]
    assert sorted(shown) == sorted(expected)
    flags = [r[both("flagged")] for r in rows]
    assert flags == sorted(flags, reverse=True) and any(flags)
    indicator = vocabulary.INDICATORS[rows[0][both("indicator")]]
    for reader in READERS:
        assert rows[0][said(reader, "meaning")] == reader.words(indicator.meaning)
    assert rows[0][both("name_ar")] and rows[0][both("name_fr")]
    assert book[sheet_name(FR, "anomalies")].conditional_formatting


def test_split_suspects_and_parameters(run: Path, book: Any) -> None:
    splits = _sheet(book, sheet_name(FR, "split_suspects"))
    expected = _sql(run, "SELECT cluster_id, household_id FROM split_suspects")
    assert expected
    assert sorted((r[both("cluster_id")], r[both("household_id")]) for r in splits) == sorted(
        expected
    )
    rows = _sheet(book, sheet_name(FR, "parameters"))
    french = {r["Paramètre"]: r["Valeur / القيمة"] for r in rows}
    arabic = {r["المعيار"]: r["Valeur / القيمة"] for r in rows}
    assert french[said(FR, "as_of", vocabulary.PARAMETERS)] == CONFIG.as_of.isoformat()
    assert arabic[said(AR, "threshold", vocabulary.PARAMETERS)] == pytest.approx(CONFIG.threshold)
    assert french["Lignes lues : rnp"] > 0 and arabic["الأسطر المقروءة: rnp"] > 0
    assert "Durée (s) : funnel" in french and french["Moteur"] == "duckdb"
    assert isinstance(arabic["التنبيهات"], int)


def test_csv_mode_writes_the_same_numbers(run: Path, csv_dir: Path) -> None:
    assert csv_dir == run / "report"
    national = _national(run)
    first = funnel_names(FR)[0]
    for reader, name in ((FR, first), (AR, f"{first} (ar)")):
        (row,) = _csv(csv_dir / f"{name}.csv")
        for column, value in national.items():
            assert float(row[said(reader, column)]) == pytest.approx(value), (name, column)
    totals: dict[str, int] = {}
    for row in _csv(csv_dir / "Constats.csv"):
        kind = row[both("kind")]
        totals[kind] = totals.get(kind, 0) + int(row[both("count")])
    counted = _kind_counts(run)
    assert totals == {kind: counted.get(kind, 0) for kind in KINDS}
    for kind in KINDS:
        assert len(_csv(csv_dir / f"{kind}.csv")) == min(counted.get(kind, 0), FIRST_ROWS)
    anomalies = _csv(csv_dir / "Anomalies.csv")
    assert {r[both("flagged")] for r in anomalies} <= {"true", "false"}
    assert len(list(csv_dir.glob("*.csv"))) == 2 * len(LEVELS) + len(SHARED) + len(KINDS)


def test_a_third_reader_gets_its_funnel_sheets_and_its_words_everywhere(
    book: Any, three: Any
) -> None:
    """A language is a reader given to the report: nothing in the code names it."""
    pseudo = funnel_names(PSEUDO)
    assert pseudo[0] == "⟦National funnel⟧"
    others = [sheet_name(FR, code) for code in SHARED]
    assert three.sheetnames == [*funnel_names(FR), *funnel_names(AR), *pseudo, *others, *KINDS]
    for mine, french in zip(pseudo, funnel_names(FR), strict=True):
        assert not three[mine].sheet_view.rightToLeft
        assert list(three[mine].iter_rows(min_row=2, values_only=True)) == list(
            book[french].iter_rows(min_row=2, values_only=True)
        )  # left to right: the French names, the same counts
    assert three[pseudo[0]]["C1"].value == "⟦Living persons in the RNP⟧"
    readers = (*READERS, PSEUDO)
    findings = _sheet(three, others[0])
    assert findings[0][both("count", readers)] == _sheet(book, others[0])[0][both("count")]
    assert both("count", readers) == "Nombre / العدد / ⟦Count⟧"
    action = vocabulary.FINDINGS[findings[0][both("kind", readers)]].action
    assert findings[0]["⟦What to do⟧"] == f"⟦{action}⟧"
    anomalies = _sheet(three, others[1])
    meaning = vocabulary.INDICATORS[anomalies[0][both("indicator", readers)]].meaning
    assert anomalies[0]["⟦Meaning⟧"] == f"⟦{meaning}⟧"
    parameters = {r["⟦Parameter⟧"]: r[both("value", readers)] for r in _sheet(three, others[3])}
    assert parameters["⟦Reference day⟧"] == CONFIG.as_of.isoformat()
    assert parameters["⟦Rows read: rnp⟧"] > 0
    assert _sheet(three, KINDS[0])[0][both("kind", readers)] == KINDS[0]


def test_a_single_right_to_left_reader_names_every_sheet(run: Path, tmp_path: Path) -> None:
    rtl = Reader("yy", True, lambda message_id: f"«{message_id}»")
    folder = write_report(run, "csv", tmp_path / "csv", readers=(rtl,))
    assert {p.name for p in folder.glob("«*.csv")} == {
        f"«{vocabulary.SHEETS[code].words}».csv" for code in (*LEVELS, *SHARED)
    }
    (row,) = _csv(folder / "«National funnel».csv")
    assert row["«Territory»"] == "المغرب"  # a right-to-left reader reads the Arabic names
    book = openpyxl.load_workbook(write_report(run, "xlsx", tmp_path / "r.xlsx", readers=(rtl,)))
    assert book["«Funnel by annex»"].sheet_view.rightToLeft


def test_readers_with_the_same_words_are_told_apart_by_their_language() -> None:
    english = Reader("en", False, lambda message_id: message_id)
    assert own_headers((FR, english), "Description") == ("Description (fr)", "Description (en)")
    assert own_headers((FR, english), "Value") == ("Valeur", "Value")
    assert shared((FR, english, FR), "Value") == "Valeur / Value"


def test_out_path_is_honoured(run: Path, tmp_path: Path) -> None:
    target = write_report(run, "xlsx", tmp_path / "deep" / "national.xlsx", readers=READERS)
    assert target == tmp_path / "deep" / "national.xlsx" and target.is_file()
    assert not list(target.parent.glob(".*partial*"))


@pytest.mark.parametrize("missing", ["findings.parquet", "summary.json", "funnel.parquet"])
def test_an_incomplete_run_names_the_missing_file(run: Path, tmp_path: Path, missing: str) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy, ignore=shutil.ignore_patterns("report*"))
    (copy / missing).unlink()
    with pytest.raises(ValueError, match=missing.replace(".", r"\.")):
        write_report(copy, "xlsx", readers=READERS)
    assert not (copy / "report.xlsx").exists()


def test_a_missing_run_folder_an_unknown_format_or_no_reader_is_a_value_error(
    run: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        write_report(tmp_path / "nowhere", "csv", readers=READERS)
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        write_report(run, "pdf", readers=READERS)
    with pytest.raises(ValueError, match="at least one reader"):
        write_report(run, "csv", tmp_path / "csv", readers=())
    assert not (tmp_path / "csv").exists()


def test_a_run_missing_a_column_is_a_value_error(run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy, ignore=shutil.ignore_patterns("report*"))
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * EXCLUDE (detail) FROM '{run}/findings.parquet') "
            f"TO '{copy}/findings.parquet' (FORMAT parquet)"
        )
    with pytest.raises(ValueError, match=r"findings\.parquet lacks column\(s\) detail"):
        write_report(copy, "csv", readers=READERS)
