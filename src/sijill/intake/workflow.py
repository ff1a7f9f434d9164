"""The life of a form, as data: which status may follow which, for which kind of form.

No database here; `sijill.intake.services` applies these transitions to the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass

RNP_REGISTRATION = "rnp_registration"
RSU_DECLARATION = "rsu_declaration"
RSU_UPDATE = "rsu_update"
AMO_REQUEST = "amo_request"
OTHER = "other"
KINDS: tuple[str, ...] = (RNP_REGISTRATION, RSU_DECLARATION, RSU_UPDATE, AMO_REQUEST, OTHER)

COUNTER, ONLINE, MOBILE_UNIT, INTEGRATED = "counter", "online", "mobile_unit", "integrated"
CHANNELS: tuple[str, ...] = (COUNTER, ONLINE, MOBILE_UNIT, INTEGRATED)

DEPOSITED = "deposited"
CAPTURED = "captured"
VALIDATED = "validated"
TRANSMITTED = "transmitted"
UNDER_REVIEW = "under_review"
ACCEPTED = "accepted"
REJECTED = "rejected"
STATUSES: tuple[str, ...] = (
    DEPOSITED,
    CAPTURED,
    VALIDATED,
    TRANSMITTED,
    UNDER_REVIEW,
    ACCEPTED,
    REJECTED,
)
# The ledger keeps one timestamp per status, in a column named after it.
TIMESTAMP_OF: dict[str, str] = {status: f"{status}_at" for status in STATUSES}


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    source: frozenset[str]
    target: str
    kinds: frozenset[str] = frozenset(KINDS)


CAPTURE = Transition("capture", frozenset({DEPOSITED, CAPTURED}), CAPTURED)
VALIDATE = Transition("validate", frozenset({CAPTURED}), VALIDATED)
REJECT = Transition("reject", frozenset({DEPOSITED, CAPTURED}), REJECTED)
TRANSMIT = Transition("transmit", frozenset({VALIDATED}), TRANSMITTED, frozenset({AMO_REQUEST}))
REVIEW = Transition("review", frozenset({TRANSMITTED}), UNDER_REVIEW, frozenset({AMO_REQUEST}))
ACCEPT = Transition(
    "accept", frozenset({TRANSMITTED, UNDER_REVIEW}), ACCEPTED, frozenset({AMO_REQUEST})
)
DECLINE = Transition(
    "decline", frozenset({TRANSMITTED, UNDER_REVIEW}), REJECTED, frozenset({AMO_REQUEST})
)
TRANSITIONS: dict[str, Transition] = {
    t.name: t for t in (CAPTURE, VALIDATE, REJECT, TRANSMIT, REVIEW, ACCEPT, DECLINE)
}


def is_final(kind: str, status: str) -> bool:
    if status in (ACCEPTED, REJECTED):
        return True
    # Only AMO requests go on to CNSS; every other form ends when validated.
    return status == VALIDATED and kind != AMO_REQUEST


def allowed(transition: Transition, kind: str, status: str) -> bool:
    return kind in transition.kinds and status in transition.source


def next_step(kind: str, status: str) -> str | None:
    """The name of what happens next to a form, or None when it is done."""
    if is_final(kind, status):
        return None
    return {
        DEPOSITED: "capture",
        CAPTURED: "validation",
        VALIDATED: "transmission",
        TRANSMITTED: "cnss_decision",
        UNDER_REVIEW: "cnss_decision",
    }[status]
