"""Files on Hadoop's filesystems (`file://`, `hdfs://`, `s3a://`, …), from the driver.

What a job asks of a location besides reading it as a table (`locations.Files`): whether it
exists, its first bytes, a small text file written, an output folder staged and swapped in.
Everything goes through Hadoop's FileSystem API in Spark's JVM, with the cluster's Hadoop
settings: the URI is never a local path to Python.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sijill.engine.locations import Location
from sijill.engine.spark.output import drop_checksum, filesystem

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@dataclass(frozen=True, slots=True)
class HadoopFiles:
    session: SparkSession

    def _at(self, where: Location) -> tuple[Any, Any]:
        return filesystem(self.session, str(where))

    def exists(self, where: Location) -> bool:
        fs, path = self._at(where)
        return bool(fs.exists(path))

    def is_dir(self, where: Location) -> bool:
        fs, path = self._at(where)
        return bool(fs.exists(path) and fs.getFileStatus(path).isDirectory())

    def size(self, where: Location) -> int:
        fs, path = self._at(where)
        return int(fs.getFileStatus(path).getLen())

    def head(self, where: Location, size: int) -> bytes:
        fs, path = self._at(where)
        stream = fs.open(path)
        try:
            # readNBytes returns a Java byte[], which py4j hands over as bytes in one call.
            return bytes(stream.readNBytes(size))
        finally:
            stream.close()

    def write_text(self, where: Location, text: str) -> None:
        fs, path = self._at(where)
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()
        drop_checksum(self.session, str(where))

    def parquet_rows(self, where: Location) -> int:
        # A count Spark answers from the file's footer.
        return int(self.session.read.parquet(str(where)).count())

    @contextmanager
    def staged(self, out: Location) -> Iterator[Location]:
        """A hidden sibling folder to write in, renamed over `out` at the end (as
        engine/staging.py does for local folders); removed if the block fails."""
        fs, target = self._at(out)
        parent, name = target.getParent(), target.getName()
        jvm: Any = self.session.sparkContext._jvm
        work = jvm.org.apache.hadoop.fs.Path(parent, f".{name}.partial-{os.getpid()}")
        fs.delete(work, True)
        fs.mkdirs(work)
        try:
            yield str(work.toString())
            old = jvm.org.apache.hadoop.fs.Path(parent, f".{name}.old-{os.getpid()}")
            if fs.exists(target):
                _rename(fs, target, old)
            _rename(fs, work, target)
            fs.delete(old, True)
        except BaseException:
            fs.delete(work, True)
            raise


def _rename(fs: Any, source: Any, target: Any) -> None:
    if not fs.rename(source, target):
        raise OSError(f"cannot move {source.toString()} to {target.toString()}")
