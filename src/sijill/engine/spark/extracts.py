"""Extract files opened on Spark as raw relations with row numbers, as DuckDB opens them.

- Parquet keeps its types; `_row` is the row's place in the file (Spark's row index);
- CSV is read with every column as text, in FAILFAST mode (a malformed row stops the read
  here, as DuckDB's strict mode does), as multi-line records (a quoted field may hold a line
  break); `_row` numbers the rows in file order. It is computed once and kept, so that an
  unreadable row surfaces here and not halfway through a later query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sijill.engine.extracts.sources import Unreadable
from sijill.engine.spark.output import uri

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from sijill.engine.spark.connection import SparkConnection


def _parquet(con: SparkConnection, location: str) -> DataFrame:
    from pyspark.sql import functions as F

    frame = con.session.read.parquet(location)
    row = (F.col("_metadata.row_index") + 1).alias("_row")
    return frame.select(row, *[F.col(f"`{c}`") for c in frame.columns])


def _csv(con: SparkConnection, location: str) -> DataFrame:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    frame = con.session.read.csv(
        location,
        header=True,
        inferSchema=False,
        mode="FAILFAST",
        encoding="UTF-8",
        sep=",",
        quote='"',
        escape='"',
        multiLine=True,
        enforceSchema=False,
    )
    # One file, one multi-line partition: its ids rise in file order.
    order = Window.orderBy(F.monotonically_increasing_id())
    row = F.row_number().over(order).cast("bigint").alias("_row")
    return frame.select(row, *[F.col(f"`{c}`") for c in frame.columns])


def scan(
    con: SparkConnection, relation: str, location: str, fmt: str
) -> tuple[dict[str, str], int]:
    """Open a file as `relation`; its columns (DuckDB's type names) and rows.

    Raises Unreadable with Spark's own words when the file cannot be read."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    try:
        if fmt == "csv":
            con.keep(relation, _csv(con, uri(location)))
        else:
            _parquet(con, uri(location)).createOrReplaceTempView(relation)
        types = {k: v for k, v in con.types(relation).items() if k != "_row"}
        rows = con.session.table(relation).count()
    except (PySparkException, Py4JJavaError) as exc:
        raise Unreadable(_first_line(exc)) from exc
    return types, int(rows)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "unreadable"
