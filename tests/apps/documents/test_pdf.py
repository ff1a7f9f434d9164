"""sijill.documents.pdf: templates to PDF with Debian's Arabic fonts, shaped, and offline.

A PDF is read back through its own structures: the fonts it embeds (`/BaseFont`) and its
ToUnicode maps, which say which Unicode letter each drawn glyph stands for. Arabic that is
shaped draws one letter with several glyphs (its initial, medial, final and isolated forms);
unshaped Arabic draws every letter with a single glyph, disconnected.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict

import pytest
from django.test import RequestFactory
from django.utils import translation

from sijill.documents.pdf import ResourceRefused, _fetcher, _static_path, pdf_response, render_pdf

_ARABIC_LETTERS = range(0x0621, 0x064B)


def _objects(data: bytes) -> list[bytes]:
    """The PDF's uncompressed text and every stream it holds, decompressed."""
    found = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return found


def fonts(data: bytes) -> set[str]:
    names = set()
    for chunk in _objects(data):
        names |= {n.decode() for n in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", chunk)}
    return names


def debian_arabic(font: str) -> bool:
    """Amiri (fonts-hosny-amiri) or Noto's Arabic faces (fonts-noto-core)."""
    return "Amiri" in font or "Arabic" in font


def arabic_forms(data: bytes) -> dict[str, int]:
    """Arabic letters drawn with more than one glyph, with how many glyphs each."""
    glyphs: dict[str, set[bytes]] = defaultdict(set)
    for chunk in _objects(data):
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", chunk, re.S):
            for glyph, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]{4})>", block):
                if int(code, 16) in _ARABIC_LETTERS:
                    glyphs[chr(int(code, 16))].add(glyph)
    return {letter: len(ids) for letter, ids in glyphs.items() if len(ids) > 1}


def test_an_arabic_template_becomes_a_shaped_pdf_with_debians_fonts() -> None:
    request = RequestFactory().get("/")
    with translation.override("ar"):
        data = render_pdf("intake/citizen/too_many.html", {}, request)
    assert data.startswith(b"%PDF-")
    assert any(debian_arabic(name) for name in fonts(data))
    assert len(arabic_forms(data)) >= 3


def test_static_files_are_read_from_the_finders_and_nothing_else() -> None:
    assert _static_path("file:///sijill/static/sijill/sijill.css") is not None
    assert _static_path("file:///static/sijill/vendor/htmx-2.0.11.min.js") is not None
    assert _static_path("file:///static/sijill/missing.css") is None
    assert _static_path("http://example.org/x.css") is None
    assert _static_path("file:///etc/passwd") is None


def test_a_template_asking_for_a_foreign_resource_does_not_render() -> None:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = '<link rel="stylesheet" href="http://example.org/x.css"><p>x</p>'
    with pytest.raises(FatalURLFetchingError) as refused:
        HTML(string=html, url_fetcher=_fetcher()).write_pdf()
    assert isinstance(refused.value.__cause__, ResourceRefused)


def test_a_pdf_response_names_its_file() -> None:
    response = pdf_response(b"%PDF-1.7", "receipt-X.pdf", inline=False)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="receipt-X.pdf"'
