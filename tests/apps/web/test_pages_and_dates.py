"""The error pages in the site's layout and language, and dates as Moroccan administration
writes them (sijill/web/formats)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import formats, translation

from tests.conftest import Staff

FR = {"Accept-Language": "fr"}


@pytest.mark.django_db
def test_404_and_403_have_the_sites_layout_in_the_readers_language(people: Staff) -> None:
    arabic = Client().get("/nowhere/")
    assert arabic.status_code == 404
    html = arabic.content.decode()
    assert 'dir="rtl"' in html and "الصفحة غير موجودة" in html and 'class="site-header"' in html
    assert "Page introuvable" in Client(headers=FR).get("/nowhere/").content.decode()
    validator = Client(headers=FR)
    validator.force_login(people.validator)
    refused = validator.get("/forms/new/")  # a validator deposits nothing
    assert refused.status_code == 403
    assert "Non autorisé" in refused.content.decode() and "validator_a" in refused.content.decode()


def test_500_renders_without_a_request_nor_a_database() -> None:
    # No django_db mark: a query here would fail the test.
    for language, title in (("ar", "حدث خطأ"), ("fr", "Une erreur s'est produite")):
        with translation.override(language):
            html = render_to_string("500.html")
        assert title in html.replace("&#x27;", "'") and 'class="site-header"' in html


@pytest.mark.parametrize(
    ("name", "arabic", "french"),
    [
        ("DATE_FORMAT", "5 دجنبر 2026", "5 décembre 2026"),
        ("SHORT_DATE_FORMAT", "05/12/2026", "05/12/2026"),
        ("DATETIME_FORMAT", "5 دجنبر 2026، 14:30", "5 décembre 2026 14:30"),
        ("SHORT_DATETIME_FORMAT", "05/12/2026 14:30", "05/12/2026 14:30"),
    ],
)
def test_dates_are_day_month_year_with_moroccan_month_names(
    name: str, arabic: str, french: str
) -> None:
    moment = dt.datetime(2026, 12, 5, 14, 30)
    for language, expected in (("ar", arabic), ("fr", french)):
        with translation.override(language):
            assert formats.date_format(moment, name) == expected, language


def test_every_arabic_month_is_moroccan() -> None:
    months = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو",
              "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"]  # fmt: skip
    with translation.override("ar"):
        found = [formats.date_format(dt.date(2026, m, 1), "F") for m in range(1, 13)]
    assert found == months


def test_a_runs_progress_names_its_stage_and_counts_in_the_readers_words() -> None:
    from types import SimpleNamespace

    run = SimpleNamespace(pk=7, status="running", stage="funnel", stages_done=2,
                          stages_total=10, progress=20)  # fmt: skip
    with translation.override("fr"):
        html = render_to_string("runs/_progress.html", {"run": run, "finished": False})
    assert "étape 3 sur 10 : entonnoir" in html
    assert "<code>" not in html
    with translation.override("ar"):
        html = render_to_string("runs/_progress.html", {"run": run, "finished": False})
    assert "المرحلة 3 من 10" in html
