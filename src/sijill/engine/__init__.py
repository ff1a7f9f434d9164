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

from sijill.engine.extracts.problems import InvalidExtracts, Problem
from sijill.engine.extracts.reading import Checked, FileRead, extracts_in, validate
from sijill.engine.linkage.job import STEPS as LINK_STEPS
from sijill.engine.linkage.job import link_extracts as link
from sijill.engine.params import Parameters
from sijill.engine.reconcile.funnel import largest_rsu_losses
from sijill.engine.reconcile.pipeline import ENGINES, STAGES, reconcile
from sijill.engine.report import FORMATS as REPORT_FORMATS
from sijill.engine.report import write_report as report
from sijill.engine.summary import Linkage, Summary
from sijill.engine.worklist import PAGE as WORKLIST_PAGE
from sijill.engine.worklist import Finding, findings_of_annex

__all__ = [
    "ENGINES",
    "LINK_STEPS",
    "REPORT_FORMATS",
    "STAGES",
    "WORKLIST_PAGE",
    "Checked",
    "FileRead",
    "Finding",
    "InvalidExtracts",
    "Linkage",
    "Parameters",
    "Problem",
    "Summary",
    "extracts_in",
    "findings_of_annex",
    "largest_rsu_losses",
    "link",
    "reconcile",
    "report",
    "validate",
]
