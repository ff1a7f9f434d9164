"""The Arabic and French catalogues: complete, compiled, and in step with the code.

Source strings are English; every one must have both translations, and a string added to
the code without being added to the catalogues fails here rather than showing in English.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sijill

PACKAGE = Path(sijill.__file__).parent
LOCALE = PACKAGE / "web" / "locale"
LANGUAGES = ("ar", "fr")


def entries(po: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) for a catalogue without plural forms."""
    found: dict[str, tuple[str, bool]] = {}
    for block in po.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        parts: dict[str, str] = {"msgid": "", "msgstr": ""}
        current = None
        for line in lines:
            if line.startswith(("msgid ", "msgstr ")):
                current, _, rest = line.partition(" ")
                parts[current] = ast.literal_eval(rest)
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
        if parts["msgid"]:
            found[parts["msgid"]] = (parts["msgstr"], fuzzy)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalogue = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert catalogue
    assert [m for m, (text, fuzzy) in catalogue.items() if not text or fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, (text, _) in entries(folder / "django.po").items():
        assert compiled.gettext(msgid) == text, msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogues_hold_every_string_of_the_code(tmp_path: Path) -> None:
    real = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
    before = real.read_bytes()
    copy = tmp_path / "sijill"
    skip = shutil.ignore_patterns("engine", "locale", "__pycache__")
    shutil.copytree(PACKAGE, copy, ignore=skip)
    # A locale folder at the copy's root catches every string of the copy; without it,
    # makemessages would write into LOCALE_PATHS, the real catalogues.
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sijill.web.settings"}
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location"]
    subprocess.run(
        [*command, "--ignore", "domain/*"], cwd=copy, env=env, check=True, capture_output=True
    )
    fresh = entries(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    assert real.read_bytes() == before
    assert set(fresh) == set(entries(real))
