"""Settings read from the environment, refusing values that would be silently misread.

A mistyped variable must stop the process at start-up with the variable's name, never fall
back to a default: a back office writing to the wrong database is worse than one that stops.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
MIN_SECRET_LENGTH = 50
SECRET_FILE = "secret.key"


def flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true/false, 1/0, yes/no or on/off")


def data_dir(env: Mapping[str, str]) -> Path:
    raw = env.get("SIJILL_DATA_DIR", "")
    path = Path(raw) if raw else Path.cwd() / "var"
    if path.exists() and not path.is_dir():
        raise ImproperlyConfigured(f"SIJILL_DATA_DIR={raw!r} exists and is not a directory")
    return path.resolve()


def host_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return default
    hosts = [h.strip() for h in raw.split(",") if h.strip()]
    if not hosts:
        raise ImproperlyConfigured(f"{name} is set but names no host")
    return hosts


def database(env: Mapping[str, str], folder: Path) -> dict[str, Any]:
    """SQLite in the data folder unless DATABASE_URL names a PostgreSQL or SQLite database."""
    url = env.get("DATABASE_URL", "")
    if not url:
        return sqlite(folder / "sijill.sqlite3")
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        return postgresql(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute.db, as in dj-database-url.
        path = unquote(parts.path)[1:]
        if not path:
            raise ImproperlyConfigured("DATABASE_URL=sqlite:/// names no file")
        return sqlite(Path(path))
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported: use postgres:// or sqlite:///"
    )


def sqlite(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # Writers queue instead of failing, and a read never has to be upgraded to a
            # write mid-transaction (the audit chain reads its head, then appends).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def postgresql(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise ImproperlyConfigured("DATABASE_URL must name one database: postgres://host/NAME")
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL has a bad port: {exc}") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def secret_key(env: Mapping[str, str], folder: Path) -> str:
    """SIJILL_SECRET_KEY, else a key kept in the data folder (created once, owner-only)."""
    raw = env.get("SIJILL_SECRET_KEY")
    if raw is not None:
        if len(raw) < MIN_SECRET_LENGTH:
            raise ImproperlyConfigured(
                f"SIJILL_SECRET_KEY is {len(raw)} characters; use at least {MIN_SECRET_LENGTH}"
            )
        return raw
    path = folder / SECRET_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # A fresh clone must work after `sijill migrate`; the key must survive restarts or
        # every session and every keyed hash in the audit log would change meaning.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(64))
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_SECRET_LENGTH:
        raise ImproperlyConfigured(f"{path} holds a key shorter than {MIN_SECRET_LENGTH}")
    return key


def audit_key(env: Mapping[str, str], fallback: str) -> str:
    raw = env.get("SIJILL_AUDIT_KEY")
    if raw is None:
        return fallback
    if len(raw) < MIN_SECRET_LENGTH:
        raise ImproperlyConfigured(
            f"SIJILL_AUDIT_KEY is {len(raw)} characters; use at least {MIN_SECRET_LENGTH}"
        )
    return raw


def positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a number above 0")
    return value


def choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw not in allowed:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected one of {', '.join(allowed)}")
    return raw


def count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number, 0 or more")
    return int(raw)
