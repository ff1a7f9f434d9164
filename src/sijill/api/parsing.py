"""Request bodies read as strict JSON: only what a register can hold gets past the edge.

Python's `json` reads `NaN`, `Infinity` and `1e999` (as infinity) although JSON has no such
numbers, and any string may hold NUL characters or unpaired surrogates, which neither
PostgreSQL nor UTF-8 can store. Such a body is refused here, before any view sees it, with a
400 problem that says why (sijill.api.problems), instead of failing later in the database.
"""

from __future__ import annotations

import json
import math
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny

# Why a body is refused; sijill.api.problems words each in the caller's language.
NOT_JSON, NOT_FINITE, NOT_TEXT = "not-json", "not-finite", "not-text"


class Unreadable(ValueError):
    """The body is not JSON the API accepts; `reason` is one of the constants above."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _no_constant(name: str) -> float:
    raise Unreadable(NOT_FINITE)  # NaN, Infinity, -Infinity


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 and the like
        raise Unreadable(NOT_FINITE)
    return value


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate ("\ud800")
        return False
    return True


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        if not _storable(value):
            raise Unreadable(NOT_TEXT)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


def loads(body: bytes | str) -> Any:
    """The JSON document, or Unreadable: finite numbers and storable text only."""
    try:
        value = json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    except Unreadable:
        raise
    except ValueError as exc:  # malformed JSON, bad UTF-8, an integer of 4 300 digits...
        raise Unreadable(NOT_JSON) from exc
    _check_text(value)
    return value


class StrictJson(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        return cast(DictStrAny, loads(request.body))
