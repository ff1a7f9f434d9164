"""`sijill reconcile`: validate the extracts, compute every output, write them all or none.

Outputs are written in a hidden sibling folder and swapped in at the end: a reader of the
output folder sees the previous complete run or the new complete run, never a mix.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from sijill.domain.contract import NATIONAL_CODE
from sijill.engine.backends import ENGINES, Connection, Engine, writing
from sijill.engine.dialects import dialect_of
from sijill.engine.extracts.problems import Problem
from sijill.engine.extracts.reading import load_extracts
from sijill.engine.extracts.sources import sql_string
from sijill.engine.linkage import matching as linkage
from sijill.engine.linkage import schema as links
from sijill.engine.locations import Location, child, files_of
from sijill.engine.params import Parameters
from sijill.engine.reconciliation import findings, funnel, splits
from sijill.engine.reconciliation.anomalies import ANNEX_ROWS, anomalies
from sijill.engine.reconciliation.prepare import Sql
from sijill.engine.summary import Linkage, Summary

OUTPUTS = ("funnel", "findings", "anomalies", "split_suspects", "links")
STAGES = ("validate", "prepare", "funnel", "findings", "anomalies", "splits", "links", "write")
__all__ = ["ENGINES", "OUTPUTS", "STAGES", "reconcile"]

Progress = Callable[[str, int], None]  # stage name, stages done before it


@dataclass
class Job:
    params: Parameters
    with_links: bool = True
    engine: str = "duckdb"
    timings: dict[str, float] = field(default_factory=dict)
    inputs: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    linkage: Linkage | None = None

    @contextmanager
    def stage(self, name: str, progress: Progress | None) -> Iterator[None]:
        if progress:
            progress(name, STAGES.index(name))
        started = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - started, 3)


def _run_sql(con: Connection, statements: list[str]) -> None:
    for statement in statements:
        con.execute(statement)


def _compute(con: Connection, job: Job, progress: Progress | None) -> None:
    sql = Sql(job.params, dialect_of(con))
    with job.stage("prepare", progress):
        _run_sql(con, sql.statements())
    with job.stage("funnel", progress):
        _run_sql(con, funnel.statements(sql))
    with job.stage("findings", progress):
        _run_sql(con, findings.statements(sql))
    with job.stage("anomalies", progress):
        found = anomalies(con.sql(ANNEX_ROWS).to_arrow_table())
        con.register("anomalies_found", found)
        con.execute("CREATE OR REPLACE TABLE anomalies AS SELECT * FROM anomalies_found")
    with job.stage("splits", progress):
        _run_sql(con, splits.statements(sql))
    with job.stage("links", progress):
        if job.with_links:
            job.linkage = Linkage(**asdict(linkage.link(con)))
        else:
            _run_sql(con, links.statements())


def _summary(con: Connection, job: Job, written: Location) -> Summary:
    cursor = con.execute(f"SELECT * FROM funnel WHERE code = '{NATIONAL_CODE}'")
    names = [d[0] for d in cursor.description]
    national = dict(zip(names, cursor.fetchone() or (), strict=True))
    # Counted from the files: findings is a view, and counting it would compute it again.
    files = files_of(con, written)
    outputs = {name: files.parquet_rows(child(written, f"{name}.parquet")) for name in OUTPUTS}
    return Summary(
        engine=job.engine,
        parameters=job.params,
        links=job.with_links,
        national=national,
        inputs=job.inputs,
        outputs=outputs,
        warnings=tuple(job.warnings),
        timings=job.timings,
        linkage=job.linkage,
    )


def reconcile(
    paths: Mapping[str, Location],
    params: Parameters,
    out: Location,
    *,
    with_links: bool = True,
    engine: str = "duckdb",
    spark_master: str | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Run the whole reconciliation; raises InvalidExtracts on bad input and Refused on an
    unknown engine or a location it cannot reach, writing nothing. `spark_master` is Spark's
    (engine "spark"); extracts and `out` may be URIs on Spark (engine/locations.py)."""
    chosen = Engine(engine, spark_master)
    chosen.check([*paths.values(), out])
    job = Job(params, with_links, engine)
    with writing(chosen, out) as (con, work):
        with job.stage("validate", progress):
            sources, job.warnings = load_extracts(con, paths)
            job.inputs = {name: src.rows for name, src in sources.items()}
        _compute(con, job, progress)
        with job.stage("write", progress):
            for name in OUTPUTS:
                target = sql_string(str(child(work, f"{name}.parquet")))
                con.execute(f"COPY {name} TO {target} (FORMAT parquet, COMPRESSION zstd)")
        summary = _summary(con, job, work)
        text = json.dumps(summary.as_json(), indent=2, default=str)
        files_of(con, work).write_text(child(work, "summary.json"), text + "\n")
    return summary
