"""What a citizen is told: the names of kinds and channels, the steps of each kind of form
and the documents to bring, in the language of the page.

Plain data over sijill.intake.workflow: the receipt, the form's page and the citizen's
status page all read it, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sijill.intake import workflow

Text: TypeAlias = str | Promise

KIND_LABELS: dict[str, Text] = {
    workflow.RNP_REGISTRATION: _("Registration in the National Population Register (RNP)"),
    workflow.RSU_DECLARATION: _("Household declaration in the Unified Social Register (RSU)"),
    workflow.RSU_UPDATE: _("Update of a household in the RSU"),
    workflow.AMO_REQUEST: _("AMO Tadamon health insurance request"),
    workflow.OTHER: _("Other request"),
}
CHANNEL_LABELS: dict[str, Text] = {
    workflow.COUNTER: _("At the counter"),
    workflow.ONLINE: _("Online"),
    workflow.MOBILE_UNIT: _("Mobile unit"),
    workflow.INTEGRATED: _("Opened by a previous step"),
}

_IDENTITY = _("Your national identity card (CIN), original")
_MEMBERS_IDS = _(
    "The CIN of every adult member and the birth certificate of every child of the household"
)
DOCUMENTS: dict[str, tuple[Text, ...]] = {
    workflow.RNP_REGISTRATION: (
        _IDENTITY,
        _("For a minor: a full birth certificate and the CIN of the parent or guardian"),
        _("A proof of address (residence certificate or a recent water or electricity bill)"),
    ),
    workflow.RSU_DECLARATION: (
        _("The CIN of the head of household"),
        _MEMBERS_IDS,
        _("The civil and social digital identifier (IDCS) of every member, if you have it"),
        _("A recent water or electricity bill, if the dwelling has one"),
    ),
    workflow.RSU_UPDATE: (
        _("The CIN of the head of household"),
        _("The household's RSU identifier"),
        _("The document behind the change (birth, marriage or death certificate)"),
    ),
    workflow.AMO_REQUEST: (
        _("The CIN of the insured person (the head of household)"),
        _("The household's RSU identifier"),
        _MEMBERS_IDS,
    ),
    workflow.OTHER: (_IDENTITY, _("Any document about your request")),
}

STEP_LABELS: dict[str, Text] = {
    "deposit": _("Deposit of the form; you receive this receipt"),
    "capture": _("Capture of your form at the annex"),
    "validation": _("Validation by the local authority, by the day after the deposit"),
    "transmission": _("Transmission to CNSS"),
    "cnss_decision": _("Decision by CNSS, within 30 days of the transmission"),
}
# What a validated form opens next (integrated registration, sijill.intake.steps).
FOLLOW_UPS: dict[str, Text] = {
    workflow.RNP_REGISTRATION: _(
        "Once you are registered, a household declaration in the RSU is opened for you."
    ),
    workflow.RSU_DECLARATION: _(
        "If the household's score is within the AMO Tadamon threshold, "
        "an AMO Tadamon request is opened for it."
    ),
    workflow.RSU_UPDATE: _(
        "If the household's score is within the AMO Tadamon threshold, "
        "an AMO Tadamon request is opened for it."
    ),
}
# The status a form has once each step is behind it.
_REACHED = {
    "deposit": workflow.DEPOSITED,
    "capture": workflow.CAPTURED,
    "validation": workflow.VALIDATED,
    "transmission": workflow.TRANSMITTED,
    "cnss_decision": workflow.ACCEPTED,
}
_ORDER = (
    workflow.DEPOSITED,
    workflow.CAPTURED,
    workflow.VALIDATED,
    workflow.TRANSMITTED,
    workflow.UNDER_REVIEW,
    workflow.ACCEPTED,
)


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    label: Text
    done: bool


def step_names(kind: str) -> tuple[str, ...]:
    names = ("deposit", "capture", "validation")
    if kind == workflow.AMO_REQUEST:
        return (*names, "transmission", "cnss_decision")
    return names


def steps(kind: str, status: str) -> list[Step]:
    """Every step of this kind of form, those already behind it marked done."""
    reached = _ORDER.index(status) if status in _ORDER else -1
    return [
        Step(name, STEP_LABELS[name], 0 <= _ORDER.index(_REACHED[name]) <= reached)
        for name in step_names(kind)
    ]


def to_bring(kind: str, status: str) -> tuple[Text, ...]:
    """Documents the citizen still has to show: until the capture, those of the kind."""
    if status == workflow.DEPOSITED:
        return DOCUMENTS.get(kind, ())
    return ()
