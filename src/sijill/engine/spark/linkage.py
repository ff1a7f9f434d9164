"""Splink on Spark: its database API on the job's session, with the functions the model needs.

The model's comparisons call string similarities Spark lacks (Jaro–Winkler, Damerau–
Levenshtein); Splink ships them as a jar of Spark functions, which session.py puts on the
driver's and executors' classpath (`spark.jars`) and Splink's API registers.

Splink keeps each intermediate table it reuses (blocked pairs, comparison vectors, scores)
cached in the executors (`persist`), rather than its default of writing them as Parquet
under a checkpoint folder, which a cluster would have to provide on a shared filesystem.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sijill.domain.message import Message, Refused

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# The functions of Splink's jar the model calls (engine/linkage/model.py, translated).
NEEDED = ("jaro_winkler", "damerau_levenshtein")


def similarity_jar() -> str:
    """Where the splink package keeps its jar of Spark functions, for this Spark."""
    from splink.backends.spark import similarity_jar_location

    return str(similarity_jar_location())


def partitions(session: SparkSession) -> int:
    """How many parts Splink cuts its tables into: one per core of the cluster.

    Splink's tables are the pairs of the training sample and of the pool, small next to the
    registers. By Spark's defaults (200 shuffle partitions, Splink repartitioning into half as
    many) every EM iteration pays hundreds of tasks' overhead: on two cores linkage took twice
    as long at 20,000 persons (docs/spark.md, measured)."""
    return max(int(session.sparkContext.defaultParallelism), 1)


@contextmanager
def shuffled_by_cores(session: SparkSession) -> Iterator[None]:
    """Spark's shuffles cut into two parts per core while Splink works, then as they were."""
    key = "spark.sql.shuffle.partitions"
    before = session.conf.get(key)
    session.conf.set(key, str(2 * partitions(session)))
    try:
        yield
    finally:
        session.conf.set(key, str(before))


def splink_api(session: SparkSession) -> Any:
    """Splink's SparkAPI on `session`, refused when its functions cannot be registered (a
    session started without the jar: under spark-submit, give it `--jars`, docs/spark.md)."""
    import logging

    from splink.backends.spark import SparkAPI

    # Splink only warns when the jar is missing; the first comparison would then fail.
    logging.getLogger("splink.internals.spark.database_api").setLevel(logging.CRITICAL)
    make: Any = SparkAPI  # untyped
    api = make(
        spark_session=session,
        break_lineage_method="persist",
        num_partitions_on_repartition=partitions(session),
    )
    missing = [name for name in NEEDED if not session.catalog.functionExists(name)]
    if missing:
        jar = similarity_jar()
        raise Refused(
            Message(
                "linkage on Spark needs Splink's functions: start Spark with --jars {jar}",
                {"jar": jar},
            )
        )
    return api
