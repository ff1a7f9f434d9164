"""sijill.accounts.views: staff login with CSRF, refused for a while after repeated failures."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

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


def test_repeated_failures_are_refused_even_with_the_right_password(
    people: Staff, settings: Settings
) -> None:
    settings.SIJILL_LOGIN_FAILURES = 3
    client = Client(REMOTE_ADDR="10.1.1.1")
    assert [login(client, "clerk_a", "wrong") for _ in range(3)] == [200, 200, 200]
    assert login(client, "clerk_a", PASSWORD) == 429
    # Another address may not try the same user either: the user name is counted too.
    assert login(Client(REMOTE_ADDR="10.1.1.2"), "clerk_a", PASSWORD) == 429
    assert login(Client(REMOTE_ADDR="10.1.1.2"), "validator_a", PASSWORD) == 302


def test_a_success_clears_the_user_count(people: Staff) -> None:
    client = Client(REMOTE_ADDR="10.1.1.3")
    for _ in range(4):
        login(client, "clerk_a", "wrong")
    assert login(Client(REMOTE_ADDR="10.1.1.4"), "clerk_a", PASSWORD) == 302
    assert login(Client(REMOTE_ADDR="10.1.1.5"), "clerk_a", "wrong") == 200


@pytest.mark.parametrize(
    ("language", "direction", "text"), [("ar", "rtl", "تسجيل الدخول"), ("fr", "ltr", "Connexion")]
)
def test_pages_are_right_to_left_in_arabic(
    people: Staff, language: str, direction: str, text: str
) -> None:
    page = Client().get("/accounts/login/", headers={"Accept-Language": language})
    html = page.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html and text in html
