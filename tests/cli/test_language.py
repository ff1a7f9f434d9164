"""The engine's commands speak French by default and Arabic with SIJILL_CLI_LANGUAGE=ar.

Problems keep their English machine codes (summary.json, the engine's tests); only what is
shown is translated: a rule by its code, a detail and a refusal from the engine's message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from rich.console import Console
from typer.testing import CliRunner

from sijill.cli import terminal
from sijill.cli.app import app
from sijill.cli.messages import ENV, shown, t
from sijill.domain.message import Message
from sijill.domain.vocabulary import FUNNEL
from sijill.engine import Parameters, Summary
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
        assert _ARABIC.search(t(p.rule)), p.rule
        assert _ARABIC.search(shown(p.detail)), p.detail
        assert _ARABIC.search(t(p.severity)), p.severity


def test_a_problems_detail_is_shown_in_arabic(tmp_path: Path) -> None:
    code, output = _run("ar", "validate", "--rnp", str(tmp_path / "absent.csv"))
    assert code == 2
    assert _said_in("ar", "no such file") == "الملف غير موجود"
    assert "الملف غير موجود" in output and _said_in("ar", "file exists") in output
    assert "no such file" not in output and "file exists" not in output


def _said_in(language: str, message_id: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, language)
        return t(message_id)


@pytest.mark.parametrize(
    ("option", "memory", "refusal"),
    [
        (
            "--threshold=nan",
            "",
            Message("threshold must be a finite number, not {value}", {"value": math.nan}),
        ),
        (
            "--threshold=9",
            "lots",
            Message(
                "{name}={value} is not a memory size such as 8GB",
                {"name": "SIJILL_MEMORY_LIMIT", "value": "'lots'"},
            ),
        ),
    ],
)
def test_a_refused_setting_is_shown_in_arabic(
    tmp_path: Path, option: str, memory: str, refusal: Message, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_set(tmp_path, "csv")
    args = [arg for name, path in paths.items() for arg in (f"--{name}", str(path))]
    out = tmp_path / "run"
    command = ["reconcile", *args, "--as-of", "2024-03-10", "--out", str(out), option]
    env = {ENV: "ar", **({"SIJILL_MEMORY_LIMIT": memory} if memory else {})}
    result = runner.invoke(app, command, env=env)
    assert result.exit_code == 2 and "Traceback" not in result.output
    monkeypatch.setenv(ENV, "ar")
    assert _ARABIC.search(shown(refusal)) and shown(refusal) in result.output
    assert str(refusal) not in result.output and not out.exists()


def test_valid_extracts_say_so_in_each_language(tmp_path: Path) -> None:
    paths = write_set(tmp_path, "csv")
    args = ["validate", "--rnp", str(paths["rnp"])]
    assert "extraits valides" in _run("fr", *args)[1]
    assert "المستخرجات صالحة" in _run("ar", *args)[1]


def test_synth_refusals_are_translated(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x")
    code, output = _run("ar", "synth", "--persons", "10", "--out", str(busy))
    assert code == 2 and "موجود وغير فارغ" in output and "--force" in output
    code, output = _run("ar", "synth", "--persons", "10", "--out", "x", "--format", "xlsx")
    assert code == 2 and "إحدى القيم التالية: parquet, csv" in output


def test_synth_tables_in_arabic(tmp_path: Path) -> None:
    code, output = _run("ar", "synth", "--persons", "300", "--out", str(tmp_path / "c"))
    assert code == 0, output
    assert "البلد الاصطناعي" in output and "الأسطر: rnp" in output
    assert "التوليد: الأشخاص" in output  # the progress bar


@pytest.mark.parametrize("value", ["en", "arabic"])
def test_a_bad_language_exits_2_naming_the_variable(value: str) -> None:
    code, output = _run(value, "validate", "--rnp", "x.csv")
    assert code == 2
    assert f"SIJILL_CLI_LANGUAGE='{value}': expected one of ar, fr" in output


def _help_texts(command: Any) -> list[str]:
    texts = [command.help, *(getattr(p, "help", None) for p in command.params)]
    found = [text for text in texts if text]
    for sub in getattr(command, "commands", {}).values():
        found += _help_texts(sub)
    return found


def _help_texts_in(language: str) -> list[str]:
    """Typer builds the command tree before CliRunner sets `env`: set the variable first.
    With a language no catalogue has, the help stays as written, in English."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, language)
        return _help_texts(typer.main.get_command(app))


@pytest.mark.parametrize(("language", "sample"), [("ar", "الاتفاق التبادلي"), ("fr", "contrat")])
def test_every_help_text_is_translated(
    language: str, sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    english, texts = _help_texts_in("en"), _help_texts_in(language)
    assert len(texts) == len(english) > 40
    assert [e for e, text in zip(english, texts, strict=True) if e == text] == []
    if language == "ar":
        assert not [text for text in texts if not _ARABIC.search(text)]
    monkeypatch.setenv(ENV, language)  # for the tree CliRunner builds before it sets `env`
    code, output = _run(language, "validate", "--help")
    assert code == 0 and sample in output


def test_the_funnel_steps_read_as_the_pages_and_the_report_call_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    national = {key: 1000 + depth for depth, key in terminal.FUNNEL_STEPS}
    summary = Summary("duckdb", Parameters(dt.date(2024, 3, 10)), False, national, {}, {})
    monkeypatch.setenv(ENV, "ar")
    console = Console(width=200, record=True)
    console.print(terminal.funnel_table(summary))
    lines = console.export_text().splitlines()
    for depth, key in terminal.FUNNEL_STEPS:
        words = t(FUNNEL[key].words)
        assert _ARABIC.search(words), key
        assert [line for line in lines if f"│ {'  ' * depth}{words} " in line], key
