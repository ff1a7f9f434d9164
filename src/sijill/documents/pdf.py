"""PDF documents (the receipt, the dashboard) rendered from a Django template by WeasyPrint.

Arabic is shaped by Pango/HarfBuzz with Debian's Arabic fonts (`fonts-hosny-amiri`,
`fonts-noto-core`; DejaVu for the rest); the template's `dir` attribute sets right-to-left.
Static files named
in the template (`{% static %}`) are read from the static finders, never over the network,
so a PDF renders offline and without a running server.
"""

from __future__ import annotations

import logging
import mimetypes
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Print style shared by every PDF: the fonts Debian ships, A4, a readable size.
PDF_FONTS = '"Amiri", "DejaVu Sans", sans-serif'
_BASE_URL = "file:///sijill/"  # relative URLs are resolved against this, then refused
# Screen-only CSS (focus outlines, media queries) that print ignores is not worth a warning.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class ResourceRefused(Exception):
    """A template asked for something other than one of our static files."""


def _static_path(url: str) -> str | None:
    path = urlsplit(url).path
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    for start in (prefix, "/sijill" + prefix):
        if path.startswith(start):
            found = finders.find(path[len(start) :])
            return str(found) if isinstance(found, str) else None
    return None


def _fetcher() -> Any:
    """WeasyPrint's resource loader, limited to our static files: no network, no file system."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _static_path(url)
            if path is None:
                raise ResourceRefused(url)
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as handle:
                return URLFetcherResponse(url, handle.read(), {"Content-Type": kind})

    return StaticOnly(fail_on_errors=True)


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    """The template rendered for this request (language, user) as PDF bytes."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for
    from weasyprint.urls import FatalURLFetchingError

    html = render_to_string(template_name, {**context, "pdf_fonts": PDF_FONTS}, request=request)
    try:
        document = HTML(string=html, base_url=_BASE_URL, url_fetcher=_fetcher())
        data: bytes = document.write_pdf()
    except FatalURLFetchingError as refused:  # a BaseException: Django would not catch it
        raise ResourceRefused(str(refused)) from refused
    return data


def pdf_response(data: bytes, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
