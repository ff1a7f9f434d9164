"""`sijill link`: the linkage alone, on the same extracts as `sijill reconcile`.

Writes `OUT/links.parquet` (the contract's `links`) and `OUT/linkage.json` (rows, pool,
pairs, prior and timings), all or nothing, after the same validation as reconcile.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from sijill.engine.backends import Engine
from sijill.engine.database import connect
from sijill.engine.extracts.reading import load_extracts
from sijill.engine.extracts.sources import sql_string
from sijill.engine.linkage import matching as linkage
from sijill.engine.linkage.matching import Step, link
from sijill.engine.staging import staged_output
from sijill.engine.summary import Linkage

STEPS = ("validate", *linkage.STEPS, "write")


def link_extracts(
    paths: Mapping[str, Path],
    out: Path,
    report: Step | None = None,
    *,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> Linkage:
    """Link the extracts' unresolved rows; raises InvalidExtracts on bad input, writing nothing,
    and Refused on an engine linkage does not run on."""
    Engine(engine, spark_master).refuse_links()
    with staged_output(out) as work, connect(work / ".spill") as con:
        if report:
            report("validate")
        sources, warnings = load_extracts(con, paths)
        stats = link(con, report)
        if report:
            report("write")
        target = sql_string(str(work / "links.parquet"))
        con.execute(f"COPY links TO {target} (FORMAT parquet, COMPRESSION zstd)")
        inputs = {name: src.rows for name, src in sources.items()}
        summary = Linkage(**asdict(stats), inputs=inputs, warnings=tuple(warnings))
        text = json.dumps(summary.as_json(), indent=2, default=str)
        (work / "linkage.json").write_text(text + "\n")
    return summary
