"""API bearer tokens: random, shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from sijill.accounts.models import ApiToken, User
from sijill.audit.chain import Change, record

PREFIX = "sjl_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, actor: str = "sijill token issue") -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=user, digest=digest(token), prefix=token[:12])
        record(Change(actor, "issue", "accounts.apitoken", user.username, None, {"user": user.pk}))
    return token


def user_for(token: str) -> User | None:
    """The active user holding this token, or None for an unknown, revoked or idle account."""
    found = (
        ApiToken.objects.select_related("user", "user__territory")
        .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    # A coarse timestamp is enough to spot unused tokens and spares a write per request.
    now = timezone.now()
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 3600:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    user: User = found.user
    return user
