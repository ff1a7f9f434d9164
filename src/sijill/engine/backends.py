"""The engines a job runs on, and the connection each gives it.

DuckDB runs in the process; Spark runs wherever `--spark-master` says (engine/spark/). Both
take the engine's DuckDB SQL through the same calls, so every job is written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from sijill.domain.message import Message, Refused
from sijill.engine.database import connect as duckdb_connect
from sijill.engine.locations import Location, files_of, is_uri
from sijill.engine.staging import staged_output

ENGINES = ("duckdb", "spark")


class Connection(Protocol):
    """What jobs ask of an engine: DuckDB's connection, or the Spark backend's."""

    def execute(self, query: str, /) -> Any: ...

    def sql(self, query: str, /) -> Any: ...

    def register(self, name: str, table: pa.Table, /) -> Any: ...

    def unregister(self, name: str, /) -> Any: ...


@dataclass(frozen=True, slots=True)
class Engine:
    """An engine and, for Spark, its master (None: local[*], or spark-submit's)."""

    name: str = "duckdb"
    master: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            available = {"engine": repr(self.name), "engines": ", ".join(ENGINES)}
            raise Refused(Message("unknown engine {engine}: available {engines}", available))

    def check(self, locations: Iterable[Location]) -> None:
        """Refuse, before anything starts, a URI DuckDB cannot reach: only Spark reads and
        writes Hadoop's filesystems."""
        if self.name == "spark":
            return
        for where in locations:
            if is_uri(where):
                raise Refused(
                    Message(
                        "{location}: URIs are read and written by --engine spark only",
                        {"location": str(where)},
                    )
                )


DUCKDB = Engine()


@contextmanager
def opened(engine: Engine, spill: Path | None = None) -> Iterator[Connection]:
    """A connection of `engine` for one job, closed at its end."""
    if engine.name == "spark":
        from sijill.engine.spark.connection import connect

        with connect(engine.master, spill) as con:
            yield con
    else:
        with duckdb_connect(spill) as con:
            yield con


@contextmanager
def writing(engine: Engine, out: Location) -> Iterator[tuple[Connection, Location]]:
    """A connection for a job that writes `out`, and the folder to write in: it replaces
    `out` as a whole when the job ends without error, and disappears otherwise."""
    if is_uri(out):
        # Staged through Hadoop's filesystem, which needs the session first.
        with opened(engine) as con, files_of(con, out).staged(out) as work:
            yield con, work
    else:
        with staged_output(Path(out)) as work, opened(engine, work / ".spill") as con:
            yield con, work
