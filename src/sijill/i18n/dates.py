"""Dates in the short forms of the pages: the active language's SHORT_DATE_FORMAT and
SHORT_DATETIME_FORMAT, exactly as Django's `date` filter writes them, faster.

Django's filter reads its format string again at each call (about 20 µs); a validation queue
of 200 rows shows 400 dates. A format made of numeric fields and literals only (French's and
Arabic's, `d/m/Y H:i`) is turned once into strftime's, which writes it in about a
microsecond. Any other format (a month's name, say) is left to Django.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.utils import dateformat, timezone
from django.utils.formats import get_format

# Django's format characters that strftime writes the same way, zero-padded numbers all.
_NUMERIC = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


@functools.lru_cache(maxsize=32)
def strftime_form(django_format: str) -> tuple[str, bool] | None:
    """`django_format` as a strftime format, and whether it writes the time; None when it
    has a field strftime would write otherwise (names, unpadded numbers, time zones...)."""
    out: list[str] = []
    escaped = timed = False
    for char in django_format:
        if escaped:
            out.append(char.replace("%", "%%"))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _NUMERIC:
            out.append(_NUMERIC[char])
            timed = timed or char in "His"
        elif char.isalpha():
            return None
        else:
            out.append(char.replace("%", "%%"))
    return "".join(out), timed


def _written(value: dt.date | None, format_name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # as the `date` filter shows it
    written = get_format(format_name)
    form = strftime_form(written)
    # Django's own for what strftime writes otherwise: a year before 1000 (padded to four
    # digits by Django only), a time asked of a day (an error of Django's).
    if form is None or value.year < 1000 or (form[1] and not isinstance(value, dt.datetime)):
        return str(dateformat.format(value, written))
    return value.strftime(form[0])


def short_date(value: dt.date | None) -> str:
    return _written(value, "SHORT_DATE_FORMAT")


def short_datetime(value: dt.datetime | None) -> str:
    return _written(value, "SHORT_DATETIME_FORMAT")
