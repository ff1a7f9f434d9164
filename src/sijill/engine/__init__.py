"""The reconciliation engine: what its callers (the command line, the back office, a
notebook) need, and nothing of how it works.

    from sijill.engine import Parameters, reconcile
    summary = reconcile(paths, Parameters(as_of), out)

`validate` checks extracts against the contract; `reconcile` writes the contract's outputs
and returns a `Summary`; `link` runs the linkage alone and returns a `Linkage`; `report`
writes a reconciliation as a workbook or CSV files. Bad extracts raise `InvalidExtracts`
with every `Problem` found. Everything returned is typed and frozen; JSON is written only
into the output folders.
"""

from sijill.engine.eligibility import SCORES as SCORES_FILE
from sijill.engine.eligibility import Shift, score_range, write_scores
from sijill.engine.eligibility import shifts as threshold_shifts
from sijill.engine.extracts.problems import (
    FIRST_ROWS,
    SAME_WITHIN,
    InvalidExtracts,
    Problem,
    has_errors,
)
from sijill.engine.extracts.reading import (
    Checked,
    FileRead,
    extracts_in,
    load_extracts,
    validate,
)
from sijill.engine.extracts.sources import Source
from sijill.engine.figures import Aggregates, sort_findings
from sijill.engine.figures import compute as compute_figures
from sijill.engine.linkage.job import STEPS as LINK_STEPS
from sijill.engine.linkage.job import link_extracts as link
from sijill.engine.locations import Location, location
from sijill.engine.params import Parameters
from sijill.engine.persons import FINDINGS as FINDINGS_FILE
from sijill.engine.persons import LINKS as LINKS_FILE
from sijill.engine.persons import SPLITS as SPLITS_FILE
from sijill.engine.persons import write_run_files
from sijill.engine.reconciliation.anomalies import band_upper
from sijill.engine.reconciliation.funnel import largest_rsu_losses
from sijill.engine.reconciliation.pipeline import ENGINES, STAGES, reconcile
from sijill.engine.summary import Linkage, Summary
from sijill.engine.workbook import FORMATS as REPORT_FORMATS
from sijill.engine.workbook import write_report as report
from sijill.engine.worklist import OPEN as UNHANDLED
from sijill.engine.worklist import PAGE as WORKLIST_PAGE
from sijill.engine.worklist import (
    Filter,
    Finding,
    Line,
    Pair,
    Person,
    SplitMember,
    compared,
    counts_of_annex,
    finding_of_annex,
    findings_of_annex,
    pairs_of_annex,
    splits_of_annex,
)

__all__ = [
    "ENGINES",
    "FINDINGS_FILE",
    "FIRST_ROWS",
    "LINKS_FILE",
    "LINK_STEPS",
    "REPORT_FORMATS",
    "SAME_WITHIN",
    "SCORES_FILE",
    "SPLITS_FILE",
    "STAGES",
    "UNHANDLED",
    "WORKLIST_PAGE",
    "Aggregates",
    "Checked",
    "FileRead",
    "Filter",
    "Finding",
    "InvalidExtracts",
    "Line",
    "Linkage",
    "Location",
    "Pair",
    "Parameters",
    "Person",
    "Problem",
    "Shift",
    "Source",
    "SplitMember",
    "Summary",
    "band_upper",
    "compared",
    "compute_figures",
    "counts_of_annex",
    "extracts_in",
    "finding_of_annex",
    "findings_of_annex",
    "has_errors",
    "largest_rsu_losses",
    "link",
    "load_extracts",
    "location",
    "pairs_of_annex",
    "reconcile",
    "report",
    "score_range",
    "sort_findings",
    "splits_of_annex",
    "threshold_shifts",
    "validate",
    "write_run_files",
    "write_scores",
]
