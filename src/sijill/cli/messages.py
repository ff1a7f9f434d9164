"""The command line's language: French by default, or any language of the catalogues with
SIJILL_CLI_LANGUAGE (`ar` for Arabic).

The command line reads the same gettext catalogues as the pages (sijill.i18n). Message ids
are the English texts, with `{placeholders}` that `t` fills in. The variable is read on
every call, as Django's back office reads it once per command.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache

from sijill import i18n
from sijill.i18n import Message
from sijill.i18n.formats import number, percent

__all__ = ["ENV", "language", "number", "percent", "shown", "t", "translate"]

ENV = "SIJILL_CLI_LANGUAGE"
DEFAULT = "fr"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def language(env: Mapping[str, str] | None = None) -> str:
    """The language asked for; ValueError naming the variable when no catalogue has it."""
    raw = (os.environ if env is None else env).get(ENV, "")
    if raw == "":
        return DEFAULT
    available = i18n.codes(env)
    if raw not in available:
        raise ValueError(f"{ENV}={raw!r}: expected one of {', '.join(available)}")
    return raw


def t(key: str, /, context: str | None = None, **values: object) -> str:
    """The catalogue's text for `key` in the current language, with `values` filled in."""
    text = i18n.translator(language())(key, context)
    return text.format(**values) if values else text


def shown(message: Message) -> str:
    """A message of the engine or the domain, in the current language."""
    return message.render(i18n.translator(language()))


def translate(text: str) -> str:
    """A text of a library we do not control (click's usage errors, DuckDB's), in the current
    language: an entry, a template of the catalogue filled in, or the text unchanged."""
    translated = i18n.translator(language())
    if text in i18n.message_ids(DEFAULT):
        return translated(text, None)
    for key, pattern in _templates():
        found = pattern.fullmatch(text)
        if found:
            values = {name: translate(value) for name, value in found.groupdict().items()}
            return translated(key, None).format(**values)
    return text


@cache
def _templates() -> list[tuple[str, re.Pattern[str]]]:
    """Message ids with placeholders as patterns, the longest literal text first."""
    found = []
    for key in i18n.message_ids(DEFAULT):
        parts = _PLACEHOLDER.split(key)
        if len(parts) == 1 or "%(" in key:
            continue
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((key, re.compile(regex, re.DOTALL)))
    return sorted(found, key=lambda item: -len(_PLACEHOLDER.sub("", item[0])))
