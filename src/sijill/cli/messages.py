"""The command line's language: French by default, Arabic with SIJILL_CLI_LANGUAGE=ar.

A message table in Python (`sijill.cli.catalogue`) rather than gettext: the engine's commands
must not import Django, a few hundred short phrases need no plural forms, and a table has
no compiled .mo file to drift from its .po; a test checks that every entry has both
languages and the same placeholders. Entries are keyed by their English text, so the code
reads as before and an unknown text (a DuckDB error) is shown as it is.

Engine texts (problem rules and details, error messages) stay English machine data in
`summary.json` and in the engine's tests; `translate` renders them when they are shown,
recognising the catalogue's templates ("must match {pattern}") in composed texts.
The variable is read on every call, as Django's back office reads it once per command.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache

from sijill.cli.catalogue import CATALOGUE
from sijill.i18n.formats import number, percent

__all__ = ["language", "number", "percent", "t", "translate"]

ENV = "SIJILL_CLI_LANGUAGE"
LANGUAGES = ("ar", "fr")
DEFAULT = "fr"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def language(env: Mapping[str, str] | None = None) -> str:
    """The language asked for; ValueError naming the variable when it is not ar or fr."""
    raw = (os.environ if env is None else env).get(ENV, "")
    if raw == "":
        return DEFAULT
    if raw not in LANGUAGES:
        raise ValueError(f"{ENV}={raw!r}: expected one of {', '.join(LANGUAGES)}")
    return raw


def t(key: str, /, **values: object) -> str:
    """The catalogue's text for `key` in the current language, with `values` filled in."""
    text = CATALOGUE.get(key, {}).get(language(), key)
    return text.format(**values) if values else text


def translate(text: str) -> str:
    """An engine text in the current language: an entry, a template filled, or unchanged."""
    if text in CATALOGUE:
        return t(text)
    for key, pattern in _templates():
        found = pattern.fullmatch(text)
        if found:
            values = {name: translate(value) for name, value in found.groupdict().items()}
            return t(key, **values)
    return text


@cache
def _templates() -> list[tuple[str, re.Pattern[str]]]:
    """Entries with placeholders as patterns, the longest literal text first."""
    found = []
    for key in CATALOGUE:
        parts = _PLACEHOLDER.split(key)
        if len(parts) == 1:
            continue
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((key, re.compile(regex, re.DOTALL)))
    return sorted(found, key=lambda item: -len(_PLACEHOLDER.sub("", item[0])))
