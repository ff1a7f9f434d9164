"""The engine's commands speak French by default and Arabic with SIJILL_CLI_LANGUAGE=ar.

Problems keep their English machine codes (summary.json, the engine's tests); only what is
shown is translated.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from sijill.cli.app import app
from sijill.cli.catalogue import CATALOGUE
from sijill.cli.messages import ENV, translate
from tests.extract_files import COMMUNE, problems_of, valid_rows, write_set

runner = CliRunner()
_ARABIC = re.compile(r"[\u0621-\u064A]")


def _run(language: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={ENV: language})
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Extracts with many kinds of problem at once, named relative to the working folder."""
    monkeypatch.chdir(tmp_path)
    rows = valid_rows()
    rows["rnp"][0].update(sex="X", cin="12345", birth_date="02/01/1982", first_name_ar="Ali")
    rows["rnp"][2]["annex_code"] = COMMUNE
    rows["rnp"][3]["idcs"] = rows["rnp"][0]["idcs"]
    rows["rsu"][2]["score"] = 9.5
    rows["rsu"][1]["address"] = None
    rows["territories"][3]["parent_code"] = "0000000"
    paths = write_set(Path("."), "csv", rows)
    return [arg for name, path in paths.items() for arg in (f"--{name}", path.name)]


def test_validate_in_french(broken: list[str]) -> None:
    code, output = _run("fr", "validate", *broken)
    assert code == 2
    for text in ("Contrôle du contrat d'échange", "valeurs admises", "erreur", "avertissement"):
        assert text in output, text
    assert "rnp : 5 lignes (csv, rnp.csv)" in output
    assert "Contract check" not in output and "first rows" not in output


def test_validate_in_arabic(broken: list[str]) -> None:
    code, output = _run("ar", "validate", *broken)
    assert code == 2
    for text in ("فحص احترام الاتفاق التبادلي", "القيم المسموح بها", "خطأ", "الأسطر الأولى"):
        assert text in output, text
    assert "rnp: عدد الأسطر 5 (csv، rnp.csv)" in output


def test_every_problem_of_broken_extracts_is_shown_in_arabic(
    broken: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = problems_of({a[2:]: Path(b) for a, b in zip(broken[::2], broken[1::2], strict=True)})
    assert len({p.rule for p in problems}) >= 8
    monkeypatch.setenv(ENV, "ar")
    for p in problems:
        assert _ARABIC.search(translate(p.rule)), p.rule
        assert _ARABIC.search(translate(p.detail)), p.detail
        assert _ARABIC.search(translate(p.severity)), p.severity


def test_valid_extracts_say_so_in_each_language(tmp_path: Path) -> None:
    paths = write_set(tmp_path, "csv")
    args = ["validate", "--rnp", str(paths["rnp"])]
    assert "extraits valides" in _run("fr", *args)[1]
    assert "المستخرجات صالحة" in _run("ar", *args)[1]


def test_synth_refusal_and_report_errors_are_translated(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x")
    code, output = _run("ar", "synth", "--persons", "10", "--out", str(busy))
    assert code == 2 and "موجود وغير فارغ" in output and "--force" in output
    code, output = _run("fr", "report", str(tmp_path / "absent"))
    assert code == 2 and "lancez d'abord `sijill reconcile`" in output
    code, output = _run("ar", "synth", "--persons", "10", "--out", "x", "--format", "xlsx")
    assert code == 2 and "إحدى القيم التالية: parquet, csv" in output


def test_synth_tables_in_arabic(tmp_path: Path) -> None:
    code, output = _run("ar", "synth", "--persons", "300", "--out", str(tmp_path / "c"))
    assert code == 0, output
    assert "البلد الاصطناعي" in output and "الأسطر: rnp" in output
    assert "التوليد: الأشخاص" in output  # the progress bar


def test_a_bad_language_is_refused_with_the_variable_named() -> None:
    code, output = _run("en", "validate", "--rnp", "x.csv")
    assert code == 2
    assert "SIJILL_CLI_LANGUAGE='en': expected one of ar, fr" in output


def _help_texts(command: Any) -> list[str]:
    texts = [command.help, *(getattr(p, "help", None) for p in command.params)]
    found = [text for text in texts if text]
    for sub in getattr(command, "commands", {}).values():
        found += _help_texts(sub)
    return found


@pytest.mark.parametrize(("language", "sample"), [("ar", "الاتفاق التبادلي"), ("fr", "contrat")])
def test_every_help_text_is_translated(
    language: str, sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typer builds the command tree before CliRunner sets `env`: set the variable first."""
    monkeypatch.setenv(ENV, language)
    texts = _help_texts(typer.main.get_command(app))
    assert len(texts) > 40
    assert not [text for text in texts if text in CATALOGUE or text.startswith("One of")]
    if language == "ar":
        assert not [text for text in texts if not _ARABIC.search(text)]
    code, output = _run(language, "validate", "--help")
    assert code == 0 and sample in output
