"""The engines a job runs on, and the connection each gives it.

DuckDB runs in the process; Spark runs wherever `--spark-master` says (engine/spark/). Both
take the engine's DuckDB SQL through the same three calls, so every job is written once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from sijill.domain.message import Message, Refused
from sijill.engine.database import connect as duckdb_connect

ENGINES = ("duckdb", "spark")


class Connection(Protocol):
    """What jobs ask of an engine: DuckDB's connection, or the Spark backend's."""

    def execute(self, query: str, /) -> Any: ...

    def sql(self, query: str, /) -> Any: ...

    def register(self, name: str, table: pa.Table, /) -> Any: ...


@dataclass(frozen=True, slots=True)
class Engine:
    """An engine and, for Spark, its master (None: local[*], or spark-submit's)."""

    name: str = "duckdb"
    master: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            available = {"engine": repr(self.name), "engines": ", ".join(ENGINES)}
            raise Refused(Message("unknown engine {engine}: available {engines}", available))

    @property
    def links(self) -> bool:
        """Whether linkage runs on this engine (Splink's Spark backend: not yet)."""
        return self.name == "duckdb"

    def refuse_links(self) -> None:
        if not self.links:
            raise Refused(
                Message("linkage does not run on Spark yet: add --no-links, or link on DuckDB")
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
