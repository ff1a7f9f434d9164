"""Importing a finished reconciliation into a run: figures, anomalies, links, sorted findings,
and what the work lists and the threshold what-if read beside them (engine.persons,
engine.eligibility): the persons behind findings, split suspects and link candidates, and
the RSU scores per annex. They are written from the run's extracts, before those go.

Import is all or nothing (one transaction) and can be repeated: a run's rows are replaced.
A run scoped to a territory keeps only what lies in that territory's subtree, by the back
office's own tree: its extracts may claim any place, but it changes no other dashboard.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction

from sijill import engine
from sijill.runs.models import Anomaly, Candidate, Figures, Run
from sijill.territories.models import TerritoryLink

FINDINGS_FILE = engine.FINDINGS_FILE
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


def splits_path(run: Run) -> Path:
    return Path(run.work_dir) / engine.SPLITS_FILE


def links_path(run: Run) -> Path:
    return Path(run.work_dir) / engine.LINKS_FILE


def scores_path(run: Run) -> Path:
    """The run's RSU scores per annex (engine.eligibility); absent for runs imported before
    the what-if existed."""
    return Path(run.work_dir) / engine.SCORES_FILE


def _pick(row: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: row.get(f) for f in fields}


def _subtree(run: Run) -> frozenset[str] | None:
    """The territories a run may speak of: None (all) for a national run."""
    if run.scope_code is None:
        return None
    links = TerritoryLink.objects.filter(ancestor_id=run.scope_code)
    return frozenset(links.values_list("descendant_id", flat=True))


def _within(
    rows: list[dict[str, Any]], field: str, places: frozenset[str] | None
) -> list[dict[str, Any]]:
    return rows if places is None else [r for r in rows if r[field] in places]


def import_run(run: Run, out_dir: Path, extracts: Mapping[str, Path]) -> None:
    """Read `out_dir` (a `sijill reconcile` folder) and the run's territories and amo
    extracts into the run's figures; raises ValueError when a file cannot be read."""
    try:
        summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
        found = engine.compute_figures(out_dir, extracts)
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the run's output: {exc}") from exc
    Path(run.work_dir).mkdir(parents=True, exist_ok=True)
    places = _subtree(run)
    engine.write_run_files(out_dir, extracts, Path(run.work_dir), places)
    if "rsu" in extracts:
        engine.write_scores(extracts, scores_path(run), places)
    with transaction.atomic():
        for model in (Figures, Anomaly, Candidate):
            model.objects.filter(run=run).delete()
        Figures.objects.bulk_create(
            (Figures(run=run, **r) for r in _within(found.figures, "code", places)),
            batch_size=BATCH,
        )
        anomalies = _within(found.anomalies, "annex_code", places)
        Anomaly.objects.bulk_create(
            (Anomaly(run=run, **_pick(r, _ANOMALY_FIELDS)) for r in anomalies), batch_size=BATCH
        )
        links = _within(found.links, "annex_code", places)
        Candidate.objects.bulk_create(
            (Candidate(run=run, **_pick(r, _LINK_FIELDS)) for r in links), batch_size=BATCH
        )
        run.output_dir = str(out_dir)
        run.summary = summary
        run.save(update_fields=["output_dir", "summary"])
