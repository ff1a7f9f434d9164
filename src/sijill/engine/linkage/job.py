"""`sijill link`: the linkage alone, on the same extracts as `sijill reconcile`.

Writes `OUT/links.parquet` (the contract's `links`) and `OUT/linkage.json` (rows, pool,
pairs, prior and timings), all or nothing, after the same validation as reconcile, on DuckDB
or on Spark (Splink's Spark backend, the same model: docs/spark.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict

from sijill.engine.backends import Engine, writing
from sijill.engine.extracts.reading import load_extracts
from sijill.engine.extracts.sources import sql_string
from sijill.engine.linkage import matching as linkage
from sijill.engine.linkage.matching import Step, link
from sijill.engine.locations import Location, child, files_of
from sijill.engine.summary import Linkage

STEPS = ("validate", *linkage.STEPS, "write")


def link_extracts(
    paths: Mapping[str, Location],
    out: Location,
    report: Step | None = None,
    *,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> Linkage:
    """Link the extracts' unresolved rows; raises InvalidExtracts on bad input, writing nothing,
    and Refused on an unknown engine or a location it cannot reach."""
    chosen = Engine(engine, spark_master)
    chosen.check([*paths.values(), out])
    with writing(chosen, out) as (con, work):
        if report:
            report("validate")
        sources, warnings = load_extracts(con, paths)
        stats = link(con, report)
        if report:
            report("write")
        target = sql_string(str(child(work, "links.parquet")))
        con.execute(f"COPY links TO {target} (FORMAT parquet, COMPRESSION zstd)")
        inputs = {name: src.rows for name, src in sources.items()}
        summary = Linkage(**asdict(stats), inputs=inputs, warnings=tuple(warnings))
        text = json.dumps(summary.as_json(), indent=2, default=str)
        files_of(con, work).write_text(child(work, "linkage.json"), text + "\n")
    return summary
