"""The command line's catalogue: every entry in French and Arabic, with the key's placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import sijill
from sijill.cli import terminal
from sijill.cli.catalogue import CATALOGUE, SECTIONS
from sijill.cli.messages import LANGUAGES
from sijill.engine.extracts.parsing import EXPECTED
from sijill.engine.linkage.job import STEPS
from sijill.engine.reconcile.pipeline import STAGES

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_ARABIC = re.compile(r"[\u0621-\u064A]")
_LETTER = re.compile(r"[A-Za-z]")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = CATALOGUE[key]
    assert sorted(entry) == sorted(LANGUAGES)
    wanted = sorted(_PLACEHOLDER.findall(key))
    for language, text in entry.items():
        assert text.strip(), language
        assert sorted(_PLACEHOLDER.findall(text)) == wanted, language
    assert _ARABIC.search(entry["ar"]), "the Arabic text has no Arabic letter"
    # Terminals draw harakat as columns of their own and put Rich's tables out of line.
    assert not re.search("[\u064b-\u0652]", entry["ar"]), "no harakat in terminal text"


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_a_template_has_words_of_its_own(key: str) -> None:
    """A key of placeholders and punctuation alone would match any engine text."""
    assert _LETTER.search(_PLACEHOLDER.sub("", key)), key
    names = _PLACEHOLDER.findall(key)
    assert len(names) == len(set(names)), "a placeholder used twice cannot be recognised"


def test_no_key_is_in_two_sections() -> None:
    assert sum(len(section) for section in SECTIONS) == len(CATALOGUE)


def _literal_keys(path: Path) -> set[str]:
    """First arguments of t("…") calls that are plain strings."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


@pytest.mark.parametrize("module", ["cli/app.py", "cli/terminal.py"])
def test_every_literal_message_is_in_the_catalogue(module: str) -> None:
    keys = _literal_keys(Path(sijill.__file__).parent / module)
    assert keys, "the scan found no t() call"
    assert keys <= set(CATALOGUE), keys - set(CATALOGUE)


def test_table_labels_stages_and_value_kinds_are_in_the_catalogue() -> None:
    labels = [label.strip() for label, _ in terminal.FUNNEL_STEPS]
    progress = [*STAGES, *STEPS, "done", "reconcile", "link", "reconcile: {step}", "link: {step}"]
    progress.append("synth: persons")
    missing = [k for k in [*labels, *progress, *EXPECTED.values()] if k not in CATALOGUE]
    assert not missing
