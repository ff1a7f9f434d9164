"""Failed logins per client address and per user name, in a fixed window.

The counters live in Django's cache: the default local-memory cache counts per process,
which suffices for `sijill serve`; several processes need a shared cache (docs/backoffice.md).
User names are hashed in cache keys so that no key spells out who was targeted.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    # The same client address as the API's rate limits (SIJILL_PROXIES decides).
    address = BaseThrottle().get_ident(request) or ""
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]
    return f"login-failures:address:{address}", f"login-failures:user:{name}"


def blocked(request: HttpRequest, username: str) -> bool:
    limit = settings.SIJILL_LOGIN_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(request, username))


def failed(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        # add() starts the window only once; incr() keeps its expiry.
        cache.add(key, 0, timeout=settings.SIJILL_LOGIN_WINDOW)
        cache.incr(key)


def succeeded(request: HttpRequest, username: str) -> None:
    cache.delete(_keys(request, username)[1])
