"""Logging that never writes a citizen's identifier or name.

- Request lines lose their query string: the public status look-up takes the citizen's CIN
  or IDCS as `?id=`, and an access log would otherwise keep it in clear, next to the receipt.
- `RequestLog` writes one line per request with its route (`forms/<str:receipt>/`), never its
  path, which may hold a receipt.
- The formatters mask, in everything they write (the message, its arguments, a traceback),
  what looks like an identifier: IDCS (ten digits), CIN, receipt numbers, and Arabic words
  (names are written in Arabic in the registers). JSON is the default: one object a line.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

_QUERY = re.compile(r"\?[^\s\"]*")
MASK = "…"
_IDENTIFIERS = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"  # receipt (first: it may begin like a CIN)
    r"|[0-9]{10}"  # IDCS
    r"|[A-Z]{1,2}[0-9]{3,6}"  # CIN
    r")(?![0-9A-Za-z])"
    r"|[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+"  # Arabic script: names
)


def masked(text: str) -> str:
    """`text` without query strings (`?id=` holds a CIN) and without anything that looks
    like an identifier or an Arabic name."""
    return _IDENTIFIERS.sub(MASK, _QUERY.sub("", text))


class WithoutQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("", a) if isinstance(a, str) else a for a in record.args)
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: time, level, logger, message and the record's extra fields,
    every text masked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: _masked_value(value) for key, value in log_data.items()}


def _masked_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {k: _masked_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked_value(v) for v in value]
    # Anything else is written as its text: masked first. Django's own lines carry the
    # request (`<WSGIRequest: GET '/api/v1/status/RECEIPT?id=CIN'>`) as an extra field.
    return masked(str(value))


class PlainFormatter(logging.Formatter):
    """Plain lines for a terminal, masked as the JSON ones are."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return masked(super().format(record))


_requests = logging.getLogger("sijill.request")


class RequestLog:
    """Middleware: one INFO line per request — method, route, status, milliseconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if _requests.isEnabledFor(logging.INFO):
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None else "(unresolved)"
            _requests.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "ms": round(1000 * (time.perf_counter() - started), 1),
                },
            )
        return response
