"""Handling a finding: its status (open, in progress, resolved, not an error) and a note,
set by the people who work an annex's list, each change in the audit log.

A status is kept by the finding's key, not by the run: the same row with the same problem
in the next run has the same key and shows the same status. A finding that a later run no
longer finds keeps its status too, in case it comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from sijill import engine
from sijill.accounts import roles
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.audit.chain import Change, record
from sijill.runs.imports import findings_path
from sijill.runs.models import Run
from sijill.territories import scope
from sijill.worklists.models import OPEN, STATUSES, Handling

NOTE_LENGTH = 1000
# Who works the lists: those who validate an annex's forms, and those who may correct
# the registers (supervisors, administrators). Others read them.
HANDLERS = (roles.VALIDATE, roles.EDIT_REGISTERS)


def may_handle(user: Any) -> bool:
    role = getattr(user, "role", "")
    return any(roles.may(role, action) for action in HANDLERS)


def statuses(annex: str) -> dict[str, Handling]:
    """Every handling recorded in the annex, by finding key (open ones included)."""
    return {
        h.key: h for h in Handling.objects.filter(annex_code=annex).select_related("updated_by")
    }


def of_keys(keys: Iterable[str]) -> dict[str, Handling]:
    found = Handling.objects.filter(key__in=list(keys)).select_related("updated_by")
    return {h.key: h for h in found}


def handle(user: Any, run: Run, annex: str, key: str, status: str, note: str = "") -> Handling:
    """Set the status (and note) of the annex's finding `key` of `run`. NotVisible when
    the annex is outside the user's scope or the run has no such finding there, NotAllowed
    by role, ValueError for a status that is not one."""
    if status not in STATUSES:
        raise ValueError(status)
    if not may_handle(user):
        raise NotAllowed("handle")
    if not scope.covers(user.territory_code, annex):
        raise NotVisible(annex)
    finding = engine.finding_of_annex(Path(findings_path(run)), annex, key)
    if finding is None:
        raise NotVisible(key)
    note = " ".join(note.split())[:NOTE_LENGTH]
    with transaction.atomic():
        found: Handling | None = Handling.objects.select_for_update().filter(key=key).first()
        before = {"status": status_of(found)}
        if found is None:
            found = Handling(key=key, annex_code=annex, kind=finding.kind)
        note_changed = note != found.note
        found.status, found.note, found.run = status, note, run
        found.updated_by, found.updated_at = user, timezone.now()
        found.save()
        after = {"status": status, "kind": finding.kind, "annex_code": annex, "run": run.pk,
                 "note_changed": note_changed}  # fmt: skip
        # The note may name the person: the log keeps that it changed, the row keeps it.
        record(Change(user.username, "finding.handle", "worklists.finding", key, before, after))
    return found


def status_of(found: Handling | None) -> str:
    return found.status if found is not None else OPEN
