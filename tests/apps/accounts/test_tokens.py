"""sijill.accounts.tokens: tokens expire and can be revoked; each change audited, the token
never written anywhere (issue 16, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from sijill.accounts import tokens
from sijill.accounts.models import ApiToken
from sijill.audit.models import Entry
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def api(token: str) -> int:
    response = Client().get("/api/v1/forms", headers={"Authorization": f"Bearer {token}"})
    return int(response.status_code)


def test_a_token_expires_after_the_configured_days(people: Staff, settings: Settings) -> None:
    settings.SIJILL_TOKEN_DAYS = 30
    token = tokens.issue(people.clerk, actor="test")
    issued = ApiToken.objects.get()
    assert issued.expires_at - issued.created_at == pytest.approx(
        dt.timedelta(days=30), abs=dt.timedelta(seconds=5)
    )
    assert api(token) == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert tokens.user_for(token) is None
    assert api(token) == 401


def test_a_revoked_token_is_refused_and_revoking_twice_changes_nothing(people: Staff) -> None:
    token = tokens.issue(people.clerk, actor="test")
    other = tokens.issue(people.clerk, actor="test")
    prefix = token[: tokens.PREFIX_LENGTH]
    entries = Entry.objects.count()
    assert tokens.revoke(prefix, actor="test") is True
    assert api(token) == 401 and api(other) == 200
    assert Entry.objects.count() == entries + 1
    assert tokens.revoke(prefix, actor="test") is False
    assert Entry.objects.count() == entries + 1
    with pytest.raises(tokens.UnknownToken):
        tokens.revoke("sjl_nothing", actor="test")


def test_revoke_all_spares_other_users(people: Staff) -> None:
    mine = [tokens.issue(people.clerk, actor="test") for _ in range(2)]
    theirs = tokens.issue(people.validator, actor="test")
    assert tokens.revoke_all(people.clerk, actor="test") == 2
    assert [api(token) for token in mine] == [401, 401] and api(theirs) == 200
    assert tokens.revoke_all(people.clerk, actor="test") == 0


def test_tokens_are_listed_without_the_token(people: Staff) -> None:
    token = tokens.issue(people.clerk, actor="test")
    tokens.issue(people.validator, actor="test")
    assert [t.prefix for t in tokens.listed(people.clerk)] == [token[: tokens.PREFIX_LENGTH]]
    assert len(tokens.listed()) == 2


def test_the_audit_log_holds_neither_token_nor_prefix_nor_user_name(people: Staff) -> None:
    token = tokens.issue(people.clerk, actor="test")
    tokens.revoke(token[: tokens.PREFIX_LENGTH], actor="test")
    written = [
        " ".join([e.key, e.before, e.after])
        for e in Entry.objects.filter(target="accounts.apitoken")
    ]
    assert [e.action for e in Entry.objects.filter(target="accounts.apitoken")] == [
        "issue",
        "revoke",
    ]
    for text in written:
        assert token[: tokens.PREFIX_LENGTH] not in text and "clerk_a" not in text
