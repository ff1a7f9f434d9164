"""The cache every server process shares (settings.CACHES, sijill.web.environment.cache): the
database's table by default, Redis when SIJILL_REDIS_URL is set. The public look-up's rate
limit is counted there, so it holds across processes."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import Staff

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("SIJILL_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_the_status_limit_is_counted_in_the_shared_cache(
    people: Staff, settings: Any, backend: str
) -> None:
    """The look-up's counter lives where every server process reads it: the database's
    cache table, or Redis. A second client (another process would be the same) sees it."""
    if backend == "redis":
        _need_redis()
        prefix = f"sijill-test-{uuid.uuid4().hex}"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        }
    else:
        assert "DatabaseCache" in settings.CACHES["default"]["BACKEND"]
    limit = int(settings.SIJILL_STATUS_RATE.split("/")[0])
    answers = [
        Client().get("/api/v1/status/7KX4-9PQM-3TD2", {"id": "BE123456"}).status_code
        for _ in range(limit + 1)
    ]
    assert answers[:limit] == [404] * limit and answers[-1] == 429
    if backend == "redis":
        import redis

        keys = redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:*")
        assert keys
        redis.Redis.from_url(REDIS_URL).delete(*keys)  # not FLUSHDB: another run may share it
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sijill_cache")
            assert cursor.fetchone()[0] > 0


def _need_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis at {REDIS_URL} did not answer: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true requires it)")
        pytest.skip(reason)
