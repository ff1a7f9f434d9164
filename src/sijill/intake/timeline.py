"""A form's whole life, for its page: the ledger's timestamps and the audit log's entries.

The audit log keeps pseudonyms, never identifiers or names (sijill.audit.pseudonyms): the
timeline shows who did what and when, the status each step left, a rejection's reason and
how many rules a refused step broke, and nothing of the payload. An entry is the form's
when it is keyed like the form's own entries (the pseudonym of its receipt).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sijill.audit.models import Entry
from sijill.intake import cnss, workflow
from sijill.intake.models import Form

TARGET = "intake.form"


@dataclass(frozen=True, slots=True)
class Event:
    at: dt.datetime
    action: str  # a code of vocabulary.FORM_EVENTS, or "reached" (a ledger timestamp alone)
    actor: str = ""
    status: str = ""  # the status the step left the form in
    reason: str = ""
    broken: int = 0  # rules broken, for a refused step
    receipt: str = ""  # the step it opened, or the step that opened it


def _read(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def entries(form: Form) -> list[Entry]:
    """The audit log's entries about the form, oldest first."""
    first = (
        Entry.objects.filter(
            target=TARGET, after__contains=json.dumps({"receipt": form.receipt})[1:-1]
        )
        .only("key")
        .first()
    )
    if first is None:
        return []
    return list(Entry.objects.filter(key=first.key).order_by("seq"))


def of(form: Form) -> list[Event]:
    """Every step of the form, oldest first: each audited one with who did it; a status the
    ledger stamped without an entry (a form older than the log) with its time alone."""
    events: list[Event] = []
    audited: set[str] = set()
    for entry in entries(form):
        after, before = _read(entry.after), _read(entry.before)
        status = str(after.get("status") or "")
        if status and status != before.get("status"):
            audited.add(status)
        events.append(
            Event(
                at=entry.at,
                action=entry.action,
                actor=entry.actor,
                status=status,
                reason=cnss.said(after.get("rejection_reason"))
                if status == workflow.REJECTED
                else "",
                broken=len(after.get("violations") or [])
                if entry.action.endswith("_refused")
                else 0,
            )
        )
    for status in workflow.STATUSES:
        stamp = getattr(form, workflow.TIMESTAMP_OF[status], None)
        if stamp is not None and status not in audited:
            events.append(Event(at=stamp, action="reached", status=status))
    if form.parent_id is not None and form.parent is not None:
        events.append(Event(at=form.deposited_at, action="opened_by", receipt=form.parent.receipt))
    # A step opened by the validation is told right after it (the ledger stamps it a
    # moment before the audit log writes the validation down).
    validated = next((e.at for e in events if e.action == "validate"), None)
    for step in form.steps.order_by("deposited_at", "id"):
        at = validated if validated is not None else step.deposited_at
        events.append(Event(at=at, action="opened", receipt=step.receipt))
    return sorted(events, key=lambda event: event.at)  # stable: the log's order kept
