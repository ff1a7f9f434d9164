"""A connection to Spark that runs the engine's DuckDB SQL: the jobs stay as they are.

What the engine asks of DuckDB's connection — `execute(sql)` with `fetchone`/`fetchall`,
`sql(query).to_arrow_table()`, `register(name, arrow_table)` — this class does on a
SparkSession, each statement translated (`transpile.py`). DuckDB's tables become Spark
temporary views:

- `CREATE [TEMP] TABLE t AS q`: q computed once and kept (a local checkpoint: cut from what it
  was computed from, on the executors' memory and disks), like DuckDB's table;
- `CREATE VIEW v AS q`: a view, computed where it is read;
- `CREATE TABLE t (columns)`: an empty view of those columns;
- `COPY t TO 'file.parquet'`: one Parquet file, as DuckDB writes it (`output.py`);
- `DESCRIBE t`: the columns with DuckDB's names of their types, which the checks read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from sijill.engine.dialects.spark import SparkDialect
from sijill.engine.spark import output
from sijill.engine.spark.files import HadoopFiles
from sijill.engine.spark.transpile import parse, to_spark
from sijill.engine.spark.types import duckdb_type

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """The rows of one statement, read as DuckDB's cursor is."""

    rows: list[Row]
    names: list[str]

    @property
    def description(self) -> list[tuple[str]]:
        return [(name,) for name in self.names]

    def fetchone(self) -> Row | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[Row]:
        return list(self.rows)


@dataclass(frozen=True, slots=True)
class Relation:
    frame: DataFrame

    def to_arrow_table(self) -> pa.Table:
        return self.frame.toArrow()


@dataclass
class SparkConnection:
    session: SparkSession
    dialect: SparkDialect = field(default_factory=SparkDialect)

    def frame(self, query: str) -> DataFrame:
        """The DataFrame of a DuckDB query."""
        return self.session.sql(to_spark(parse(query), self.columns))

    def columns(self, name: str) -> list[str]:
        return list(self.session.table(name).columns)

    def types(self, name: str) -> dict[str, str]:
        """Column -> DuckDB's name of its type, as DESCRIBE says it."""
        schema = self.session.table(name).schema
        return {f.name: duckdb_type(f.dataType) for f in schema.fields}

    def execute(self, sql: str) -> Result:
        statement = parse(sql)
        if isinstance(statement, exp.Create):
            self._create(statement)
            return Result([], [])
        if isinstance(statement, exp.Copy):
            self._copy(statement)
            return Result([], [])
        if isinstance(statement, exp.Describe):
            name = statement.this.name
            return Result(list(self.types(name).items()), ["column_name", "column_type"])
        if isinstance(statement, exp.Drop):
            for table in statement.args.get("tables") or [statement.this]:
                self.session.catalog.dropTempView(table.name)
            return Result([], [])
        assert not isinstance(statement, exp.Update), "Spark updates no table: Dialect.update"
        frame = self.session.sql(to_spark(statement, self.columns))
        rows = [tuple(row) for row in frame.collect()]
        return Result(rows, list(frame.columns))

    def sql(self, query: str) -> Relation:
        return Relation(self.frame(query))

    def register(self, name: str, table: pa.Table) -> None:
        self.session.createDataFrame(table).createOrReplaceTempView(name)

    def unregister(self, name: str) -> None:
        self.session.catalog.dropTempView(name)

    @property
    def files(self) -> HadoopFiles:
        """URIs' files, through Hadoop's FileSystem API (locations.files_of)."""
        return HadoopFiles(self.session)

    def scan_extract(self, relation: str, location: str, fmt: str) -> tuple[dict[str, str], int]:
        """An extract file opened as `relation` (engine/spark/extracts.py)."""
        from sijill.engine.spark.extracts import scan

        return scan(self, relation, location, fmt)

    def keep(self, name: str, frame: DataFrame) -> None:
        """`frame` computed once and kept under `name`, as a DuckDB table is."""
        frame.localCheckpoint(eager=True).createOrReplaceTempView(name)

    def _create(self, statement: exp.Create) -> None:
        target = statement.this
        query = statement.expression
        if isinstance(target, exp.Schema):
            columns = ", ".join(
                f"CAST(NULL AS {d.args['kind'].sql(dialect='spark')}) AS {d.name}"
                for d in target.expressions
            )
            self.session.sql(f"SELECT {columns} WHERE false").createOrReplaceTempView(
                target.this.name
            )
            return
        frame = self.session.sql(to_spark(query, self.columns))
        kind = str(statement.args.get("kind") or "").upper()
        if kind == "VIEW":
            frame.createOrReplaceTempView(target.name)
        else:
            self.keep(target.name, frame)

    def _copy(self, statement: exp.Copy) -> None:
        files = statement.args.get("files") or []
        target = str(files[0].this)
        output.write_parquet(self.session, self.session.table(statement.this.name), target)

    def close(self) -> None:
        for table in self.session.catalog.listTables():
            if table.isTemporary:
                self.session.catalog.dropTempView(table.name)

    def __enter__(self) -> SparkConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def connect(master: str | None, spill: Path | None = None) -> Iterator[SparkConnection]:
    """A connection on a session for one job (see session.running); its views are dropped at
    the end, and the session stopped unless it was already running."""
    from sijill.engine.spark.session import running

    del spill  # Spark spills where spark.local.dir says (docs/spark.md)
    with running(master) as session, SparkConnection(session) as con:
        yield con
