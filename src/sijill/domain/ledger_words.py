"""The back office's words: statuses of AMO files, forms and runs, CNSS's decisions and
reasons, link decisions, the handling of findings, form kinds and channels, and a form's
timeline. Read through sijill.domain.vocabulary, which groups every term."""

from __future__ import annotations

from sijill.domain.terms import Term, _, _terms

# --- statuses -------------------------------------------------------------------------------
# An AMO Tadamon file, as the contract names its statuses.
AMO_STATUSES = _terms(
    Term("pending_validation", _("Pending validation")),
    Term("validated", _("Validated by the local authority")),
    Term("transmitted", _("Transmitted to CNSS")),
    Term("under_review", _("Under review at CNSS")),
    Term("accepted", _("Accepted")),
    Term("rejected", _("Rejected")),
)
# A form of the ledger (sijill.intake.workflow).
FORM_STATUSES = _terms(
    Term("deposited", _("Deposited")),
    Term("captured", _("Captured, awaiting validation")),
    Term("validated", _("Validated by the local authority")),
    Term("transmitted", _("Transmitted to CNSS")),
    Term("under_review", _("Under review at CNSS")),
    Term("accepted", _("Accepted")),
    Term("rejected", _("Rejected")),
)
# CNSS's decision on one beneficiary of an AMO Tadamon file (sijill.intake.cnss).
DECISIONS = _terms(
    Term("accepted", _("Accepted")),
    Term("rejected", _("Refused")),
)
# Why CNSS refuses a beneficiary: the list its agents choose from, a note beside it. The
# contract's `rejection_reason` carries the code, then the note (`code: note`).
REJECTION_REASONS = _terms(
    Term("covered_elsewhere", _("Already covered by another health insurance scheme")),
    Term("age_limit", _("Child above the age limit for coverage")),
    Term("not_member", _("Not a member of the RSU household")),
    Term("income_above", _("Declared income above the threshold: contributory AMO")),
    Term("identity_mismatch", _("Identity differs from the National Population Register")),
    Term("deceased", _("Deceased according to the RNP")),
    Term("other", _("Other reason, given in the note")),
)
# What a person decided about a link candidate (sijill.linkreview); undone, it is undecided.
LINK_DECISIONS = _terms(
    Term("undecided", _("Undecided")),
    Term("confirmed", _("Confirmed")),
    Term("rejected", _("Rejected")),
)
# What has been done about a finding of a work list (sijill.worklists.handling); a
# finding nobody has touched is open. The status follows the finding from run to run.
HANDLING = _terms(
    Term("open", _("Open")),
    Term("in_progress", _("In progress")),
    Term("resolved", _("Resolved")),
    Term("not_an_error", _("Not an error")),
)
# What a form of the ledger asks for, and how it came in (sijill.intake.workflow).
FORM_KINDS = _terms(
    Term("rnp_registration", _("Registration in the National Population Register (RNP)")),
    Term("rsu_declaration", _("Household declaration in the Unified Social Register (RSU)")),
    Term("rsu_update", _("Update of a household in the RSU")),
    Term("amo_request", _("AMO Tadamon health insurance request")),
    Term("other", _("Other request")),
)
CHANNELS = _terms(
    Term("counter", _("At the counter")),
    Term("online", _("Online")),
    Term("mobile_unit", _("Mobile unit")),
    Term("integrated", _("Opened by a previous step")),
)
# A reconciliation run of the back office.
RUN_STATUSES = _terms(
    Term("queued", _("Queued")),
    Term("running", _("Running")),
    Term("succeeded", _("Finished")),
    Term("failed", _("Failed")),
)
# Where a run of the back office reads its extracts.
RUN_SOURCES = _terms(
    Term("backoffice", _("Back office registers")),
    Term("upload", _("Uploaded extracts")),
    Term("directory", _("Imported folder")),
)

# --- what happened to a form, as its timeline says it (sijill.intake.timeline) ------------
# The audit log's actions on a form, and what the ledger alone tells.
FORM_EVENTS = _terms(
    Term("deposit", _("Deposited at the counter")),
    Term("capture", _("Captured")),
    Term("capture_refused", _("Capture refused: rules broken")),
    Term("validate", _("Validated by the local authority")),
    Term("validate_refused", _("Validation refused: rules broken")),
    Term("reject", _("Rejected by the local authority")),
    Term("open_step", _("Opened by the step before")),
    Term("transmit", _("Transmitted to CNSS")),
    Term("review", _("Under review at CNSS")),
    Term("decide", _("Decided by CNSS")),
    Term("reached", _("Status reached")),
    Term("opened_by", _("Follows the form")),
    Term("opened", _("Opened the next step")),
)
