"""Files a Spark job writes, on any filesystem Hadoop reaches (local, file://, hdfs://, s3a://).

Spark writes a folder of parts; the contract's outputs are single files (`funnel.parquet`).
Each output is written as one part in a hidden sibling folder and moved into place, by
Hadoop's FileSystem API on the driver (engine/spark/files.py), whatever the filesystem.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sijill.engine.locations import Location, is_uri

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def uri(location: Location) -> str:
    """A location as Spark should read it: URIs as given, local paths as file:// URIs (so that
    a cluster whose default filesystem is HDFS does not look for them there)."""
    if is_uri(location):
        return str(location)
    return Path(location).absolute().as_uri()


def filesystem(session: SparkSession, location: str) -> tuple[Any, Any]:
    """Hadoop's FileSystem of a location, and the location as a Hadoop Path."""
    jvm: Any = session.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    conf = session.sparkContext._jsc.hadoopConfiguration()
    return path.getFileSystem(conf), path


def write_parquet(session: SparkSession, frame: DataFrame, target: Location) -> None:
    """`frame` as the single Parquet file `target` (replaced if it exists)."""
    destination = uri(target)
    cut = destination.rstrip("/").rsplit("/", 1)
    parts = f"{cut[0]}/.{cut[1]}.parts"
    frame.coalesce(1).write.mode("overwrite").parquet(parts)
    fs, folder = filesystem(session, parts)
    written = [
        status.getPath()
        for status in fs.listStatus(folder)
        if status.getPath().getName().endswith(".parquet")
    ]
    assert len(written) == 1, f"one part expected in {parts}, found {len(written)}"
    _, path = filesystem(session, destination)
    fs.delete(path, False)
    if not fs.rename(written[0], path):
        raise OSError(f"cannot move {written[0]} to {destination}")
    fs.delete(folder, True)
    drop_checksum(session, destination)


def drop_checksum(session: SparkSession, written: str) -> None:
    """A local filesystem keeps a checksum beside what it writes (.name.crc): not an output."""
    cut = written.rstrip("/").rsplit("/", 1)
    fs, checksum = filesystem(session, f"{cut[0]}/.{cut[1]}.crc")
    if fs.exists(checksum):
        fs.delete(checksum, False)
