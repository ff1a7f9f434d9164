"""sijill.accounts.views: staff login with CSRF, and logout back to the login page.

Throttling is tests/apps/accounts/test_throttle.py's."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.apps.backoffice import PASSWORD
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str) -> int:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return int(response.status_code)


def test_a_clerk_logs_in_and_lands_on_the_forms_to_capture(people: Staff) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/forms/start/"
    assert client.get("/forms/start/")["Location"] == "/forms/counter/"
    assert client.get("/forms/counter/").status_code == 200


def test_login_without_the_csrf_token_is_refused(people: Staff) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert login(strict, "clerk_a", PASSWORD) == 403
    page = strict.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = strict.post(
        "/accounts/login/",
        {"username": "clerk_a", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "Vous êtes déconnecté."), ("ar", "تم تسجيل خروجكم.")]
)
def test_logging_out_leads_to_the_login_page_with_a_message(
    people: Staff, language: str, text: str
) -> None:
    client = Client(headers={"Accept-Language": language})
    client.force_login(people.clerk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and text in page.content.decode()
    assert client.get("/forms/counter/")["Location"].startswith("/accounts/login/")


def test_logging_out_is_a_post(people: Staff) -> None:
    client = Client()
    client.force_login(people.clerk)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/forms/counter/").status_code == 200


@pytest.mark.parametrize(
    ("language", "direction", "text"), [("ar", "rtl", "تسجيل الدخول"), ("fr", "ltr", "Connexion")]
)
def test_pages_are_right_to_left_in_arabic(
    people: Staff, language: str, direction: str, text: str
) -> None:
    page = Client().get("/accounts/login/", headers={"Accept-Language": language})
    html = page.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html and text in html
