"""Between the annex and CNSS: transmission batches, review and the decision within 30 days.

CNSS decides per beneficiary (contract v1.1): each one is accepted, or refused for a reason
of the list (`vocabulary.REJECTION_REASONS`) with a note. The file is accepted when it
covers someone, rejected when every beneficiary is refused. The reason travels as the
contract's `rejection_reason` text, `code: note` (`reason_text`, read back by `reason_of`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sijill.accounts import roles
from sijill.accounts.access import NotVisible, require, scoped
from sijill.accounts.models import User
from sijill.audit.chain import Change, record
from sijill.documents.words import words
from sijill.domain import deadlines, vocabulary
from sijill.domain.rules import Violation
from sijill.intake import ledger, workflow
from sijill.intake.approval import queue
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form, TransmissionBatch
from sijill.intake.receipts import normalized
from sijill.registry import exports, writes
from sijill.registry.models import AmoFile, Beneficiary

BATCH_TARGET = "intake.batch"  # what the audit log calls a transmission batch
REASONS: tuple[str, ...] = tuple(vocabulary.REJECTION_REASONS)
OTHER = "other"  # the reason that says nothing without its note
NOTE_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Decision:
    """CNSS's decision on a beneficiary: accepted, or refused for a reason of the list
    (a code of `REASONS`) with a note, which `other` requires."""

    accepted: bool
    reason: str = ""
    note: str = ""

    @property
    def text(self) -> str | None:
        """The contract's `rejection_reason`: None when accepted, else `code` or `code: note`."""
        if self.accepted:
            return None
        note = " ".join(self.note.split())
        return f"{self.reason}: {note}" if note else self.reason


ACCEPT = Decision(True)


@dataclass(frozen=True, slots=True)
class Reason:
    """A `rejection_reason` read back: the code of the list it names (None for a reason
    written otherwise, such as an imported extract's free text) and the rest, its note."""

    code: str | None
    note: str


def reason_text(reason: str, note: str = "") -> str:
    return Decision(False, reason, note).text or ""


def reason_of(text: str | None) -> Reason | None:
    if text is None or not text.strip():
        return None
    code, _, note = text.partition(":")
    if code.strip() in REASONS:
        return Reason(code.strip(), note.strip())
    return Reason(None, text.strip())


def said(text: str | None) -> str:
    """A rejection reason in the reader's words: each reason of the list CNSS gave (the
    file's reasons are joined by "; ") by its name, with its note; free text as written."""
    parts = []
    for part in (text or "").split("; "):
        reason = reason_of(part)
        if reason is None:
            continue
        name = words(reason.code, "rejection_reasons") if reason.code else ""
        parts.append(" — ".join(p for p in (name, reason.note) if p))
    return "; ".join(parts)


# --- transmission ------------------------------------------------------------------------


def to_transmit(user: User) -> QuerySet[Any]:
    """The validated AMO requests of the user's territory, oldest deposit first: today's batch."""
    return queue(user, workflow.VALIDATED).filter(kind=workflow.AMO_REQUEST)


def transmit(user: User, receipts: list[str] | None = None) -> TransmissionBatch:
    """Send the validated AMO requests of the user's territory (or those listed) to CNSS."""
    require(user, roles.TRANSMIT)
    with transaction.atomic():
        forms = to_transmit(user)
        if receipts is not None:
            forms = forms.filter(receipt__in=[normalized(r) for r in receipts])
        chosen = list(forms.select_for_update())
        if not chosen:
            raise NotPossible(workflow.TRANSMIT.name, "nothing validated")
        now = timezone.now()
        batch: TransmissionBatch = TransmissionBatch.objects.create(
            number=f"LOT-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}",
            territory_code=user.territory_code,
            created_at=now,
            created_by=user,
        )
        for form in chosen:
            _move(user, form, workflow.TRANSMIT, "transmit", batch=batch)
        after = {
            "number": batch.number,
            "territory_code": batch.territory_code,
            "receipts": [form.receipt for form in chosen],
        }
        record(Change(user.username, "create", BATCH_TARGET, batch.number, None, after))
    return batch


def batches(user: User) -> QuerySet[Any]:
    """The batches of the user's territory, newest first, with their files counted:
    `files`, and `decided` (accepted or rejected by CNSS)."""
    require(user, roles.READ)
    decided = Q(forms__status__in=(workflow.ACCEPTED, workflow.REJECTED))
    found = TransmissionBatch.objects.annotate(
        files=Count("forms"), decided=Count("forms", filter=decided)
    ).select_related("created_by")
    return scoped(user, found, "territory_code").order_by("-created_at", "-id")


def batch(user: User, number: str) -> TransmissionBatch:
    """One batch of the user's territory (NotVisible otherwise, like one that does not exist)."""
    found: TransmissionBatch | None = batches(user).filter(number=number.strip()).first()
    if found is None:
        raise NotVisible(number)
    return found


def batch_extract(user: User, number: str, path: Path) -> int:
    """Write transmission batch `number` as the contract `amo` extract CNSS receives.

    Seen only by users whose territory holds the batch's; the download is audited (who
    took the personal data of which batch). Returns the rows written.
    """
    found = batch(user, number)
    files = found.forms.exclude(register_key=None).values_list("register_key", flat=True)
    rows = exports.export_amo(path, list(files))
    after = {"number": found.number, "rows": rows}
    record(Change(user.username, "download", BATCH_TARGET, found.number, None, after))
    return rows


# --- CNSS's review -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Waiting:
    """A file at CNSS and its clock: due 30 days after its transmission."""

    form: Form
    due: dt.date
    days_left: int  # negative once late


def review_queue(user: User, today: dt.date | None = None) -> list[Waiting]:
    """The transmitted files CNSS has not decided, in the user's territory, fewest days
    left on the 30-day clock first."""
    require(user, roles.DECIDE)
    today = today or timezone.localdate()
    forms = scoped(
        user,
        Form.objects.filter(
            kind=workflow.AMO_REQUEST, status__in=(workflow.TRANSMITTED, workflow.UNDER_REVIEW)
        ).select_related("batch"),
    )
    waiting = []
    for form in forms:
        due = deadlines.cnss_due(timezone.localtime(form.transmitted_at).date())
        waiting.append(Waiting(form, due, deadlines.days_left(due, today)))
    return sorted(waiting, key=lambda w: (w.days_left, w.form.transmitted_at, w.form.pk))


def beneficiaries(form: Form) -> list[Beneficiary]:
    """The beneficiaries of an AMO request's file (none before its validation)."""
    if form.kind != workflow.AMO_REQUEST or not form.register_key:
        return []
    found = Beneficiary.objects.filter(file__amo_file_id=form.register_key)
    return list(found.order_by("beneficiary_id"))


def review(user: User, receipt: str) -> Form:
    """CNSS acknowledges a transmitted file and starts examining it."""
    require(user, roles.DECIDE)
    with transaction.atomic():
        return _move(user, receipt, workflow.REVIEW, "review")


def decide(
    user: User,
    receipt: str,
    decision: Decision,
    each: Mapping[str, Decision] | None = None,
) -> Form:
    """CNSS's decision on a file: `decision` for every beneficiary, but those `each` names
    (by beneficiary_id). A refusal needs a reason of the list (and `other` its note);
    GateFailed lists every decision that lacks one, and nothing changes."""
    require(user, roles.DECIDE)
    each = dict(each or {})
    with transaction.atomic():
        form = ledger.locked(user, receipt)
        if not workflow.allowed(workflow.ACCEPT, form.kind, form.status):
            raise NotPossible(workflow.ACCEPT.name, form.status)
        people = beneficiaries(form)
        known = {b.beneficiary_id for b in people}
        violations = _unknown(each, known)
        decided = {b.beneficiary_id: each.get(b.beneficiary_id, decision) for b in people}
        for row, beneficiary in enumerate(people, start=1):
            violations += _incomplete(decided[beneficiary.beneficiary_id], row)
        if not people:
            violations += _incomplete(decision, None)
        if violations:
            raise GateFailed(violations)
        reasons = {key: d.text for key, d in decided.items()}
        covered = any(d.accepted for d in decided.values()) if people else decision.accepted
        transition = workflow.ACCEPT if covered else workflow.DECLINE
        # The file's reason, for the ledger: each distinct one, in the beneficiaries' order.
        refused = list(dict.fromkeys(text for text in reasons.values() if text))
        why = None if covered else "; ".join(refused) or decision.text
        return _move(user, form, transition, "decide", reason=why, reasons=reasons)


def _unknown(each: Mapping[str, Decision], known: set[str]) -> list[Violation]:
    if set(each) <= known:
        return []
    allowed = ", ".join(sorted(known))
    return [Violation("choice", "beneficiaries", None, (("allowed", allowed),))]


def _incomplete(decision: Decision, row: int | None) -> list[Violation]:
    if decision.accepted:
        return []
    if not decision.reason:
        return [Violation("required", "rejection_reason", row)]
    if decision.reason not in REASONS:
        return [Violation("choice", "rejection_reason", row, (("allowed", ", ".join(REASONS)),))]
    if decision.reason == OTHER and not decision.note.strip():
        return [Violation("required", "rejection_reason", row)]
    return []


def _move(
    user: User,
    form: Form | str,
    transition: workflow.Transition,
    action: str,
    batch: TransmissionBatch | None = None,
    reason: str | None = None,
    reasons: Mapping[str, str | None] | None = None,
) -> Form:
    """A CNSS step of an AMO request, carried into its register's file."""

    def apply(moved: Form) -> None:
        if batch is not None:
            moved.batch = batch
        moved.rejection_reason = reason
        amo_file = AmoFile.objects.get(amo_file_id=moved.register_key)
        at = getattr(moved, workflow.TIMESTAMP_OF[transition.target])
        if reasons is None:
            writes.set_amo_status(amo_file, transition.target, at, user.username)
        else:
            writes.decide_amo_file(amo_file, reasons, at, user.username)

    return ledger.step(user, form, transition, action, apply=apply)
