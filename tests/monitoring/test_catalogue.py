"""The monitoring app's own Arabic and French catalogues: complete, compiled, in step with
the app's code (the back office's catalogues leave the app out: tests/web/test_catalogues)."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sijill.monitoring
from tests.web.test_catalogues import entries

APP = Path(sijill.monitoring.__file__).parent
LANGUAGES = ("ar", "fr")


def po(language: str) -> Path:
    return APP / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_compiled(language: str) -> None:
    catalogue = entries(po(language))
    assert catalogue
    assert [m for m, (text, fuzzy) in catalogue.items() if not text or fuzzy] == []
    with po(language).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, (text, _) in catalogue.items():
        assert compiled.gettext(msgid) == text, msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogue_holds_every_string_of_the_app(tmp_path: Path) -> None:
    copy = tmp_path / "monitoring"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sijill.web.settings"}
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location"]
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
    fresh = entries(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    assert set(fresh) == set(entries(po("fr"))) == set(entries(po("ar")))
