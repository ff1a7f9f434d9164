"""Users carry a role and the territory whose subtree bounds everything they can see."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from sijill.accounts.roles import ROLES


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=[(r, r) for r in ROLES])
    # None: national scope (CNSS, administrators).
    territory = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    @property
    def territory_code(self) -> str | None:
        code: str | None = self.territory_id
        return code


def token_expiry() -> dt.datetime:
    """When a token issued now stops working: SIJILL_TOKEN_DAYS from now."""
    expiry: dt.datetime = timezone.now() + dt.timedelta(days=settings.SIJILL_TOKEN_DAYS)
    return expiry


class ApiToken(models.Model):
    """A bearer token, stored as its SHA-256 only: the clear token is shown once, at issue.

    It works until it expires or is revoked, and only while its user is active.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # lets a user tell tokens apart, reveals nothing
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Tokens issued before expiry existed get SIJILL_TOKEN_DAYS from the migration.
    expires_at = models.DateTimeField(default=token_expiry)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"
