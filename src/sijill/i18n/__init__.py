"""The languages of sijill: one gettext catalogue per language, read by the pages (Django),
the command line and the reports alike.

A language is a folder `locale/<code>/LC_MESSAGES/` holding `django.po` and its compiled
`django.mo`; adding one is adding that folder (here, or in the folder named by
SIJILL_LOCALE_DIR), with no change to the code. Its header says how the language calls
itself and which way it is written:

    "X-Sijill-Name: ⵜⴰⵎⴰⵣⵉⵖⵜ\\n"
    "X-Sijill-Direction: ltr\\n"

Message ids are the English source texts, never composed at run time: code that has words
to show passes an id and its parameters (`Message`), and the edge that shows them chooses
the language.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Messages are the domain's (the engine may import only the domain); re-exported here,
# where the words are chosen.
from sijill.domain.message import Message as Message
from sijill.domain.message import Translate as Translate
from sijill.domain.vocabulary import Reader

LOCALE = Path(__file__).resolve().parent / "locale"
EXTRA = "SIJILL_LOCALE_DIR"  # a folder of more catalogues, laid out like LOCALE
DOMAIN = "django"  # the name Django reads catalogues by
DEFAULT = "ar"  # the language of the counters, first in every list


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # as the language calls itself
    bidi: bool  # written right to left


def folders(env: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """Where catalogues are looked for: the shipped ones, then SIJILL_LOCALE_DIR's."""
    extra = (os.environ if env is None else env).get(EXTRA, "")
    return (LOCALE, *((Path(extra),) if extra else ()))


def languages(env: Mapping[str, str] | None = None) -> tuple[Language, ...]:
    """Every language with a compiled catalogue, the default first, then by code."""
    found: dict[str, Language] = {}
    for folder in folders(env):
        for mo in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
            code = mo.parent.parent.name
            found.setdefault(code, _language(code, mo))
    return tuple(sorted(found.values(), key=lambda lang: (lang.code != DEFAULT, lang.code)))


def _language(code: str, mo: Path) -> Language:
    with mo.open("rb") as handle:
        info = gettext.GNUTranslations(handle).info()
    name = info.get("x-sijill-name", code)
    return Language(code, name, info.get("x-sijill-direction", "ltr").lower() == "rtl")


def codes(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    return tuple(lang.code for lang in languages(env))


@cache
def _catalogue(code: str, where: tuple[Path, ...]) -> gettext.NullTranslations:
    for folder in where:
        if (folder / code / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
            return gettext.translation(DOMAIN, localedir=folder, languages=[code])
    raise LookupError(f"no catalogue for language {code!r}")


def translator(code: str) -> Translate:
    """The words of language `code`, outside Django (command line, reports); LookupError
    when no catalogue has that language."""
    catalogue = _catalogue(code, folders())

    def translate(message_id: str, context: str | None = None) -> str:
        if context is None:
            return catalogue.gettext(message_id)
        return catalogue.pgettext(context, message_id)

    return translate


def message_ids(code: str) -> frozenset[str]:
    """Every message id the language's catalogue holds (contexts left out)."""
    catalogue = _catalogue(code, folders())
    ids = getattr(catalogue, "_catalog", {})
    return frozenset(k for k in ids if isinstance(k, str) and k and "\x04" not in k)


def readers(env: Mapping[str, str] | None = None) -> tuple[Reader, ...]:
    """Every language as a reader of a document that all of them share (the report's
    workbook): written left to right first, then right to left, each by code."""
    found = sorted(languages(env), key=lambda lang: (lang.bidi, lang.code))
    return tuple(Reader(lang.code, lang.bidi, _words(translator(lang.code))) for lang in found)


def _words(translate: Translate) -> Callable[[str], str]:
    return lambda message_id: translate(message_id, None)
