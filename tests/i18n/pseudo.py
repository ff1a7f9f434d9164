"""A pseudo-language for the tests: every message id wrapped in ⟦ ⟧, written left to right.

Added the way an operator adds a language (a catalogue in SIJILL_LOCALE_DIR), it shows which
words on a page or a terminal came from the catalogues: anything outside the brackets did
not (or is data).
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from sijill import i18n

CODE = "qps"
_HEADER = (
    'msgid ""\nmsgstr ""\n"Language: qps\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"X-Sijill-Name: pseudo\\n"\n"X-Sijill-Direction: ltr\\n"\n'
)
_MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
_WORD = re.compile(r"(?<![\w./@:-])[a-z][a-z']{2,}(?![\w/@-])")


def write_catalogue(folder: Path) -> Path:
    """The pseudo catalogue under `folder` (a SIJILL_LOCALE_DIR), compiled; returns it."""
    source = i18n.LOCALE / "fr" / "LC_MESSAGES" / "django.po"
    blocks = source.read_text(encoding="utf-8").strip().split("\n\n")
    entries = [_HEADER]
    for block in blocks:
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        if 'msgid ""\nmsgstr ""' in text or "msgid " not in text:
            continue
        head, _, _ = text.partition("\nmsgstr ")
        ident = head[head.index("msgid ") + len("msgid ") :]
        entries.append(f'{head}\nmsgstr "⟦"\n{ident}\n"⟧"')
    target = folder / CODE / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(target.with_suffix(".mo")), str(target)], check=True)
    return folder


def unmarked_words(text: str, data: set[str]) -> list[str]:
    """Lower-case words of a text that no catalogue gave and that are no data."""
    while _MARKED.search(text):
        text = _MARKED.sub(" ", text)
    return sorted({w for w in _WORD.findall(text) if w not in data})


class _Text(HTMLParser):
    """The text a person reads on a page: its text nodes and its labelling attributes."""

    SKIPPED = frozenset({"script", "style"})
    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skip += 1
        self.parts += [v for k, v in attrs if k in self.SPOKEN and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    found = _Text()
    found.feed(html)
    return "\n".join(found.parts)
