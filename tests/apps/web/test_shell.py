"""The shell every page shares (base.html): direction, language switch, skip link, menu,
and the vendored static files, served without a CDN."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client

import sijill
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
STATIC = Path(sijill.__file__).parent / "web" / "static" / "sijill"


def test_arabic_by_default_right_to_left_and_french_left_to_right(people: Staff) -> None:
    client = Client()
    assert '<html lang="ar" dir="rtl">' in client.get("/status/").content.decode()
    switched = client.post("/i18n/setlang/", {"language": "fr", "next": "/status/"})
    assert switched.status_code == 302 and switched["Location"] == "/status/"
    assert '<html lang="fr" dir="ltr">' in client.get("/status/").content.decode()


def test_every_page_has_a_skip_link_the_switch_and_no_outside_asset(people: Staff) -> None:
    client = Client()
    client.force_login(people.clerk)
    for url in ("/status/", "/status/steps/", "/accounts/login/", "/forms/counter/"):
        html = client.get(url, follow=True).content.decode()
        assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html, url
        assert 'name="language" value="fr"' in html and 'name="language" value="ar"' in html
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_the_vendored_htmx_is_served_and_is_the_one_documented(people: Staff) -> None:
    vendored = STATIC / "vendor" / "htmx-2.0.11.min.js"
    digest = hashlib.sha256(vendored.read_bytes()).hexdigest()
    assert digest in (STATIC / "vendor" / "VENDORED.md").read_text()
    answer = Client().get("/static/sijill/vendor/htmx-2.0.11.min.js")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == vendored.read_bytes()
    assert Client().get("/static/sijill/sijill.css").status_code == 200


def test_the_style_sheet_shows_focus_and_follows_the_direction() -> None:
    css = (STATIC / "sijill.css").read_text()
    assert ":focus-visible" in css and ".skip-link:focus" in css
    # Logical properties only: nothing pinned to the left or the right.
    assert not re.search(r"(margin|padding)-(left|right)|text-align:\s*(left|right)", css)


def test_the_login_page_labels_its_fields(people: Staff) -> None:
    html = Client(headers={"Accept-Language": "fr"}).get("/accounts/login/").content.decode()
    assert re.search(r'<label for="id_username">[^<]+</label>', html)
    assert re.search(r'<label for="id_password">[^<]+</label>', html)
