"""Appending to the log and checking it: each entry's hash covers its content and the
previous entry's hash, so an edited or removed entry breaks every hash after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sijill.audit.models import GENESIS, Entry
from sijill.audit.pseudonyms import masked, pseudonym

# Any constant: it only has to be the same for every writer of this database.
_CHAIN_LOCK = 7_245_001
_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Change:
    actor: str
    action: str
    target: str
    key: object  # the changed thing's identifier, pseudonymized before storage
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None


def canonical(data: Mapping[str, Any] | None) -> str:
    if data is None:
        return ""
    return json.dumps(masked(data), sort_keys=True, ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, seq: int, at: dt.datetime, fields: Sequence[str]) -> str:
    body = json.dumps([prev_hash, seq, at.isoformat(), *fields], ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _fields(entry: Entry) -> list[str]:
    return [entry.actor, entry.action, entry.target, entry.key, entry.before, entry.after]


def _lock_and_head() -> tuple[int, str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    # On SQLite, IMMEDIATE transactions (settings) already serialize writers.
    last = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last else (0, GENESIS)


def record(change: Change) -> None:
    record_many([change])


def record_many(changes: Iterable[Change]) -> int:
    """Append every change, in order, in the caller's transaction (or its own)."""
    written = 0
    with transaction.atomic():
        seq, head = _lock_and_head()
        batch: list[Entry] = []
        for change in changes:
            seq += 1
            entry = _entry(change, seq, head)
            head = entry.hash
            batch.append(entry)
            if len(batch) >= _BATCH:
                written += len(Entry.objects.bulk_create(batch))
                batch = []
        written += len(Entry.objects.bulk_create(batch))
    return written


def _entry(change: Change, seq: int, prev_hash: str) -> Entry:
    # Microseconds are what both backends store; the hash must cover what is read back.
    entry = Entry(
        seq=seq,
        at=timezone.now().astimezone(dt.UTC),
        actor=change.actor,
        action=change.action,
        target=change.target,
        key=pseudonym(change.key),
        before=canonical(change.before),
        after=canonical(change.after),
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(prev_hash, seq, entry.at, _fields(entry))
    return entry


@dataclass(slots=True)
class ChainReport:
    entries: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(expected_head: str | None = None) -> ChainReport:
    """Walk the whole chain.

    A chain cannot show that its newest entries were cut off; `expected_head`, a hash noted
    earlier outside the database, can: it must still be in the log.
    """
    verdict = ChainReport()
    prev_seq = 0
    seen_expected = expected_head in (None, GENESIS)
    for entry in Entry.objects.order_by("seq").iterator(chunk_size=_BATCH):
        at = entry.at.astimezone(dt.UTC)
        if entry.seq != prev_seq + 1:
            verdict.problems.append(f"entries {prev_seq + 1}..{entry.seq - 1} are missing")
        if entry.prev_hash != verdict.head:
            verdict.problems.append(f"entry {entry.seq} does not follow the entry before it")
        if entry_hash(entry.prev_hash, entry.seq, at, _fields(entry)) != entry.hash:
            verdict.problems.append(f"entry {entry.seq} was altered")
        verdict.entries += 1
        verdict.head = entry.hash
        prev_seq = entry.seq
        seen_expected = seen_expected or entry.hash == expected_head
    if not seen_expected:
        verdict.problems.append("the expected head is not in the log: entries were removed")
    return verdict
