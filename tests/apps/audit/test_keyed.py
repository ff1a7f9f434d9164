"""Issue 16, item 7: the audit chain is keyed, and its head can be anchored outside the
database; someone who edits an entry and recomputes the hashes after it is caught."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from django.apps import apps
from django.db import connection
from django.utils import timezone
from typer.testing import CliRunner, Result

from sijill.audit.chain import Change, plain_hash, record, record_many, verify
from sijill.audit.models import GENESIS, Entry
from sijill.cli.backoffice import register
from tests.apps.audit.test_chain import PERSON, _drop_triggers, _five_changes

pytestmark = pytest.mark.django_db


def _fields(entry: Entry) -> list[str]:
    return [entry.actor, entry.action, entry.target, entry.key, entry.before, entry.after]


def _sha256(prev_hash: str, entry: Entry) -> str:
    """What the issue's intruder computes: the entry's hash as plain SHA-256."""
    at = entry.at.astimezone(dt.UTC).isoformat()
    body = json.dumps([prev_hash, entry.seq, at, *_fields(entry)], ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _rewrite_from(
    seq: int, edit: dict[str, str], digest: Any = _sha256, upto: int | None = None
) -> None:
    """Edit entry `seq` and recompute its hash and every hash after it (up to entry
    `upto`), as an intruder with write access to the database (triggers dropped) would."""
    entries = list(Entry.objects.order_by("seq"))
    head = entries[seq - 2].hash if seq > 1 else GENESIS
    for entry in entries[seq - 1 : upto]:
        if entry.seq == seq:
            for name, value in edit.items():
                setattr(entry, name, value)
        entry.prev_hash = head
        entry.hash = digest(head, entry)
        Entry.objects.filter(pk=entry.pk).update(
            **{name: getattr(entry, name) for name in ("prev_hash", "hash", *edit)}
        )
        head = entry.hash


def sijill(*args: str) -> Result:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_an_entry_edited_and_the_chain_recomputed_with_sha256_is_detected() -> None:
    """The attack of the issue, exactly: without the fix, verify said intact."""
    _five_changes()
    _drop_triggers()
    _rewrite_from(3, {"actor": "someone else"})
    assert verify().problems == [
        f"entry {n} is not keyed: it was written without the chain's key" for n in (3, 4, 5)
    ]
    answer = sijill("audit", "verify")
    assert answer.exit_code == 1 and "entry 3 is not keyed" in answer.output


def test_a_whole_chain_recomputed_with_sha256_is_detected() -> None:
    _five_changes()
    _drop_triggers()
    _rewrite_from(1, {"actor": "someone else"})
    assert verify().problems == [
        "no entry is keyed: the log was rewritten without the chain's key, "
        "or `sijill migrate` has not sealed it"
    ]


def test_the_chain_is_keyed_with_a_key_the_database_does_not_hold(settings: Any) -> None:
    _five_changes()
    entry = Entry.objects.get(seq=2)
    key = settings.AUDIT_CHAIN_KEYS[-1]
    at = entry.at.astimezone(dt.UTC).isoformat()
    body = json.dumps([entry.prev_hash, 2, at, *_fields(entry)], ensure_ascii=False).encode()
    assert entry.hash == hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    assert entry.hash != _sha256(entry.prev_hash, entry)
    # Without the key, the same log reads as altered.
    settings.AUDIT_CHAIN_KEYS = ("another key " + "k" * 50,)
    assert verify().problems == [f"entry {n} was altered" for n in range(1, 6)]


def test_a_new_key_takes_over_and_the_old_one_is_retired(settings: Any) -> None:
    old, new = settings.AUDIT_CHAIN_KEYS[-1], "the next chain key " + "n" * 50
    _five_changes()
    settings.AUDIT_CHAIN_KEYS = (old, new)
    _five_changes()
    assert verify().ok and verify().entries == 10
    # Someone holding the old key only cannot rewrite what the new key covers.
    _drop_triggers()

    def with_old_key(head: str, entry: Entry) -> str:
        at = entry.at.astimezone(dt.UTC).isoformat()
        body = json.dumps([head, entry.seq, at, *_fields(entry)], ensure_ascii=False)
        return hmac.new(old.encode(), body.encode(), hashlib.sha256).hexdigest()

    _rewrite_from(8, {"actor": "someone else"}, with_old_key)
    assert verify().problems == [f"entry {n} is keyed with a retired key" for n in (8, 9, 10)]


def _legacy_chain(count: int) -> None:
    """Entries as they were written before the chain was keyed: plain SHA-256."""
    head, at = GENESIS, timezone.now().astimezone(dt.UTC)
    for seq in range(1, count + 1):
        entry = Entry(seq=seq, at=at, actor="clerk1", action="update", target="registry.person",
                      key="h:" + "0" * 32, before="", after=json.dumps({"seq": seq}),
                      prev_hash=head)  # fmt: skip
        entry.hash = plain_hash(head, seq, at, _fields(entry))
        entry.save()
        head = entry.hash


def _migrate_seal() -> None:
    seal = importlib.import_module("sijill.audit.migrations.0003_seal_unkeyed")
    seal.forwards(apps, connection.schema_editor())


def test_a_chain_written_before_the_keys_is_sealed_by_the_migration_and_still_verifies() -> None:
    _legacy_chain(4)
    assert not verify().ok  # unkeyed entries alone prove nothing
    _migrate_seal()
    _migrate_seal()  # once only
    seal = Entry.objects.get(seq=5)
    assert (seal.action, seal.prev_hash) == ("audit.seal", Entry.objects.get(seq=4).hash)
    record(Change("clerk1", "create", "registry.person", "1", None, {}))
    verdict = verify()
    assert verdict.ok and (verdict.entries, verdict.unkeyed) == (6, 4)
    answer = sijill("audit", "verify")
    assert answer.exit_code == 0 and "4 entrées écrites avant" in answer.output


def test_an_unkeyed_entry_rewritten_after_the_seal_is_detected() -> None:
    _legacy_chain(4)
    _migrate_seal()
    _drop_triggers()
    _rewrite_from(2, {"actor": "someone else"}, upto=4)
    # The seal covers the old head of the unkeyed entries ...
    assert verify().problems == ["entry 5 does not follow the entry before it"]
    unsealed = (
        "no entry is keyed: the log was rewritten without the chain's key, "
        "or `sijill migrate` has not sealed it"
    )
    Entry.objects.filter(seq=5).update(prev_hash=Entry.objects.get(seq=4).hash)
    assert verify().problems == ["entry 5 was altered", unsealed]
    # ... and cannot be recomputed without the key.
    _rewrite_from(5, {})
    assert verify().problems == [unsealed]


def test_the_anchor_file_catches_a_cut_tail_and_a_rewrite_with_the_key(
    tmp_path: Path, settings: Any
) -> None:
    anchor = tmp_path / "audit-head.json"
    _five_changes()
    first = sijill("audit", "verify", "--anchor", str(anchor))
    assert first.exit_code == 0, first.output
    noted = json.loads(anchor.read_text())
    assert (noted["entries"], noted["head"]) == (5, Entry.objects.get(seq=5).hash)
    assert oct(anchor.stat().st_mode & 0o777) == "0o600"
    _five_changes()
    assert sijill("audit", "verify", "--anchor", str(anchor)).exit_code == 0
    assert json.loads(anchor.read_text())["entries"] == 10

    # Someone holding the chain's key rewrites entry 3 and every hash after it.
    _drop_triggers()
    key = settings.AUDIT_CHAIN_KEYS[-1]

    def with_the_key(head: str, entry: Entry) -> str:
        at = entry.at.astimezone(dt.UTC).isoformat()
        body = json.dumps([head, entry.seq, at, *_fields(entry)], ensure_ascii=False)
        return hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()

    before = anchor.read_text()
    _rewrite_from(3, {"actor": "someone else"}, with_the_key)
    assert verify().ok  # the chain alone cannot tell
    caught = sijill("audit", "verify", "--anchor", str(anchor))
    assert caught.exit_code == 1
    assert "the anchored head is not in the log" in caught.output
    assert anchor.read_text() == before  # a failed check never moves the anchor


def test_a_cut_tail_is_caught_by_the_anchor(tmp_path: Path) -> None:
    anchor = tmp_path / "head.json"
    _five_changes()
    assert sijill("audit", "verify", "--anchor", str(anchor)).exit_code == 0
    _drop_triggers()
    Entry.objects.filter(seq__gte=4).delete()
    assert verify().ok
    assert sijill("audit", "verify", "--anchor", str(anchor)).exit_code == 1


def test_a_broken_anchor_file_stops_the_check(tmp_path: Path) -> None:
    anchor = tmp_path / "head.json"
    anchor.write_text("not json")
    answer = sijill("audit", "verify", "--anchor", str(anchor))
    assert answer.exit_code == 2 and anchor.read_text() == "not json"


def test_entries_of_an_atomic_block_are_appended_at_its_end_in_order() -> None:
    from sijill.audit import chain

    record(Change("a", "create", "registry.person", "0", None, PERSON))
    with chain.atomic():
        record_many(Change("b", "update", "registry.person", str(n), None, {}) for n in range(3))
        assert Entry.objects.count() == 1  # noted, not yet written
        record(Change("b", "create", "registry.person", "3", None, {"name_ar": "الرباط"}))
    actions = list(Entry.objects.values_list("seq", "actor"))
    assert actions == [(1, "a"), (2, "b"), (3, "b"), (4, "b"), (5, "b")]
    assert json.loads(Entry.objects.get(seq=5).after) == {"name_ar": "الرباط"}
    assert verify().ok


def test_an_atomic_block_that_fails_leaves_no_entry() -> None:
    from sijill.audit import chain

    with pytest.raises(ZeroDivisionError), chain.atomic():
        record(Change("b", "create", "registry.person", "1", None, {}))
        1 / 0  # noqa: B018
    assert not Entry.objects.exists()
    with chain.atomic():
        record(Change("b", "create", "registry.person", "1", None, {}))
        with pytest.raises(ZeroDivisionError), chain.atomic():
            record(Change("c", "create", "registry.person", "2", None, {}))
            1 / 0  # noqa: B018
        record(Change("b", "create", "registry.person", "3", None, {}))
    assert list(Entry.objects.values_list("actor", flat=True)) == ["b", "b"]
    assert verify().ok
