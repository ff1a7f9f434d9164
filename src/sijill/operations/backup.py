"""`sijill backup --out F` and `sijill restore F`: the database and the keys in one archive
(`operations.archive`).

- PostgreSQL: `pg_dump --format=custom`, restored by `pg_restore --clean --single-transaction`
  (all or nothing) into the configured database, then `migrate`. The server and the workers
  must be stopped first: a restore refuses to run while other sessions use the database.
- SQLite: the online backup API (`sqlite3.Connection.backup`) both ways, through Django's
  own connection: a consistent copy while the back office runs, and a restore page by page
  into the open database (other processes wait for it, then read the restored pages).

`sijill audit verify` passes after a restore: the audit log comes back with the chain key it
was hashed with, and the archive's manifest names the head the restored log must hold.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from sijill.audit.models import Entry
from sijill.operations import archive


class RestoreRefused(RuntimeError):
    """The archive cannot be restored here (another engine, or the database is in use)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD")):  # fmt: skip
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _sqlite() -> sqlite3.Connection:
    """Django's own connection to the SQLite database: the online backup API copies page by
    page from or into it, whatever its name (a file, or the tests' shared memory)."""
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _head() -> tuple[str | None, int]:
    last = Entry.objects.order_by("-seq").values_list("hash", flat=True).first()
    return last, Entry.objects.count()


def backup(out: Path) -> Backup:
    """Write the archive `out` (whole or not at all, owner-only)."""
    head, entries = _head()  # taken first: the copy holds at least these entries
    manifest: dict[str, Any] = {
        "created_at": timezone.now().isoformat(),
        "engine": _engine(),
        "audit_head": head,
        "audit_entries": entries,
        "keys_from_environment": archive.keys_from_environment(os.environ),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".sijill-backup-", dir=out.parent) as work:
        if manifest["engine"] == "postgresql":
            database = Path(work) / "database.dump"
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={database}"],
                env=_pg_env(), check=True, capture_output=True, text=True,
            )  # fmt: skip
        else:
            database = Path(work) / "database.sqlite3"
            copy = sqlite3.connect(database)
            try:
                with copy:
                    _sqlite().backup(copy)
            finally:
                copy.close()
        manifest["keys"] = archive.write(out, manifest, database, Path(settings.DATA_DIR))
    return Backup(out, manifest)


def _others_connected() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def restore(path: Path) -> dict[str, Any]:
    """Replace the database with the archive's, then bring its schema up to date; returns
    the manifest. The keys are placed beforehand (`archive.place_keys`)."""
    manifest = archive.manifest(path)
    if manifest["engine"] != _engine():
        raise RestoreRefused(f"a {manifest['engine']} backup cannot go into {_engine()}")
    with tempfile.TemporaryDirectory(prefix=".sijill-restore-") as work:
        database = archive.extract_database(path, Path(work))
        if _engine() == "postgresql":
            others = _others_connected()
            if others:
                raise RestoreRefused(f"{others} other sessions use the database")
            connections.close_all()
            subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                 "--single-transaction", "--exit-on-error", f"--dbname={_pg_env()['PGDATABASE']}",
                 str(database)],
                env=_pg_env(), check=True, capture_output=True, text=True,
            )  # fmt: skip
        else:
            source = sqlite3.connect(database)
            try:
                source.backup(_sqlite())
            finally:
                source.close()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    return manifest
