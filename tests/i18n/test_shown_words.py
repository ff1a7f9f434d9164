"""The catalogues hold every word the engine and the command line can show.

The engine says things as `Message(id, params)` and names rules by English codes; the
command line says its own with `t(id)`. Every id is a literal of the code, so scanning the
source finds them all: each must be in each catalogue (sijill.i18n), with the msgid's
placeholders in its msgstr.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

import sijill
from sijill import i18n
from sijill.domain import vocabulary
from sijill.engine import LINK_STEPS, STAGES
from sijill.engine.extracts.problems import SAME_WITHIN

PACKAGE = Path(sijill.__file__).parent
DOCS = PACKAGE.parents[1] / "docs" / "validation.md"
LANGUAGES = i18n.codes()
# Code that makes problems and refusals a person reads.
ENGINE = [*sorted((PACKAGE / "engine").rglob("*.py")), PACKAGE / "registry" / "shapes.py"]
CLI = sorted((PACKAGE / "cli").glob("*.py"))
# Where a call names a rule: (function, position of the rule among its arguments).
RULE_ARGUMENT = {"Problem": 2, "RowRule": 1, "offending": 3}
# What marks a string for the catalogues' extraction when it is no Message (rule codes).
MARKERS = ("_", "gettext_noop")
_BRACE = re.compile(r"\{(\w*)\}")
_PERCENT = re.compile(r"%\((\w+)\)s")
_HARAKAT = re.compile("[\u064b-\u0652]")


def _calls(path: Path, *names: str) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in names:
                yield node


def _literal(node: ast.expr | None) -> str | None:
    """A string written in the code, or marked for the catalogues: `_("…")`."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in MARKERS and node.args:
        return _literal(node.args[0])
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def message_ids(paths: list[Path], *names: str) -> set[str]:
    """First arguments of `Message("…")` (or `t("…")`) calls that are literals, keyed as
    gettext keys them: `context\x04id` when a literal context is given."""
    found = set()
    for path in paths:
        for call in _calls(path, *names):
            message = _literal(call.args[0]) if call.args else None
            context = _literal(_keyword(call, "context"))
            if message is not None:
                found.add(f"{context}\x04{message}" if context else message)
    return found


def rule_arguments(paths: list[Path]) -> list[ast.expr]:
    """Every rule argument written where a problem or a rule is made."""
    found = []
    for path in paths:
        for name, position in RULE_ARGUMENT.items():
            for call in _calls(path, name):
                given = call.args[position] if len(call.args) > position else None
                rule = _keyword(call, "rule") or given
                if rule is not None:
                    found.append(rule)
    return found


def rule_codes(paths: list[Path]) -> set[str]:
    """The rules problems are made with: literal rule arguments, and the written-out rules
    of rows that must agree within a key."""
    literal = {_literal(rule) for rule in rule_arguments(paths)}
    return {code for code in literal if code is not None} | set(SAME_WITHIN.values())


def documented_rules() -> set[str]:
    """The rules docs/validation.md lists: the codes in the first column of its tables."""
    found = set()
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            found |= set(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return found


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid (`context\x04msgid` with a context) -> msgstr, as compiled."""
    mo = i18n.LOCALE / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries: dict[str, str] = getattr(compiled, "_catalog", {})
    return {k: v for k, v in entries.items() if isinstance(k, str) and k}


def shown_ids() -> set[str]:
    """Every id the engine or the command line can show (stage names are the vocabulary's,
    tested with it)."""
    return (
        message_ids(ENGINE, "Message")
        | rule_codes(ENGINE)
        | message_ids(CLI, "t", "Message")
        | {"error", "warning"}
    )


def test_every_stage_the_progress_bars_show_has_its_words() -> None:
    stages = {*STAGES, *LINK_STEPS, "done", "reconcile", "link"}
    assert sorted(stages - set(vocabulary.STAGES)) == []


def test_the_scans_find_the_engines_messages_and_rules() -> None:
    engine = message_ids(ENGINE, "Message")
    assert len(engine) >= 30
    assert {"no such file", "not {expected}", "a date YYYY-MM-DD"} <= engine
    assert "threshold must be a finite number, not {value}" in engine
    assert len(message_ids(CLI, "t", "Message")) > 60


def test_every_rule_is_documented_and_every_documented_rule_is_made() -> None:
    assert rule_codes(ENGINE) == documented_rules()


def test_a_literal_rule_is_marked_for_the_catalogues_extraction() -> None:
    """makemessages finds `_("…")`: a rule written bare would be missing from the
    catalogues the next time they are made."""
    bare = [ast.unparse(rule) for rule in rule_arguments(ENGINE) if isinstance(rule, ast.Constant)]
    assert bare == []
    problems = PACKAGE / "engine" / "extracts" / "problems.py"
    marked = {_literal(call) for call in _calls(problems, *MARKERS)}
    assert set(SAME_WITHIN.values()) <= marked


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_id_the_engine_or_the_command_line_shows_is_in_the_catalogue(
    language: str,
) -> None:
    assert sorted(shown_ids() - set(catalogue(language))) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_keeps_the_placeholders_of_its_id(language: str) -> None:
    found = catalogue(language)
    wrong = [
        key
        for key in sorted(shown_ids() & set(found))
        for pattern in (_BRACE, _PERCENT)
        if sorted(pattern.findall(key.rpartition("\x04")[2])) != sorted(pattern.findall(found[key]))
    ]
    assert wrong == []


def test_arabic_terminal_texts_have_no_harakat() -> None:
    """Terminals draw harakat as columns of their own and put Rich's tables out of line."""
    found = catalogue("ar")
    assert [key for key in sorted(shown_ids() & set(found)) if _HARAKAT.search(found[key])] == []
