"""sijill.accounts.staff: disabling a user and giving a new password, audited without the
password (issue 16, item 5)."""

from __future__ import annotations

import pytest
from django.test import Client

from sijill.accounts import staff, tokens
from sijill.accounts.models import User
from sijill.audit.models import Entry
from tests.apps.backoffice import PASSWORD
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Nouveau-mot-2026-annexe!"


def login(username: str, password: str, address: str = "10.3.3.3") -> int:
    response = Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )
    return int(response.status_code)


def test_a_disabled_user_cannot_log_in_nor_use_a_token_nor_a_session(people: Staff) -> None:
    token = tokens.issue(people.clerk, actor="test")
    session = Client()
    session.force_login(people.clerk)
    assert session.get("/forms/counter/").status_code == 200
    assert staff.disable("clerk_a", actor="test") == 1
    assert login("clerk_a", PASSWORD) == 200  # the form again: refused
    headers = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/v1/forms", headers=headers).status_code == 401
    assert session.get("/forms/counter/")["Location"].startswith("/accounts/login/")
    assert not User.objects.get(username="clerk_a").is_active
    actions = list(Entry.objects.values_list("target", "action"))
    assert actions[-2:] == [("accounts.user", "disable"), ("accounts.apitoken", "revoke")]


def test_disabling_twice_adds_nothing_and_an_unknown_user_is_refused(people: Staff) -> None:
    staff.disable("clerk_a", actor="test")
    entries = Entry.objects.count()
    assert staff.disable("clerk_a", actor="test") == 0
    assert Entry.objects.count() == entries
    with pytest.raises(staff.StaffError, match="nobody"):
        staff.disable("nobody", actor="test")


def test_a_new_password_is_checked_set_and_audited_without_it(people: Staff) -> None:
    with pytest.raises(staff.StaffError):
        staff.set_password("clerk_a", "1234", actor="test")
    staff.set_password("clerk_a", NEW_PASSWORD, actor="test")
    assert login("clerk_a", PASSWORD) == 200 and login("clerk_a", NEW_PASSWORD) == 302
    entry = Entry.objects.filter(action="set_password").get()
    assert NEW_PASSWORD not in entry.after and "clerk_a" not in entry.after + entry.key
    assert "md5$" not in entry.after  # nor its hash


def test_a_new_password_lifts_the_user_s_refusal(people: Staff) -> None:
    for _ in range(5):
        login("clerk_a", "wrong")
    assert login("clerk_a", PASSWORD) == 429
    staff.set_password("clerk_a", NEW_PASSWORD, actor="test")
    assert login("clerk_a", NEW_PASSWORD) == 302


def test_a_new_password_ends_open_sessions(people: Staff) -> None:
    session = Client()
    session.force_login(people.clerk)
    staff.set_password("clerk_a", NEW_PASSWORD, actor="test")
    assert session.get("/forms/counter/")["Location"].startswith("/accounts/login/")
