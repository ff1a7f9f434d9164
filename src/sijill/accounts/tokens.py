"""API bearer tokens: random, shown once, stored only as a SHA-256 digest.

A token works until it expires (SIJILL_TOKEN_DAYS after its issue) or is revoked, and only
while its user is active. Its prefix, which reveals nothing of the rest, names it in
`sijill token list` and `sijill token revoke`. Every change is audited under the user's
name (pseudonymized by the log) with the token's row id, never the token or its prefix.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sijill.accounts.models import ApiToken, User
from sijill.audit.chain import Change, record, record_many

PREFIX = "sjl_"
PREFIX_LENGTH = 12  # "sjl_" and 8 random characters


class UnknownToken(LookupError):
    """No token has this prefix."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, actor: str = "sijill token issue") -> str:
    with transaction.atomic():
        token = PREFIX + secrets.token_urlsafe(32)
        # Prefixes name tokens: draw again in the (unlikely) case one is taken.
        while ApiToken.objects.filter(prefix=token[:PREFIX_LENGTH]).exists():
            token = PREFIX + secrets.token_urlsafe(32)
        issued = ApiToken.objects.create(
            user=user, digest=digest(token), prefix=token[:PREFIX_LENGTH]
        )
        record(
            Change(
                actor,
                "issue",
                "accounts.apitoken",
                user.username,
                None,
                {"user": user.pk, "token": issued.pk, "expires_at": issued.expires_at},
            )
        )
    return token


def user_for(token: str) -> User | None:
    """The active user holding this token, or None: unknown, expired, revoked, disabled."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user", "user__territory")
        .filter(
            digest=digest(token),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if found is None:
        return None
    # A coarse timestamp is enough to spot unused tokens and spares a write per request.
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 3600:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    user: User = found.user
    return user


def listed(user: User | None = None) -> QuerySet[ApiToken]:
    """Every token (or a user's), oldest first, with its user."""
    tokens = ApiToken.objects.select_related("user").order_by("created_at", "pk")
    return tokens if user is None else tokens.filter(user=user)


def revoke(prefix: str, actor: str) -> bool:
    """Revoke the token with this prefix: True, or False when it already was."""
    with transaction.atomic():
        found = (
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(prefix=prefix.strip())
            .first()
        )
        if found is None:
            raise UnknownToken(prefix)
        if found.revoked_at is not None:
            return False
        return revoke_all(found.user, actor, ApiToken.objects.filter(pk=found.pk)) == 1


def revoke_all(user: User, actor: str, tokens: QuerySet[ApiToken] | None = None) -> int:
    """Revoke the user's tokens still in force (or those of `tokens`); how many were."""
    now = timezone.now()
    with transaction.atomic():
        chosen = ApiToken.objects.filter(user=user) if tokens is None else tokens
        live = list(chosen.select_for_update().filter(revoked_at__isnull=True).order_by("pk"))
        ApiToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=now)
        record_many(
            Change(
                actor,
                "revoke",
                "accounts.apitoken",
                user.username,
                {"user": user.pk, "token": t.pk, "revoked_at": None},
                {"user": user.pk, "token": t.pk, "revoked_at": now},
            )
            for t in live
        )
    return len(live)
