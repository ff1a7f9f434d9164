"""Appending to the log and checking it: each entry's hash covers its content and the
previous entry's hash, so an edited or removed entry breaks every hash after it.

The hash is keyed (HMAC-SHA-256 with settings.AUDIT_CHAIN_KEYS, which the database does not
hold): someone able to write to the database can edit an entry, but cannot recompute the
hashes after it. Entries written before the chain was keyed have plain SHA-256 hashes; they
stay valid as the beginning of the log only, sealed by the keyed entry `sijill migrate` adds
after them (migration 0003). A cut-off tail leaves a valid chain: `verify` checks a head
noted outside the database (`sijill audit verify --anchor FILE`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sijill.audit.models import GENESIS, Entry
from sijill.audit.pseudonyms import masked, pseudonym

# Any constant: it only has to be the same for every writer of this database.
_CHAIN_LOCK = 7_245_001
_BATCH = 2000
# An entry's content as stored: actor, action, target, key, before, after (pseudonymized).
Row = tuple[str, str, str, str, str, str]


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


def _body(prev_hash: str, seq: int, at: dt.datetime, fields: Sequence[str]) -> bytes:
    return json.dumps([prev_hash, seq, at.isoformat(), *fields], ensure_ascii=False).encode()


def keyed_hash(key: str, prev_hash: str, seq: int, at: dt.datetime, fields: Sequence[str]) -> str:
    """The hash of an entry: HMAC-SHA-256 of its place and content with a chain key."""
    return hmac.new(key.encode(), _body(prev_hash, seq, at, fields), hashlib.sha256).hexdigest()


def plain_hash(prev_hash: str, seq: int, at: dt.datetime, fields: Sequence[str]) -> str:
    """The hash of an entry written before the chain was keyed (anyone can recompute it)."""
    return hashlib.sha256(_body(prev_hash, seq, at, fields)).hexdigest()


def _fields(entry: Entry) -> list[str]:
    return [entry.actor, entry.action, entry.target, entry.key, entry.before, entry.after]


def _lock_and_head() -> tuple[int, str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    # On SQLite, IMMEDIATE transactions (settings) already serialize writers.
    last = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last else (0, GENESIS)


def _row(change: Change) -> Row:
    """What an entry stores of a change: pseudonyms, never an identifier or a name."""
    return (
        change.actor,
        change.action,
        change.target,
        pseudonym(change.key),
        canonical(change.before),
        canonical(change.after),
    )


class _Pending:
    """The entries of an `atomic()` block, waiting for its end: in memory while few, then
    in an owner-only temporary file (already pseudonymized), so that an import of millions
    of rows does not hold them all in memory."""

    def __init__(self) -> None:
        # Closed by atomic(). ASCII lines: a position is a byte offset before and after the
        # spool moves from memory to its file.
        self.file: tempfile.SpooledTemporaryFile[str]
        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=16 * 1024 * 1024, mode="w+", encoding="ascii"
        )
        self.count = 0

    def add(self, rows: Iterable[Row]) -> int:
        added = 0
        for row in rows:
            self.file.write(json.dumps(row) + "\n")
            added += 1
        self.count += added
        return added

    def mark(self) -> tuple[int, int]:
        return self.file.tell(), self.count

    def back_to(self, mark: tuple[int, int]) -> None:
        self.file.seek(mark[0])
        self.file.truncate()
        self.count = mark[1]

    def rows(self) -> Iterator[Row]:
        self.file.seek(0)
        for line in self.file:
            actor, action, target, key, before, after = json.loads(line)
            yield actor, action, target, key, before, after


_PENDING: ContextVar[_Pending | None] = ContextVar("sijill_audit_pending", default=None)


@contextlib.contextmanager
def atomic() -> Iterator[None]:
    """A transaction whose audit entries are appended together at its end.

    Inside the block, `record` and `record_many` only note their entries (pseudonymized as
    they come); the chain's lock is taken once the block's own work is done, to append
    them all in their order, and held until the transaction commits a moment later. A
    long import thus never makes a deposit wait for it: only for its append. All or
    nothing still: the entries are written in the block's transaction. Nested, the
    outermost block appends; an inner block that fails takes its entries back with it."""
    outer = _PENDING.get()
    if outer is not None:
        mark = outer.mark()
        try:
            with transaction.atomic():
                yield
        except BaseException:
            outer.back_to(mark)
            raise
        return
    pending = _Pending()
    token = _PENDING.set(pending)
    try:
        with transaction.atomic():
            try:
                yield
            finally:
                _PENDING.reset(token)
            _append(pending.rows())
    finally:
        pending.file.close()


def record(change: Change) -> None:
    record_many([change])


def record_many(changes: Iterable[Change]) -> int:
    """Append every change, in order, in the caller's transaction (or its own); within an
    `atomic()` block, at the block's end."""
    pending = _PENDING.get()
    if pending is not None:
        return pending.add(_row(change) for change in changes)
    # Pseudonymized before the lock: the lock is for the append only.
    return _append([_row(change) for change in changes])


def _append(rows: Iterable[Row]) -> int:
    """Chain the rows onto the head and insert them, under the chain's lock."""
    key = settings.AUDIT_CHAIN_KEYS[-1]
    # No savepoint inside the caller's transaction: a failed append fails it whole (two
    # statements fewer for each step of the ledger).
    with transaction.atomic(savepoint=False):
        seq, head = _lock_and_head()
        chained = _chained(key, rows, seq, head)
        if connection.vendor == "postgresql":
            return _copy(chained)  # the lock is held while they go in: the fastest way
        written = 0
        batch: list[Entry] = []
        for values in chained:
            batch.append(Entry(**dict(zip(_COLUMNS, values, strict=True))))
            if len(batch) >= _BATCH:
                written += len(Entry.objects.bulk_create(batch))
                batch = []
        return written + len(Entry.objects.bulk_create(batch))


_COLUMNS = ("seq", "at", "actor", "action", "target", "key", "before", "after", "prev_hash", "hash")


def _chained(key: str, rows: Iterable[Row], seq: int, head: str) -> Iterator[tuple[Any, ...]]:
    """Each row with its place: (seq, at, *row, prev_hash, hash), as _COLUMNS name them."""
    for row in rows:
        seq += 1
        # Microseconds are what both backends store; the hash must cover what is read back.
        at = timezone.now().astimezone(dt.UTC)
        entry_hash = keyed_hash(key, head, seq, at, row)
        yield (seq, at, *row, head, entry_hash)
        head = entry_hash


def _copy(chained: Iterable[tuple[Any, ...]]) -> int:
    table = connection.ops.quote_name(Entry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    written = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for values in chained:
            copy.write_row(values)
            written += 1
    return written


@dataclass(slots=True)
class ChainReport:
    entries: int = 0
    head: str = GENESIS
    unkeyed: int = 0  # entries written before the chain was keyed, at its beginning
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(expected_head: str | None = None, anchored: str | None = None) -> ChainReport:
    """Walk the whole chain.

    Every entry must carry the keyed hash of its content, with the newest key in use so far
    or a newer one (keys are only ever added); plain SHA-256 is accepted at the beginning
    of the log only, for entries written before the chain was keyed. A chain cannot show
    that its newest entries were cut off; `expected_head` and `anchored`, hashes noted
    earlier outside the database, can: they must still be in the log.
    """
    keys: Sequence[str] = settings.AUDIT_CHAIN_KEYS
    verdict = ChainReport()
    prev_seq = 0
    epoch = -1  # the key in use so far; -1 before the first keyed entry
    noted = {h: False for h in (expected_head, anchored) if h not in (None, GENESIS)}
    for entry in Entry.objects.order_by("seq").iterator(chunk_size=_BATCH):
        at = entry.at.astimezone(dt.UTC)
        fields = _fields(entry)
        if entry.seq != prev_seq + 1:
            verdict.problems.append(f"entries {prev_seq + 1}..{entry.seq - 1} are missing")
        if entry.prev_hash != verdict.head:
            verdict.problems.append(f"entry {entry.seq} does not follow the entry before it")

        used = _key_used(keys, range(max(epoch, 0), len(keys)), entry, at, fields)
        if used is not None:
            epoch = used
        elif plain_hash(entry.prev_hash, entry.seq, at, fields) == entry.hash:
            if epoch >= 0:
                verdict.problems.append(
                    f"entry {entry.seq} is not keyed: it was written without the chain's key"
                )
            else:
                verdict.unkeyed += 1
        elif _key_used(keys, range(epoch), entry, at, fields) is not None:
            verdict.problems.append(f"entry {entry.seq} is keyed with a retired key")
        else:
            verdict.problems.append(f"entry {entry.seq} was altered")
        verdict.entries += 1
        verdict.head = entry.hash
        prev_seq = entry.seq
        if entry.hash in noted:
            noted[entry.hash] = True
    if epoch < 0 < verdict.unkeyed:
        verdict.problems.append(
            "no entry is keyed: the log was rewritten without the chain's key, "
            "or `sijill migrate` has not sealed it"
        )
    if expected_head in noted and not noted[expected_head]:
        verdict.problems.append("the expected head is not in the log: entries were removed")
    if anchored in noted and not noted[anchored]:
        verdict.problems.append(
            "the anchored head is not in the log: entries were removed or rewritten"
        )
    return verdict


def _key_used(
    keys: Sequence[str], tried: range, entry: Entry, at: dt.datetime, fields: Sequence[str]
) -> int | None:
    """The index of the first key of `tried` whose hash the entry carries."""
    for index in tried:
        found = keyed_hash(keys[index], entry.prev_hash, entry.seq, at, fields)
        if hmac.compare_digest(found, entry.hash):
            return index
    return None


# --- the head, anchored outside the database (`sijill audit verify --anchor FILE`) -----------


class BadAnchor(ValueError):
    """The anchor file exists but does not hold a head this module wrote."""


def read_anchor(path: Path) -> str | None:
    """The head hash noted in `path`, or None when there is no such file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        head = json.loads(text)["head"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BadAnchor(f"{path}: {exc}") from None
    if not isinstance(head, str) or len(head) != len(GENESIS):
        raise BadAnchor(f"{path}: no head hash")
    return head


def write_anchor(path: Path, verdict: ChainReport) -> None:
    """Note the verified head in `path`, readable by its owner only, replaced whole."""
    text = json.dumps(
        {"entries": verdict.entries, "head": verdict.head, "at": timezone.now().isoformat()}
    )
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        os.fchmod(f.fileno(), 0o600)  # a draft left by a crash keeps its own mode otherwise
        f.write(text + "\n")
    os.replace(draft, path)


def seal_unkeyed(model: type[Entry], at: dt.datetime, actor: str) -> bool:
    """Append a keyed entry after entries written before the chain was keyed, if the log
    ends with one (migration 0003): it covers their head, so that none of them can be
    recomputed any more. `model` is the migration's Entry. Returns whether it sealed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = model.objects.order_by("-seq").first()
    if last is None or last.hash != plain_hash(
        last.prev_hash, last.seq, last.at.astimezone(dt.UTC), _fields(last)
    ):
        return False
    after = json.dumps({"unkeyed_entries": last.seq}, sort_keys=True)
    seal = model(
        seq=last.seq + 1,
        at=at.astimezone(dt.UTC),
        actor=actor,
        action="audit.seal",
        target="audit.entry",
        key="",
        before="",
        after=after,
        prev_hash=last.hash,
    )
    seal.hash = keyed_hash(
        settings.AUDIT_CHAIN_KEYS[-1], seal.prev_hash, seal.seq, seal.at, _fields(seal)
    )
    seal.save()
    return True
