"""The backup archive: one gzipped tar file, readable by its owner only, holding

- `manifest.json`: the format, when, which database engine, the audit log's head and entries
  at that moment, and which keys came from the environment (so are not in the archive);
- `database.dump` (PostgreSQL, pg_dump's custom format) or `database.sqlite3` (SQLite's
  online backup);
- `keys/`: the key files of the data folder (`secret.key`, `audit.key`, `audit-chain.key`,
  `lookup.key`). Without `audit-chain.key` a restored audit log cannot be verified, without
  `lookup.key` no receipt can be looked up: they travel with the data they protect. A key
  given by an environment variable is not a file and is not copied: keep it where the
  variable's value is kept.

No Django here: the keys go back into the data folder *before* Django starts, or starting it
would make new ones.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORMAT = 1
MANIFEST = "manifest.json"
# The key files the settings keep in the data folder (sijill.web.environment's *_FILE), each
# with the variable that replaces it.
KEYS = {
    "secret.key": "SIJILL_SECRET_KEY",
    "audit.key": "SIJILL_AUDIT_KEY",
    "audit-chain.key": "SIJILL_AUDIT_CHAIN_KEY",
    "lookup.key": "SIJILL_LOOKUP_KEY",
}


class BadArchive(ValueError):
    """Not a backup of this program, or of a format it does not read."""


class KeysDiffer(ValueError):
    """The data folder holds other keys than the archive's: the restored data would not
    verify (audit chain) or not be found (look-ups) with them."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


def write(path: Path, manifest: Mapping[str, Any], database: Path, data_dir: Path) -> list[str]:
    """Write the archive at `path`, whole or not at all; returns the key files it holds."""
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    kept = [name for name in KEYS if (data_dir / name).is_file()]
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            full = {**manifest, "format": FORMAT, "keys": kept}
            _add_bytes(tar, MANIFEST, json.dumps(full, indent=2, sort_keys=True).encode())
            tar.add(database, arcname=database.name)
            for name in kept:
                tar.add(data_dir / name, arcname=f"keys/{name}")
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return kept


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    tar.addfile(info, io.BytesIO(data))


def manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r:gz") as tar:
            found = tar.extractfile(MANIFEST)
            if found is None:
                raise BadArchive(f"{path}: no {MANIFEST}")
            read: dict[str, Any] = json.loads(found.read())
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BadArchive(f"{path}: {exc}") from None
    if read.get("format") != FORMAT:
        raise BadArchive(f"{path}: format {read.get('format')!r}, expected {FORMAT}")
    return read


def extract_database(path: Path, folder: Path) -> Path:
    """Extract the database file of the archive into `folder`; returns its path."""
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if member.name in ("database.dump", "database.sqlite3") and member.isfile():
                tar.extract(member, folder, filter="data")
                return folder / member.name
    raise BadArchive(f"{path}: no database in the archive")


def place_keys(path: Path, data_dir: Path, *, replace: bool = False) -> list[str]:
    """Put the archive's key files into the data folder: those missing are written; those
    present must be the same, else KeysDiffer (with `replace`, they are replaced, the old
    file kept as `NAME.before-restore`). Returns the files written."""
    keys = _keys(path)
    differing = [
        name for name, text in keys.items()
        if (data_dir / name).is_file() and (data_dir / name).read_bytes() != text
    ]  # fmt: skip
    if differing and not replace:
        raise KeysDiffer(differing)
    data_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in keys.items():
        target = data_dir / name
        if target.is_file():
            if target.read_bytes() == text:
                continue
            target.replace(target.with_name(f"{name}.before-restore"))
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(text)
        written.append(name)
    return written


def _keys(path: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as tar:
        for name in KEYS:
            try:
                member = tar.extractfile(f"keys/{name}")
            except KeyError:
                continue
            if member is not None:
                found[name] = member.read()
    return found


def keys_from_environment(env: Mapping[str, str]) -> list[str]:
    """The keys given by environment variables (not files, so not in an archive)."""
    return [variable for variable in KEYS.values() if env.get(variable)]
