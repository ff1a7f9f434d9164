"""The project's words: every code a person reads, what it is called and how its values are
written, in one place.

A term's words are a message id of the gettext catalogues (`sijill/i18n/locale`), in
English; the catalogues give them in Arabic, French or any language added there. Pages, the
command line and the reports all read a term from here and translate it at their edge, so a
funnel column, a finding kind or a status is called the same everywhere.

Adding a funnel column or a finding kind: its term here (code, words, number format, what
to do), its words in each catalogue, its SQL in the engine (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sijill.domain.ledger_words import (  # re-exported: every layer reads the terms from here
    AMO_STATUSES as AMO_STATUSES,
)
from sijill.domain.ledger_words import (
    CHANNELS as CHANNELS,
)
from sijill.domain.ledger_words import (
    DECISIONS as DECISIONS,
)
from sijill.domain.ledger_words import (
    FORM_EVENTS as FORM_EVENTS,
)
from sijill.domain.ledger_words import (
    FORM_KINDS as FORM_KINDS,
)
from sijill.domain.ledger_words import (
    FORM_STATUSES as FORM_STATUSES,
)
from sijill.domain.ledger_words import (
    HANDLING as HANDLING,
)
from sijill.domain.ledger_words import (
    LINK_DECISIONS as LINK_DECISIONS,
)
from sijill.domain.ledger_words import (
    REJECTION_REASONS as REJECTION_REASONS,
)
from sijill.domain.ledger_words import (
    RUN_SOURCES as RUN_SOURCES,
)
from sijill.domain.ledger_words import (
    RUN_STATUSES as RUN_STATUSES,
)
from sijill.domain.terms import (  # re-exported: every layer reads the terms from here
    COUNT as COUNT,
)
from sijill.domain.terms import (
    DAYS as DAYS,
)
from sijill.domain.terms import (
    PROBABILITY as PROBABILITY,
)
from sijill.domain.terms import (
    SHARE as SHARE,
)
from sijill.domain.terms import (
    TEXT as TEXT,
)
from sijill.domain.terms import (
    Term as Term,
)
from sijill.domain.terms import (
    _ as _,
)
from sijill.domain.terms import (
    _terms as _terms,
)
from sijill.domain.terms import (
    gettext_noop as gettext_noop,
)
from sijill.domain.terms import (
    words as words,
)

# --- the contract's funnel columns, in the contract's order -----------------------------
FUNNEL = _terms(
    Term("code", _("Code")),
    Term("level", _("Level")),
    Term("name_fr", _("Name (French)")),
    Term("name_ar", _("Name (Arabic)")),
    Term("rnp_persons", _("Living persons in the RNP"), COUNT),
    Term("rnp_in_rsu", _("RNP persons registered in the RSU"), COUNT, within="rnp_persons"),
    Term("rnp_not_in_rsu", _("RNP persons not in the RSU"), COUNT, within="rnp_persons"),
    Term("rsu_households", _("RSU households"), COUNT),
    Term("rsu_persons", _("RSU members"), COUNT),
    Term(
        "rsu_id_unknown",
        _("RSU members without an IDCS known to the RNP"),
        COUNT,
        within="rsu_persons",
    ),
    Term("rsu_mismatch", _("RSU members differing from the RNP"), COUNT, within="rsu_persons"),
    Term("rsu_single_households", _("Single-person households"), COUNT, within="rsu_households"),
    Term(
        "rsu_single_share", _("Share of single-person households"), SHARE, within="rsu_households"
    ),
    Term("eligible_households", _("Households eligible to AMO Tadamon"), COUNT),
    Term("eligible_persons", _("Members of eligible households"), COUNT),
    Term("amo_files", _("AMO files"), COUNT),
    Term("amo_beneficiaries", _("AMO beneficiaries"), COUNT),
    Term(
        "amo_not_in_rsu",
        _("AMO beneficiaries not in their RSU household"),
        COUNT,
        within="amo_beneficiaries",
    ),
    Term(
        "amo_mismatch",
        _("AMO beneficiaries differing from the RSU"),
        COUNT,
        within="amo_beneficiaries",
    ),
    Term(
        "amo_ineligible",
        _("AMO beneficiaries of households not eligible"),
        COUNT,
        within="amo_beneficiaries",
    ),
    Term("amo_pending_stale", _("Files pending validation too long"), COUNT),
    Term("amo_sla_breached", _("Files past CNSS's deadline"), COUNT),
    Term("amo_accepted", _("Files accepted"), COUNT),
    Term("amo_rejected", _("Files rejected"), COUNT),
)
# Counted columns: the funnel's counts, without the territory and the derived columns.
DERIVED = ("rnp_not_in_rsu", "rsu_single_share")
FUNNEL_COUNTS = tuple(c for c, t in FUNNEL.items() if t.number == COUNT and c not in DERIVED)

# --- what the back office counts beside the contract's funnel, per territory ------------
FIGURES = _terms(
    Term("amo_validated_persons", _("Validated"), COUNT),
    Term("amo_transmitted_persons", _("Transmitted to CNSS"), COUNT),
    Term("amo_accepted_persons", _("Accepted by CNSS"), COUNT),
    Term("flagged_annexes", _("Flagged annexes"), COUNT),
    Term("split_households", _("Households in split suspects"), COUNT),
    Term("split_clusters", _("Suspected original households"), COUNT),
)

# --- the dashboard's funnel: who is lost between two of its steps (sijill.dashboards) ----
# The first loss is the contract's rnp_not_in_rsu: one concept, one wording.
FUNNEL_GAPS = _terms(
    Term("gap_rsu", FUNNEL["rnp_not_in_rsu"].words, COUNT),
    Term("gap_eligible", _("Not eligible"), COUNT),
    Term("gap_deposit", _("No AMO request"), COUNT),
    Term("gap_validation", _("Not validated by the annex"), COUNT),
    Term("gap_transmission", _("Not transmitted"), COUNT),
    Term("gap_acceptance", _("Not accepted"), COUNT),
)

# --- the contract's finding kinds, each with what to do --------------------------------
FINDINGS = _terms(
    Term(
        "RSU_ID_UNKNOWN",
        _("RSU member without a valid IDCS"),
        COUNT,
        _("Complete or correct the IDCS from the identity card or the birth certificate."),
    ),
    Term(
        "RSU_MISMATCH",
        _("RSU member differing from the RNP"),
        COUNT,
        _("Check the identity document, then correct the RSU."),
    ),
    Term(
        "RNP_NOT_IN_RSU",
        _("RNP person not in the RSU"),
        COUNT,
        _("Tell the person and invite them to register with their household."),
    ),
    Term(
        "AMO_NOT_IN_RSU",
        _("AMO beneficiary not in the declared RSU household"),
        COUNT,
        _("Update the household in the RSU before sending the file to CNSS."),
    ),
    Term(
        "AMO_MISMATCH",
        _("AMO beneficiary differing from the RSU"),
        COUNT,
        _("Correct the file or the RSU, so that CNSS does not reject it."),
    ),
    Term(
        "AMO_INELIGIBLE",
        _("AMO beneficiary of a household above the threshold"),
        COUNT,
        _("Check the household's score and tell the household."),
    ),
    Term(
        "AMO_PENDING_STALE",
        _("File pending validation too long"),
        COUNT,
        _("Validate or reject the file without waiting."),
    ),
    Term(
        "AMO_SLA_BREACHED",
        _("File without a CNSS decision in time"),
        COUNT,
        _("Write to CNSS about the file."),
    ),
    Term(
        "UNKNOWN_TERRITORY",
        _("Row of an unknown annex"),
        COUNT,
        _("Correct the annex code in the source register."),
    ),
    Term(
        "RSU_DUPLICATE_MEMBER",
        _("IDCS declared in two households"),
        COUNT,
        _("Establish the true household and remove the other registration."),
    ),
    Term(
        "RSU_DECEASED_MEMBER",
        _("RSU member deceased according to the RNP"),
        COUNT,
        _("Update the composition of the household."),
    ),
)
# The funnel column each counted kind matches, row for row, per annex.
COUNTED_BY = MappingProxyType(
    {
        "RSU_ID_UNKNOWN": "rsu_id_unknown",
        "RSU_MISMATCH": "rsu_mismatch",
        "RNP_NOT_IN_RSU": "rnp_not_in_rsu",
        "AMO_NOT_IN_RSU": "amo_not_in_rsu",
        "AMO_MISMATCH": "amo_mismatch",
        "AMO_INELIGIBLE": "amo_ineligible",
        "AMO_PENDING_STALE": "amo_pending_stale",
        "AMO_SLA_BREACHED": "amo_sla_breached",
    }
)

# --- anomaly indicators --------------------------------------------------------------------
INDICATORS = _terms(
    Term(
        "SINGLE_PERSON_SHARE",
        _("Single-person households"),
        SHARE,
        meaning=_(
            "More single-person households than expected: households may have been split; "
            "a field survey is needed."
        ),
    ),
    Term(
        "STALE_PENDING_SHARE",
        _("Files pending validation too long"),
        SHARE,
        meaning=_(
            "More files left pending than expected: check that files are validated every day."
        ),
    ),
    Term(
        "AMO_RSU_DISCREPANCY_RATE",
        _("AMO beneficiaries differing from the RSU"),
        SHARE,
        meaning=_(
            "More beneficiaries missing from or differing from the RSU than expected: "
            "check how files are captured."
        ),
    ),
)

# --- the columns of the other outputs, as a reader sees them --------------------------------
COLUMNS = _terms(
    Term("name", _("Territory")),
    Term("kind", _("Kind of finding")),
    Term("source", _("Register")),
    Term("row_id", _("Row identifier")),
    Term("idcs", _("IDCS")),
    Term("household_id", _("RSU household")),
    Term("amo_file_id", _("AMO file")),
    Term("annex_code", _("Annex")),
    Term("detail", _("Detail")),
    Term("count", _("Count"), COUNT),
    Term("action", _("What to do")),
    Term("indicator", _("Indicator")),
    Term("meaning", _("Meaning")),
    Term("observed", _("Observed"), SHARE),
    Term("expected", _("Expected"), SHARE),
    Term("p_value", _("p-value"), PROBABILITY),
    Term("q_value", _("q-value (FDR)"), PROBABILITY),
    Term("flagged", _("Flagged")),
    Term("cluster_id", _("Suspected household")),
    Term("reason", _("Reason")),
    Term("row_idcs", _("Identifier on the row")),
    Term("candidate_idcs", _("Proposed RNP person")),
    Term("match_probability", _("Probability"), PROBABILITY),
    Term("decision", _("Decision")),
    Term("handling", _("Handling")),
    Term("note", _("Note")),
    Term("description", _("Description")),
    Term("parameter", _("Parameter")),
    Term("value", _("Value")),
)

# --- the registers, as findings and candidates name their source ------------------------
REGISTERS = _terms(
    Term("rnp", _("RNP")),
    Term("rsu", _("RSU")),
    Term("amo", _("AMO Tadamon")),
)

# --- the fields of a person, a household or a file, as forms and findings name them ----
FIELDS = _terms(
    Term("idcs", _("civil and social digital identifier (IDCS)")),
    Term("cin", _("national identity card number")),
    Term("first_name_ar", _("first name in Arabic")),
    Term("last_name_ar", _("last name in Arabic")),
    Term("first_name_lat", _("first name in Latin letters")),
    Term("last_name_lat", _("last name in Latin letters")),
    Term("name_ar", _("full name in Arabic")),
    Term("sex", _("sex")),
    Term("birth_date", _("date of birth")),
    Term("nationality", _("nationality")),
    Term("relation", _("family relationship")),
    Term("members", _("household members")),
    Term("beneficiaries", _("beneficiaries")),
    Term("household_id", _("household identifier")),
    Term("score", _("socio-economic index")),
    Term("area", _("area of residence")),
    Term("address", _("address")),
    Term("rejection_reason", _("reason for the rejection")),
    Term("name", _("full name in Arabic")),  # the name key compared by the findings
)

# --- a person's sex, as the contract codes it -------------------------------------------------
SEXES = _terms(
    Term("F", _("Female")),
    Term("M", _("Male")),
)

# --- the reconciliation's parameters ---------------------------------------------------------
PARAMETERS = _terms(
    Term("as_of", _("Reference day")),
    Term("threshold", _("Eligibility threshold")),
    Term("validation_days", _("Days to validate a file"), DAYS),
    Term("cnss_days", _("Days for CNSS to decide"), DAYS),
)

# --- territory levels ---------------------------------------------------------------------
LEVELS = _terms(
    Term("national", _("national")),
    Term("region", _("region")),
    Term("province", _("province")),
    Term("commune", _("commune")),
    Term("annex", _("annex")),
)

# --- the stages of the engine's jobs, as progress bars name them ----------------------------
STAGES = _terms(
    Term("export", _("exporting the registers")),
    Term("reconcile", _("reconciliation")),
    Term("link", _("record linkage")),
    Term("validate", _("checking the extracts")),
    Term("prepare", _("preparing the registers")),
    Term("funnel", _("counting the funnel")),
    Term("findings", _("listing the findings")),
    Term("anomalies", _("testing for anomalies")),
    Term("splits", _("looking for split households")),
    Term("links", _("linking unknown identifiers")),
    Term("rows", _("rows to link")),
    Term("pool", _("persons to compare")),
    Term("train", _("training the model")),
    Term("predict", _("scoring the pairs")),
    Term("write", _("writing the outputs")),
    Term("import", _("loading the results")),
    Term("done", _("done")),
)

# --- who works in the back office ---------------------------------------------------------
ROLES = _terms(
    Term("clerk", _("Clerk")),
    Term("validator", _("Validator")),
    Term("supervisor", _("Supervisor")),
    Term("cnss", _("CNSS agent")),
    Term("admin", _("Administrator")),
)

# --- what `sijill daily` tells each annex (sijill.operations.notices) ------------------------
NOTICES = _terms(
    Term(
        "validation_late",
        _("Files waiting for validation beyond their day"),
        COUNT,
        action=_("Validate or reject them today: they were due the day after their deposit."),
    ),
    Term(
        "cnss_near",
        _("Files at CNSS close to their 30 days"),
        COUNT,
        action=_("Ask CNSS for its decision before the deadline."),
    ),
    Term(
        "cnss_late",
        _("Files at CNSS beyond their 30 days"),
        COUNT,
        action=_("CNSS is late: report these files to the provincial coordination."),
    ),
)

# --- the report's workbook (sijill.engine.workbook) -----------------------------------------
# Its sheets: the funnel's, one per level (by the level's code), then the shared ones. A
# sheet name is at most 31 characters, without : \ / ? * [ ], in every language.
SHEETS = _terms(
    Term("national", _("National funnel")),
    Term("region", _("Funnel by region")),
    Term("province", _("Funnel by province")),
    Term("commune", _("Funnel by commune")),
    Term("annex", _("Funnel by annex")),
    Term("findings", _("Findings")),
    Term("anomalies", _("Anomalies")),
    Term("split_suspects", _("Split households")),
    Term("parameters", _("Parameters")),
)
# What a run's summary.json says beside its parameters. `{name}` is an input, an output or
# a stage of the run, given as its code.
RUN_SUMMARY = _terms(
    Term("engine", _("Engine")),
    Term("links", _("Probabilistic linkage")),
    Term("inputs", _("Rows read: {name}")),
    Term("outputs", _("Rows written: {name}")),
    Term("timings", _("Duration in seconds: {name}")),
    Term("warnings", _("Warnings")),
)

GROUPS: Mapping[str, Mapping[str, Term]] = MappingProxyType(
    {
        "funnel": FUNNEL,
        "figures": FIGURES,
        "funnel_gaps": FUNNEL_GAPS,
        "findings": FINDINGS,
        "indicators": INDICATORS,
        "columns": COLUMNS,
        "fields": FIELDS,
        "registers": REGISTERS,
        "parameters": PARAMETERS,
        "levels": LEVELS,
        "amo_statuses": AMO_STATUSES,
        "form_statuses": FORM_STATUSES,
        "decisions": DECISIONS,
        "rejection_reasons": REJECTION_REASONS,
        "handling": HANDLING,
        "link_decisions": LINK_DECISIONS,
        "sexes": SEXES,
        "form_kinds": FORM_KINDS,
        "channels": CHANNELS,
        "run_statuses": RUN_STATUSES,
        "run_sources": RUN_SOURCES,
        "roles": ROLES,
        "notices": NOTICES,
        "stages": STAGES,
        "form_events": FORM_EVENTS,
        "sheets": SHEETS,
        "run_summary": RUN_SUMMARY,
    }
)


@dataclass(frozen=True, slots=True)
class Reader:
    """Someone a document is written for: a language, its direction and its words (a
    function from a message id to the text; the edge that writes the document gives it)."""

    language: str
    rtl: bool
    words: Callable[[str], str]


def term(code: str, *groups: Mapping[str, Term]) -> Term:
    """The first term of that code in the groups given (every group when none is), or a
    term that calls the code by itself: an unknown code is shown, never lost."""
    for group in groups or tuple(GROUPS.values()):
        if code in group:
            return group[code]
    return Term(code, code)


def message_ids() -> Iterable[str]:
    """Every message id of the vocabulary (its test checks that each catalogue has them)."""
    for group in GROUPS.values():
        for t in group.values():
            yield from (m for m in (t.words, t.action, t.meaning) if m)
