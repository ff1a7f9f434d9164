"""The catalogues (sijill.i18n): one per language, complete, compiled, in step with the code.

Source strings are English; every one must be in every catalogue, translated, and every
catalogue entry must still be used: by the pages, the command line, the engine's messages,
the vocabulary or the command line's help.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sijill
from sijill import i18n
from sijill.domain import scoring, vocabulary

PACKAGE = Path(sijill.__file__).parent
LOCALE = i18n.LOCALE
LANGUAGES = i18n.codes()
_BRACE = re.compile(r"\{(\w*)\}")
_PERCENT = re.compile(r"%\((\w+)\)s")


def entries(po: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) for a catalogue without plural forms; an entry with a
    context is keyed as gettext keys it, `context\x04msgid`."""
    found: dict[str, tuple[str, bool]] = {}
    for block in po.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        parts: dict[str, str] = {"msgid": "", "msgstr": "", "msgctxt": ""}
        current = None
        for line in lines:
            if line.startswith(("msgid ", "msgstr ", "msgctxt ")):
                current, _, rest = line.partition(" ")
                parts[current] = ast.literal_eval(rest)
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
        if parts["msgid"]:
            key = f"{parts['msgctxt']}\x04{parts['msgid']}" if parts["msgctxt"] else parts["msgid"]
            found[key] = (parts["msgstr"], fuzzy)
    return found


def po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def test_arabic_and_french_are_there_and_arabic_reads_right_to_left() -> None:
    found = {lang.code: lang for lang in i18n.languages()}
    assert list(found)[:1] == ["ar"] and {"ar", "fr"} <= set(found)
    assert found["ar"].bidi and not found["fr"].bidi
    assert found["ar"].name == "العربية" and found["fr"].name == "français"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalogue = entries(po(language))
    assert catalogue
    assert [m for m, (text, fuzzy) in catalogue.items() if not text or fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language: str) -> None:
    wrong = [
        message
        for message, (text, _) in entries(po(language)).items()
        if sorted(_BRACE.findall(message)) != sorted(_BRACE.findall(text))
        or sorted(_PERCENT.findall(message)) != sorted(_PERCENT.findall(text))
    ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    with po(language).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for key, (text, _) in entries(po(language)).items():
        context, _, msgid = key.rpartition("\x04")
        found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert found == text, key


def data_words() -> set[str]:
    """Message ids that live in data, where no extraction looks: the vocabulary's words
    (found by extraction too, through gettext_noop) and the scoring labels of the CSV."""
    return {*vocabulary.message_ids(), *scoring.message_ids()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_of_the_vocabulary_and_the_scoring_is_in_the_catalogue(language: str) -> None:
    catalogue = entries(po(language))
    assert sorted(m for m in data_words() if m not in catalogue) == []


def _help_texts(command: Any) -> Iterator[str]:
    """Every help text of the command line, as Typer builds it (docstrings, option help)."""
    for owner in (command, *command.params):
        for attribute in ("help", "short_help", "epilog"):
            text = getattr(owner, attribute, None)
            if isinstance(text, str) and text:
                yield text
    for sub in getattr(command, "commands", {}).values():
        yield from _help_texts(sub)


def help_texts() -> set[str]:
    """The help texts in English: with a language no catalogue has, the command line
    leaves them as written (and says so when it runs)."""
    import typer

    from sijill.cli.app import app
    from sijill.cli.messages import ENV

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, "en")
        return set(_help_texts(typer.main.get_command(app)))


def test_every_help_text_of_the_command_line_is_in_the_catalogues() -> None:
    for language in LANGUAGES:
        catalogue = entries(po(language))
        assert sorted(help_texts() - set(catalogue)) == [], language


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogues_hold_every_string_of_the_code_and_nothing_else(tmp_path: Path) -> None:
    """makemessages (with sijill's keywords: t, Message, gettext_noop) over the whole
    package finds exactly the catalogue's entries, help and data words apart."""
    real = po("fr")
    before = real.read_bytes()
    copy = tmp_path / "sijill"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    # A locale folder at the copy's root catches every string of the copy; without it,
    # makemessages would write into LOCALE_PATHS, the real catalogues.
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sijill.web.settings"}
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location"]
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
    fresh = set(entries(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert real.read_bytes() == before
    catalogue = set(entries(real))
    assert sorted(fresh - catalogue) == []  # in the code, missing from the catalogue
    unused = catalogue - fresh - help_texts() - data_words()
    assert sorted(unused) == []  # in the catalogue, used nowhere
