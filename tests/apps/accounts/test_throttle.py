"""sijill.accounts.throttle: every try counted before its password is checked, per normalized
user name and client address, on django-axes' tables (issue 16, item 4)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from axes.models import AccessAttempt  # type: ignore[import-untyped,unused-ignore]
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from sijill.accounts import throttle
from tests.apps.backoffice import PASSWORD, bearer, staff
from tests.conftest import Staff

pytestmark = pytest.mark.django_db

# What each password check saw: the count of tries of clerk_a at that moment.
SEEN: list[int] = []


class WatchingHasher(MD5PasswordHasher):  # type: ignore[misc]
    """The tests' MD5 hasher, noting how many tries were counted when a password is checked."""

    def verify(self, password: str, encoded: str) -> bool:
        rows = AccessAttempt.objects.filter(username=throttle.key("clerk_a"))
        SEEN.append(sum(row.failures_since_start for row in rows))
        return bool(super().verify(password, encoded))


class SlowHasher(MD5PasswordHasher):  # type: ignore[misc]
    """A check that takes a while, as a real hasher's does: parallel tries overlap in it."""

    def verify(self, password: str, encoded: str) -> bool:
        SEEN.append(1)
        time.sleep(0.3)
        return bool(super().verify(password, encoded))


def login(username: str, password: str, address: str = "10.1.1.1", **headers: str) -> int:
    client = Client(REMOTE_ADDR=address, headers=headers)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return int(response.status_code)


@pytest.fixture
def limit(settings: Settings) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_each_try_is_counted_before_its_password_is_checked(
    people: Staff, limit: int, settings: Settings
) -> None:
    settings.PASSWORD_HASHERS = [f"{__name__}.WatchingHasher"]
    SEEN.clear()
    assert [login("clerk_a", "wrong") for _ in range(limit)] == [200] * limit
    assert SEEN == [1, 2, 3]  # each check saw its own try counted already
    assert login("clerk_a", PASSWORD) == 429
    assert SEEN == [1, 2, 3]  # refused without checking the password


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="parallel logins need PostgreSQL (run with --db=postgresql)",
)
def test_parallel_tries_meet_the_limit_exactly(settings: Settings) -> None:
    """Twenty tries at once: the limit's worth get their password checked, no more."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.PASSWORD_HASHERS = [f"{__name__}.SlowHasher"]
    staff("agent", "cnss", None)
    SEEN.clear()
    start = threading.Barrier(20)

    def attempt(_: int) -> int:
        try:
            start.wait()
            return login("agent", "wrong")
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(20) as pool:
        statuses = sorted(pool.map(attempt, range(20)))
    assert statuses == [200] * 5 + [429] * 15
    assert len(SEEN) == 5
    assert login("agent", PASSWORD) == 429


@pytest.mark.parametrize("spellings", [["Clerk_A ", "CLERK_A", "clerk_a"], ["ｃｌｅｒｋ＿ａ"] * 3])
def test_spellings_of_a_user_name_share_one_count(
    people: Staff, limit: int, spellings: list[str]
) -> None:
    assert [login(name, "wrong") for name in spellings] == [200] * limit
    assert login("clerk_a", PASSWORD) == 429
    (row,) = AccessAttempt.objects.all()
    assert "clerk" not in row.username.lower()  # a keyed hash: no name spelled out
    assert throttle.normalized("  ＣＬＥＲＫ_a\u00a0") == "clerk_a"


def test_tries_from_one_address_do_not_lock_the_user_out_elsewhere(
    people: Staff, limit: int
) -> None:
    assert [login("clerk_a", "wrong", "10.1.1.1") for _ in range(limit)] == [200] * limit
    assert login("clerk_a", PASSWORD, "10.1.1.1") == 429
    assert login("clerk_a", PASSWORD, "10.2.2.2") == 302


def test_an_office_behind_one_address_is_not_shut_out(people: Staff, limit: int) -> None:
    for _ in range(limit):
        login("clerk_a", "wrong", "10.1.1.1")
    assert login("clerk_a", PASSWORD, "10.1.1.1") == 429
    assert login("validator_a", PASSWORD, "10.1.1.1") == 302  # a colleague, same NAT address


def test_a_success_clears_the_count(people: Staff, limit: int) -> None:
    assert [login("clerk_a", "wrong") for _ in range(limit - 1)] == [200] * (limit - 1)
    assert login("clerk_a", PASSWORD) == 302
    assert [login("clerk_a", "wrong") for _ in range(limit - 1)] == [200] * (limit - 1)
    assert login("clerk_a", PASSWORD) == 302


def test_the_refusal_ends_after_the_cool_off(people: Staff, limit: int) -> None:
    for _ in range(limit):
        login("clerk_a", "wrong")
    assert login("clerk_a", PASSWORD) == 429
    window = dt.timedelta(minutes=15, seconds=1)
    for row in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - window)
    assert login("clerk_a", PASSWORD) == 302


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Seul ce nom d'utilisateur est bloqué"), ("ar", "لا يُوقَف إلا اسم المستخدم هذا")],
)
def test_the_refusal_is_a_translated_page(
    people: Staff, limit: int, language: str, text: str
) -> None:
    for _ in range(limit):
        login("clerk_a", "wrong")
    client = Client(REMOTE_ADDR="10.1.1.1", headers={"Accept-Language": language})
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 429 and f'<html lang="{language}"' in html and text in html


def test_the_api_token_of_a_refused_user_still_works(people: Staff, limit: int) -> None:
    headers = bearer(people.clerk)
    for _ in range(limit + 2):
        login("clerk_a", "wrong")
    assert login("clerk_a", PASSWORD) == 429
    api = Client(REMOTE_ADDR="10.1.1.1").get("/api/v1/forms", headers=headers)
    assert api.status_code == 200


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "10.1.1.1"}, "10.1.1.1"),
        ({"REMOTE_ADDR": "2001:db8:1:2:aaaa::1"}, "2001:db8:1:2::"),
        ({"REMOTE_ADDR": "2001:db8:1:2:bbbb::9"}, "2001:db8:1:2::"),  # the same /64
        ({"REMOTE_ADDR": "::ffff:10.1.1.1"}, "10.1.1.1"),
        ({"REMOTE_ADDR": "not an address"}, None),
    ],
)
def test_the_client_address_counted(meta: dict[str, Any], expected: str | None) -> None:
    from django.http import HttpRequest

    request = HttpRequest()
    request.META.update(meta)
    assert throttle.address(request) == expected
