"""Importing a finished reconciliation into a run: figures, anomalies, links, sorted findings.

Import is all or nothing (one transaction) and can be repeated: a run's rows are replaced.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction

from sijill.monitoring import aggregates
from sijill.monitoring.models import Anomaly, Figures, Link, Run

FINDINGS_FILE = "findings.parquet"
BATCH = 2000
_ANOMALY_FIELDS = (
    "annex_code", "commune_code", "province_code", "region_code", "indicator",
    "observed", "expected", "p_value", "q_value", "flagged",
)  # fmt: skip
_LINK_FIELDS = (
    "source", "row_id", "row_idcs", "candidate_idcs", "match_probability", "annex_code",
)  # fmt: skip


def findings_path(run: Run) -> Path:
    return Path(run.work_dir) / FINDINGS_FILE


def _pick(row: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: row.get(f) for f in fields}


def import_run(run: Run, out_dir: Path, extracts: Mapping[str, Path]) -> None:
    """Read `out_dir` (a `sijill reconcile` folder) and the run's territories and amo
    extracts into the run's figures; raises ValueError when a file cannot be read."""
    try:
        summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
        found = aggregates.compute(out_dir, extracts)
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the run's output: {exc}") from exc
    Path(run.work_dir).mkdir(parents=True, exist_ok=True)
    aggregates.sort_findings(out_dir, findings_path(run))
    with transaction.atomic():
        for model in (Figures, Anomaly, Link):
            model.objects.filter(run=run).delete()
        Figures.objects.bulk_create(
            (Figures(run=run, **row) for row in found.figures), batch_size=BATCH
        )
        Anomaly.objects.bulk_create(
            (Anomaly(run=run, **_pick(r, _ANOMALY_FIELDS)) for r in found.anomalies),
            batch_size=BATCH,
        )
        Link.objects.bulk_create(
            (Link(run=run, **_pick(r, _LINK_FIELDS)) for r in found.links), batch_size=BATCH
        )
        run.output_dir = str(out_dir)
        run.summary = summary
        run.save(update_fields=["output_dir", "summary"])
