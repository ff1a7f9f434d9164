"""The command line's language: French by default, or any language of the catalogues with
SIJILL_CLI_LANGUAGE (`ar` for Arabic).

The command line reads the same gettext catalogues as the pages (sijill.i18n). Message ids
are the English texts, with `{placeholders}` that `t` fills in: every id is a literal of the
code (`t("…")`, a vocabulary term's words, a rule's code), never composed. What the engine
says comes as a `Message`, shown by `shown`. The variable is read on every call, as
Django's back office reads it once per command.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sijill import i18n
from sijill.i18n import Message
from sijill.i18n.formats import number, percent

__all__ = ["ENV", "language", "number", "percent", "shown", "t"]

ENV = "SIJILL_CLI_LANGUAGE"
DEFAULT = "fr"


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
