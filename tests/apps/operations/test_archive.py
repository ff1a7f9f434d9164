"""sijill.operations.archive: the backup archive is whole or absent, owner-only, names what it
holds, and puts its keys back without ever overwriting other keys silently."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from sijill.operations import archive

KEYS = {
    "secret.key": b"s" * 60 + b"\n",
    "audit.key": b"a" * 60 + b"\n",
    "audit-chain.key": b"c" * 64 + b"\n",
}


def data_folder(path: Path, keys: dict[str, bytes] = KEYS) -> Path:
    path.mkdir(parents=True)
    for name, text in keys.items():
        (path / name).write_bytes(text)
    return path


def database(tmp_path: Path) -> Path:
    path = tmp_path / "database.sqlite3"
    path.write_bytes(b"SQLite format 3\x00 pages")
    return path


def written(tmp_path: Path) -> Path:
    out = tmp_path / "backups" / "b.tar.gz"
    out.parent.mkdir()
    held = archive.write(out, {"engine": "sqlite"}, database(tmp_path), data_folder(tmp_path / "d"))
    assert held == ["secret.key", "audit.key", "audit-chain.key"]  # no lookup.key there
    return out


def test_an_archive_holds_its_manifest_database_and_keys_for_its_owner_only(
    tmp_path: Path,
) -> None:
    out = written(tmp_path)
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)
    found = archive.manifest(out)
    assert found["format"] == archive.FORMAT and found["engine"] == "sqlite"
    assert found["keys"] == ["secret.key", "audit.key", "audit-chain.key"]
    with tarfile.open(out, "r:gz") as tar:
        names = sorted(tar.getnames())
    assert names == sorted(["manifest.json", "database.sqlite3", *(f"keys/{k}" for k in KEYS)])
    assert list(out.parent.iterdir()) == [out]  # no partial file left beside it
    extracted = archive.extract_database(out, tmp_path / "x")
    assert extracted.read_bytes() == database(tmp_path).read_bytes()


def test_an_archive_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    with pytest.raises(FileNotFoundError):
        archive.write(out, {}, tmp_path / "no-database", data_folder(tmp_path / "d"))
    assert list(tmp_path.iterdir()) == [tmp_path / "d"]


def test_keys_go_into_an_empty_data_folder(tmp_path: Path) -> None:
    out = written(tmp_path)
    target = tmp_path / "fresh"
    assert archive.place_keys(out, target) == list(KEYS)
    for name, text in KEYS.items():
        assert (target / name).read_bytes() == text
        assert oct((target / name).stat().st_mode & 0o777) == oct(0o600)
    assert archive.place_keys(out, target) == []  # the same keys: nothing to write


def test_other_keys_are_refused_unless_replaced_and_kept_aside(tmp_path: Path) -> None:
    out = written(tmp_path)
    other = data_folder(tmp_path / "other", {"audit-chain.key": b"o" * 64, "lookup.key": b"l"})
    with pytest.raises(archive.KeysDiffer) as refused:
        archive.place_keys(out, other)
    assert refused.value.names == ["audit-chain.key"]
    assert (other / "audit-chain.key").read_bytes() == b"o" * 64  # untouched
    assert not (other / "secret.key").exists()  # nothing written before the refusal
    placed = archive.place_keys(out, other, replace=True)
    assert sorted(placed) == sorted(KEYS)
    assert (other / "audit-chain.key").read_bytes() == KEYS["audit-chain.key"]
    assert (other / "audit-chain.key.before-restore").read_bytes() == b"o" * 64
    assert (other / "lookup.key").read_bytes() == b"l"  # not in the archive: left alone


@pytest.mark.parametrize("content", [b"not a tar file", b""])
def test_something_else_is_not_an_archive(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "b.tar.gz"
    path.write_bytes(content)
    with pytest.raises(archive.BadArchive):
        archive.manifest(path)


def test_an_archive_of_another_format_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    manifest = b'{"format": 99}'
    with tarfile.open(out, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(archive.BadArchive, match="format 99"):
        archive.manifest(out)


def test_keys_given_by_the_environment_are_named_not_archived() -> None:
    env = {"SIJILL_AUDIT_CHAIN_KEY": "x" * 60, "SIJILL_SECRET_KEY": "", "OTHER": "y"}
    assert archive.keys_from_environment(env) == ["SIJILL_AUDIT_CHAIN_KEY"]
