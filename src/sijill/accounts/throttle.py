"""Login throttling on django-axes: every try is counted *before* its password is checked.

Axes counts a failure once the password has been found wrong, so tries sent in parallel all
read the count before any of them is recorded, and each gets its password checked. Here the
authentication backend takes a place first: in one transaction, on the row of the user name
and client address (locked on PostgreSQL; SQLite's IMMEDIATE transactions serialize
writers), it either counts the try or refuses it because SIJILL_LOGIN_FAILURES tries were
counted within the window. Only counted tries reach the password check; a success clears
the count (axes' reset on success).

A count belongs to one user name *from* one address: one office behind a NAT address is not
shut out for a colleague's mistakes, and an attacker elsewhere cannot lock a user out. The
user name is normalized (Unicode NFKC, case folded, surrounding spaces dropped) so that
"Admin ", "ADMIN" and "ａｄｍｉｎ" share one count, and stored as a keyed hash: the table
never spells out who was tried, nor a password typed in the user name field. An IPv6
client is counted by its /64 network, which one household or office gets whole.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from typing import Any

from axes.backends import AxesStandaloneBackend  # type: ignore[import-untyped,unused-ignore]
from axes.exceptions import AxesBackendPermissionDenied  # type: ignore[import-untyped,unused-ignore]
from axes.handlers.database import AxesDatabaseHandler  # type: ignore[import-untyped,unused-ignore]
from axes.handlers.proxy import AxesProxyHandler  # type: ignore[import-untyped,unused-ignore]
from axes.helpers import get_cool_off, get_failure_limit  # type: ignore[import-untyped,unused-ignore]
from axes.models import AccessAttempt  # type: ignore[import-untyped,unused-ignore]
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from ninja.throttling import BaseThrottle

_SALT = "sijill.accounts.throttle"


def normalized(name: str) -> str:
    """The user name as counted: spelling it another way is trying the same name."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return folded.strip()


def key(name: str) -> str:
    """What the count is stored under for a user name (a keyed hash of its normal form)."""
    digest: str = salted_hmac(_SALT, normalized(name), algorithm="sha256").hexdigest()
    return digest


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the key of the user name tried."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = credentials.get(field) if credentials else request.POST.get(field)
    return None if raw is None else key(str(raw))


def address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client address as the API's rate limits take it
    (SIJILL_PROXIES decides), an IPv6 one reduced to its /64 network."""
    raw = BaseThrottle().get_ident(request) or ""
    try:
        found = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address):
        if found.ipv4_mapped is not None:
            return str(found.ipv4_mapped)
        return str(ipaddress.IPv6Address(int(found) >> 64 << 64))
    return str(found)


def take(request: HttpRequest, credentials: dict[str, Any]) -> bool:
    """Count this try, or refuse it (False) when the limit is reached within the window."""
    AxesProxyHandler.update_request(request)
    name = username(request, credentials)
    where = request.axes_ip_address
    limit = get_failure_limit(request, credentials)
    now = timezone.now()
    window_start = now - get_cool_off(request)
    with transaction.atomic():
        attempt, created = AccessAttempt.objects.select_for_update().get_or_create(
            username=name,
            ip_address=where,
            user_agent="",  # one row, one lock, per user name and address
            defaults={
                "failures_since_start": 1,
                "path_info": request.axes_path_info,
                "get_data": "",
                "post_data": "",
                "http_accept": "",
            },
        )
        if created:
            return True
        counted = attempt.failures_since_start if attempt.attempt_time >= window_start else 0
        if counted >= limit:
            return False  # refused: not counted, so the window is not prolonged
        attempt.failures_since_start = counted + 1
        attempt.attempt_time = now
        attempt.save(update_fields=["failures_since_start", "attempt_time"])
    return True


class CountingBackend(AxesStandaloneBackend):
    """First of AUTHENTICATION_BACKENDS: counts the try, or refuses it before any backend
    checks the password. A call without a request (the test client's `login`, a shell)
    comes from code, not from a client to count: it goes on to the next backend."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None or not settings.AXES_ENABLED:
            return None
        if take(request, {settings.AXES_USERNAME_FORM_FIELD: username}):
            return None
        request.axes_locked_out = True
        raise AxesBackendPermissionDenied("too many tries for this user name and address")


class CountedTries(AxesDatabaseHandler):
    """AXES_HANDLER: a failed try was already counted by `take`; a refused one shows the
    lockout page (AxesMiddleware). Successes clear the count (AXES_RESET_ON_SUCCESS)."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return
        if getattr(request, "axes_locked_out", False):
            request.axes_credentials = credentials
        else:
            self.clean_expired_user_attempts(request, credentials)  # other names' old counts


def forget(name: str) -> int:
    """Clear every count of a user name, from every address (after a new password)."""
    deleted, _ = AccessAttempt.objects.filter(username=key(name)).delete()
    return int(deleted)
