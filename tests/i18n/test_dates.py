"""sijill.i18n.dates: the short dates of the pages, written exactly as Django's `date` filter
writes them, in every language of the catalogues."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.template import engines
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from sijill.i18n.dates import short_date, short_datetime, strftime_form

LANGUAGES = [code for code, _ in settings.LANGUAGES]
MOMENTS = st.datetimes(
    min_value=dt.datetime(1, 1, 1, 0, 0), max_value=dt.datetime(9999, 12, 30, 23, 59),
    timezones=st.sampled_from([dt.UTC, zoneinfo.ZoneInfo("Africa/Casablanca")]),
)  # fmt: skip


DJANGO = engines["django"].from_string(
    '{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}'
)
OURS = engines["django"].from_string(
    "{% load figures %}{{ moment|short_datetime }}|{{ day|short_date }}"
)


def django_date(value: dt.date, format_name: str) -> str:
    """What Django's `date` filter shows in a page (in the pages' time zone)."""
    shown = engines["django"].from_string(f'{{{{ value|date:"{format_name}" }}}}')
    return str(shown.render({"value": value}))


@pytest.mark.parametrize("language", LANGUAGES)
@given(moment=MOMENTS)
def test_a_moment_is_written_as_django_writes_it(language: str, moment: dt.datetime) -> None:
    context = {"moment": moment, "day": moment.date()}
    with translation.override(language):
        assert OURS.render(context) == DJANGO.render(context)
        assert short_datetime(moment) == django_date(moment, "SHORT_DATETIME_FORMAT")


def test_a_moment_is_shown_in_the_local_time_of_the_pages() -> None:
    moment = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
    with translation.override("fr"), timezone.override("Africa/Casablanca"):
        assert short_datetime(moment) == "06/12/2026 00:30"
    assert short_date(None) == short_datetime(None) == ""


def test_only_numeric_formats_are_written_by_strftime() -> None:
    assert strftime_form("d/m/Y H:i") == ("%d/%m/%Y %H:%M", True)
    assert strftime_form(r"d.m.Y \h %") == ("%d.%m.%Y h %%", False)
    assert strftime_form("j F Y") is None  # unpadded day, month's name: Django writes them
