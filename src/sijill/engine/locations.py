"""Where a job reads its extracts and writes its outputs: a local path, or a URI.

A URI (`file://`, `hdfs://`, `s3a://`, …) names a file on one of Hadoop's filesystems. It is
kept as the text it was given — never made a `Path`, which would fold `hdfs://host/x` into
`hdfs:/host/x` — and only the Spark engine reads and writes it (engine/spark/files.py), through
Hadoop's FileSystem API. DuckDB takes local paths.

`Files` is what a job asks of a location besides reading it as a table: `LOCAL` answers for
paths, the Spark backend's `HadoopFiles` for URIs.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import urlparse

import pyarrow.parquet as pq

from sijill.engine.staging import staged_output

Location = str | Path

SCHEMES = ("file", "hdfs", "s3a", "s3", "gs", "abfs", "abfss", "wasb", "wasbs", "viewfs")


def is_uri(location: Location) -> bool:
    """Whether a location is a URI for Hadoop's filesystems rather than a local path."""
    if not isinstance(location, str):
        return False
    # Hadoop writes `file:/x` for `file:///x`: one slash after the scheme is a URI too.
    scheme, sep, rest = location.partition(":")
    return bool(sep) and scheme.lower() in SCHEMES and rest.startswith("/")


def location(given: Location) -> Location:
    """A location as the engine keeps it: URIs as given, anything else a Path."""
    return given if is_uri(given) else Path(given)


def name_of(where: Location) -> str:
    """The last part of a location (`rnp.parquet`)."""
    if is_uri(where):
        return PurePosixPath(urlparse(str(where)).path).name
    return Path(where).name


def suffix_of(where: Location) -> str:
    return PurePosixPath(name_of(where)).suffix


def child(folder: Location, name: str) -> Location:
    """`name` inside `folder`."""
    if is_uri(folder):
        return f"{str(folder).rstrip('/')}/{name}"
    return Path(folder) / name


class Files(Protocol):
    """What a job asks of a location besides reading it as a table."""

    def exists(self, where: Location) -> bool: ...

    def is_dir(self, where: Location) -> bool: ...

    def size(self, where: Location) -> int: ...

    def head(self, where: Location, size: int) -> bytes:
        """The first `size` bytes (fewer if the file is shorter)."""

    def write_text(self, where: Location, text: str) -> None: ...

    def parquet_rows(self, where: Location) -> int:
        """Rows of a Parquet file, from its footer."""

    def staged(self, out: Location) -> AbstractContextManager[Location]:
        """A folder to write in that replaces `out` when the block ends without error."""


class LocalFiles:
    def exists(self, where: Location) -> bool:
        return Path(where).exists()

    def is_dir(self, where: Location) -> bool:
        return Path(where).is_dir()

    def size(self, where: Location) -> int:
        return Path(where).stat().st_size

    def head(self, where: Location, size: int) -> bytes:
        with Path(where).open("rb") as f:
            return f.read(size)

    def write_text(self, where: Location, text: str) -> None:
        Path(where).write_text(text)

    def parquet_rows(self, where: Location) -> int:
        return int(pq.read_metadata(Path(where)).num_rows)

    def staged(self, out: Location) -> AbstractContextManager[Location]:
        return staged_output(Path(out))


LOCAL = LocalFiles()


def files_of(con: object, where: Location) -> Files:
    """The Files that answer for `where`: the connection's own for a URI, LOCAL otherwise."""
    if is_uri(where):
        found: Files | None = getattr(con, "files", None)
        assert found is not None, "URIs are refused before a DuckDB job starts (backends.py)"
        return found
    return LOCAL
