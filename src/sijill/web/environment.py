"""Settings read from the environment, refusing values that would be silently misread.

A mistyped variable must stop the process at start-up with the variable's name, never fall
back to a default: a back office writing to the wrong database is worse than one that stops.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
MIN_SECRET_LENGTH = 50
SECRET_FILE = "secret.key"
AUDIT_FILE = "audit.key"
CHAIN_FILE = "audit-chain.key"
LOOKUP_FILE = "lookup.key"
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")


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
    # A fresh clone must work after `sijill migrate`; the key must survive restarts or
    # every session would end.
    key = kept(folder / SECRET_FILE, lambda: secrets.token_urlsafe(64))
    if len(key) < MIN_SECRET_LENGTH:
        raise ImproperlyConfigured(
            f"{folder / SECRET_FILE} holds a key shorter than {MIN_SECRET_LENGTH}"
        )
    return key


def kept(path: Path, initial: Callable[[], str]) -> str:
    """The key in `path`, written once with `initial()` when the file does not exist yet.

    The file is readable by its owner only, and appears whole or not at all: it is written
    under another name, then linked to its own (which fails if another process won).
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        _write_new(draft, initial())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: written in place
            with contextlib.suppress(FileExistsError):
                _write_new(path, draft.read_text(encoding="ascii"))
        finally:
            draft.unlink()
    return path.read_text(encoding="ascii").strip()


def _write_new(path: Path, text: str) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
        f.write(text.strip() + "\n")


def derived(secret: str, purpose: bytes) -> str:
    return hmac.new(secret.encode(), purpose, hashlib.sha256).hexdigest()


def audit_key(env: Mapping[str, str], folder: Path, secret: str) -> str:
    """Key of the audit log's pseudonyms: SIJILL_AUDIT_KEY, else a key kept in the data
    folder. That file is created once from the secret key in use, so that pseudonyms made
    before it existed keep their meaning; rotating the secret key then changes nothing."""
    raw = env.get("SIJILL_AUDIT_KEY")
    if raw is None:
        raw = kept(folder / AUDIT_FILE, lambda: derived(secret, b"sijill audit pseudonyms"))
        name = str(folder / AUDIT_FILE)
    else:
        name = "SIJILL_AUDIT_KEY"
    if len(raw) < MIN_SECRET_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is {len(raw)} characters; use at least {MIN_SECRET_LENGTH}"
        )
    return raw


def lookup_key(env: Mapping[str, str], folder: Path, secret: str) -> str:
    """Key of the citizens' look-up hashes (receipt + CIN or IDCS), 64 hexadecimal digits:
    SIJILL_LOOKUP_KEY, else a key kept in the data folder. That file is created once from
    the secret key in use, exactly as the look-ups were keyed before it existed, so that
    every receipt stays findable; rotating the secret key then changes nothing."""
    raw = env.get("SIJILL_LOOKUP_KEY")
    if raw is None:
        raw = kept(folder / LOOKUP_FILE, lambda: derived(secret, b"sijill citizen look-up"))
        name = str(folder / LOOKUP_FILE)
    else:
        name = "SIJILL_LOOKUP_KEY"
    if not _HEX_KEY.fullmatch(raw):
        raise ImproperlyConfigured(
            f"{name} must be 64 hexadecimal digits (`python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'`)"
        )
    return raw.lower()


def chain_keys(env: Mapping[str, str], folder: Path) -> tuple[str, ...]:
    """Keys of the audit log's hash chain, oldest first; new entries use the last one.

    SIJILL_AUDIT_CHAIN_KEY (keys separated by commas), else the data folder's key file (one
    key a line, created once with a random key). Rotating is adding a key at the end: the
    entries hashed with an earlier key still verify (sijill.audit.chain)."""
    raw = env.get("SIJILL_AUDIT_CHAIN_KEY")
    if raw is None:
        name = str(folder / CHAIN_FILE)
        listed = kept(folder / CHAIN_FILE, lambda: secrets.token_urlsafe(64)).splitlines()
    else:
        name, listed = "SIJILL_AUDIT_CHAIN_KEY", raw.split(",")
    keys = tuple(k.strip() for k in listed if k.strip())
    if not keys:
        raise ImproperlyConfigured(f"{name} holds no key")
    short = [len(k) for k in keys if len(k) < MIN_SECRET_LENGTH]
    if short:
        raise ImproperlyConfigured(
            f"{name} holds a key of {short[0]} characters; use at least {MIN_SECRET_LENGTH}"
        )
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"{name} holds the same key twice")
    return keys


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


def days(env: Mapping[str, str], name: str, default: int, most: int = 3650) -> int:
    """A number of days from 1 to `most` (ten years unless told): a few zeros too many stop
    start-up instead of making a date no calendar holds."""
    value = positive_int(env, name, default)
    if value > most:
        raise ImproperlyConfigured(f"{name}={env.get(name)!r}: expected at most {most} days")
    return value


def cache(env: Mapping[str, str]) -> dict[str, Any]:
    """Django's cache, shared by every server process: Redis when SIJILL_REDIS_URL names one
    (redis://, rediss:// or unix://), else a table of the database (`sijill migrate` makes
    it). Rate limits count there, so they hold across workers and machines."""
    url = env.get("SIJILL_REDIS_URL", "")
    if url:
        scheme = urlsplit(url).scheme
        if scheme not in ("redis", "rediss", "unix"):
            raise ImproperlyConfigured(
                f"SIJILL_REDIS_URL scheme {scheme!r} is not supported: use redis://, "
                "rediss:// or unix://"
            )
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "sijill",
        }
    return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}


CACHE_TABLE = "sijill_cache"


def email(env: Mapping[str, str], folder: Path) -> dict[str, Any]:
    """Django's e-mail settings: SMTP when SIJILL_SMTP_HOST is set, else each message is
    written as a file in the data folder's `mail/` (nothing leaves the machine)."""
    sender = env.get("SIJILL_MAIL_FROM", "") or "sijill@localhost"
    if "@" not in sender:
        raise ImproperlyConfigured(f"SIJILL_MAIL_FROM={sender!r}: expected an e-mail address")
    host = env.get("SIJILL_SMTP_HOST", "")
    if not host:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(folder / "mail"),
            "DEFAULT_FROM_EMAIL": sender,
        }
    port = positive_int(env, "SIJILL_SMTP_PORT", 587)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": env.get("SIJILL_SMTP_USER", ""),
        "EMAIL_HOST_PASSWORD": env.get("SIJILL_SMTP_PASSWORD", ""),
        # STARTTLS on 587 (the default), TLS from the first byte on 465.
        "EMAIL_USE_TLS": port != 465 and flag(env, "SIJILL_SMTP_TLS", default=True),
        "EMAIL_USE_SSL": port == 465,
        "EMAIL_TIMEOUT": 30,
        "DEFAULT_FROM_EMAIL": sender,
    }


def logging_config(env: Mapping[str, str]) -> dict[str, Any]:
    """Logs on standard error, one JSON object a line (SIJILL_LOG_FORMAT=json, the default)
    or plain text (`plain`), at SIJILL_LOG_LEVEL (WARNING) and INFO for requests and
    background tasks. Every line is stripped of identifiers (sijill.web.logs)."""
    form = choice(env, "SIJILL_LOG_FORMAT", ("json", "plain"), "json")
    level = choice(env, "SIJILL_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "WARNING")
    formatter = (
        {"()": "sijill.web.logs.JsonFormatter"}
        if form == "json"
        else {"()": "sijill.web.logs.PlainFormatter"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "filters": ["without_query"],
        "formatter": form,
    }
    info = {"handlers": ["console"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"without_query": {"()": "sijill.web.logs.WithoutQueryStrings"}},
        "formatters": {form: formatter},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": info,
            "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "sijill.request": info,
            "django_tasks": info,
            "django_tasks_db": info,
            "sijill.background": info,
            "sijill.runs": info,
            "sijill.operations": info,
        },
    }


def optional_secret(env: Mapping[str, str], name: str, shortest: int = 32) -> str:
    """A secret that may be left unset (""), but is long enough when set."""
    raw = env.get(name, "")
    if raw and len(raw) < shortest:
        raise ImproperlyConfigured(f"{name} is {len(raw)} characters; use at least {shortest}")
    return raw
