"""Link candidates of an annex and the decisions taken on them, each one in the audit log.

Confirming a candidate records that a person checked it (the identity documents at hand);
the register itself changes through a form (an `rsu_update`), like any other correction.
A decision can be undone: the candidate is undecided again, and the log keeps both steps.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sijill.accounts.access import NotVisible, require
from sijill.accounts.roles import EDIT_REGISTERS
from sijill.audit.chain import Change, record
from sijill.runs.models import CONFIRMED, REJECTED, Candidate
from sijill.territories import scope

UNDECIDED = "undecided"  # no decision yet, or the decision undone
DECISIONS = (CONFIRMED, REJECTED)
SHOWN = (UNDECIDED, *DECISIONS)  # what the list can be filtered to
ACTIONS = {CONFIRMED: "link.confirm", REJECTED: "link.reject", UNDECIDED: "link.undo"}


def of_annex(run_id: int, annex: str, decision: str | None = None) -> QuerySet[Candidate]:
    """The annex's candidates, most likely first; of one decision (UNDECIDED: none yet)."""
    found = Candidate.objects.filter(run_id=run_id, annex_code=annex).select_related("decided_by")
    if decision == UNDECIDED:
        found = found.filter(decision__isnull=True)
    elif decision in DECISIONS:
        found = found.filter(decision=decision)
    return found.order_by("-match_probability", "source", "row_id")


def counts_of_annex(run_id: int, annex: str) -> dict[str, int]:
    """The annex's candidates by decision (UNDECIDED for those without one)."""
    found = Candidate.objects.filter(run_id=run_id, annex_code=annex)
    counts = {value: 0 for value in SHOWN}
    for decision in found.values_list("decision", flat=True):
        counts[decision or UNDECIDED] += 1
    return counts


def visible(user: Any, link_id: int) -> Candidate:
    link: Candidate | None = Candidate.objects.filter(pk=link_id).first()
    if link is None or not _covers(user, link.annex_code):
        raise NotVisible(str(link_id))
    return link


def _covers(user: Any, annex: str | None) -> bool:
    if annex is None:  # a row in no known annex: national users only
        return user.territory_code is None
    return scope.covers(user.territory_code, annex)


def decide(user: Any, link_id: int, decision: str) -> Candidate:
    """Confirm or reject a candidate, or undo its decision (UNDECIDED). NotVisible outside
    scope, NotAllowed by role, ValueError for anything else."""
    if decision not in ACTIONS:
        raise ValueError(decision)
    require(user, EDIT_REGISTERS)
    with transaction.atomic():
        found = visible(user, link_id)
        link: Candidate = Candidate.objects.select_for_update().get(pk=found.pk)
        before = {"decision": link.decision}
        if decision == UNDECIDED:
            link.decision, link.decided_by, link.decided_at = None, None, None
        else:
            link.decision, link.decided_by, link.decided_at = decision, user, timezone.now()
        link.save(update_fields=["decision", "decided_by", "decided_at"])
        record(
            Change(
                actor=user.username,
                action=ACTIONS[decision],
                target="monitoring.link",
                key=f"{link.source}:{link.row_id}",
                before=before,
                after={
                    "decision": link.decision,
                    "run": link.run_id,
                    "source": link.source,
                    "idcs": link.candidate_idcs,
                    "match_probability": link.match_probability,
                },
            )
        )
    return link
