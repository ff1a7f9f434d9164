"""sijill.audit.chain: append-only, hash-chained, pseudonymized; tampering is detected."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from sijill.audit.chain import Change, record, record_many, verify
from sijill.audit.models import GENESIS, Entry
from sijill.registry.models import Person

pytestmark = pytest.mark.django_db

PERSON = {
    "idcs": "0012345674",
    "cin": "BE123456",
    "first_name_ar": "محمد",
    "last_name_ar": "العلوي",
    "first_name_lat": "MOHAMMED",
    "last_name_lat": "ALAOUI",
    "sex": "M",
    "birth_date": "1982-01-02",
    "annex_code": "A-00931",
}


def _five_changes() -> None:
    record_many(
        Change("clerk1", "update", "registry.person", "0012345674", PERSON, {**PERSON, "sex": s})
        for s in "FMFMF"
    )


def _drop_triggers() -> None:
    """What an intruder with the database owner's rights would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_entry_append_only ON audit_entry")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")


def test_entries_chain_from_the_genesis_and_verify() -> None:
    _five_changes()
    entries = list(Entry.objects.all())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    verdict = verify()
    assert verdict.ok and verdict.entries == 5 and verdict.head == entries[-1].hash


def test_no_identifier_or_name_is_stored_in_clear() -> None:
    record(Change("clerk1", "create", "registry.person", PERSON["idcs"], None, PERSON))
    entry = Entry.objects.get()
    stored = entry.key + entry.before + entry.after
    for field in ("idcs", "cin", "first_name_ar", "last_name_ar", "last_name_lat", "birth_date"):
        assert PERSON[field] not in stored
    after = json.loads(entry.after)
    assert after["sex"] == "M" and after["annex_code"] == "A-00931"
    assert after["idcs"].startswith("h:") and after["idcs"] == entry.key


def test_the_same_identifier_always_gets_the_same_pseudonym() -> None:
    record(Change("a", "create", "registry.person", "0012345674", None, {"idcs": "0012345674"}))
    record(Change("b", "update", "registry.person", "0012345674", None, {"idcs": "0012345682"}))
    first, second = Entry.objects.all()
    assert first.key == second.key
    assert json.loads(first.after)["idcs"] != json.loads(second.after)["idcs"]


def test_the_database_refuses_updates_and_deletes() -> None:
    _five_changes()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Entry.objects.filter(seq=2).update(actor="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Entry.objects.filter(seq=5).delete()
    assert verify().ok


def test_an_edited_entry_is_detected() -> None:
    _five_changes()
    _drop_triggers()
    Entry.objects.filter(seq=3).update(actor="someone else")
    assert verify().problems == ["entry 3 was altered"]


def test_a_deleted_entry_is_detected() -> None:
    _five_changes()
    _drop_triggers()
    Entry.objects.filter(seq=2).delete()
    assert verify().problems == [
        "entries 2..2 are missing",
        "entry 3 does not follow the entry before it",
    ]


def test_a_cut_tail_is_detected_against_a_noted_head() -> None:
    _five_changes()
    noted = verify().head
    _drop_triggers()
    Entry.objects.filter(seq=5).delete()
    assert verify().ok  # the chain alone cannot know it was longer
    assert verify(expected_head=noted).problems == [
        "the expected head is not in the log: entries were removed"
    ]
    record(Change("clerk1", "create", "registry.person", "1", None, {}))
    assert not verify(expected_head=noted).ok


def test_a_noted_head_still_verifies_after_the_log_grew() -> None:
    _five_changes()
    noted = verify().head
    _five_changes()
    assert verify(expected_head=noted).ok


def test_a_whole_path_is_audited_without_one_identifier_or_name_in_clear(tmp_path: Path) -> None:
    from sijill.intake import approval, cnss, counter
    from tests.apps.backoffice import (
        ANNEX_1,
        REGISTRATION,
        fassi_family,
        household_payload,
        load_territories,
        staff,
    )
    from tests.conftest import Staff

    load_territories()
    team = Staff(*(staff(n, r, t) for n, r, t in _TEAM))
    form, _ = counter.deposit(
        team.clerk,
        kind="rnp_registration",
        channel="counter",
        annex_code=ANNEX_1,
        citizen_id="BK654321",
    )
    counter.capture(team.clerk, form.receipt, REGISTRATION)
    approval.validate(team.validator, form.receipt)
    members = fassi_family()
    form, _ = counter.deposit(
        team.clerk, kind="rsu_declaration", channel="counter", annex_code=ANNEX_1
    )
    counter.capture(team.clerk, form.receipt, household_payload(members))
    _, amo = approval.validate(team.validator, form.receipt)
    assert amo is not None
    counter.capture(team.clerk, amo.receipt, amo.payload)
    approval.validate(team.validator, amo.receipt)
    cnss.transmit(team.validator)
    cnss.decide(team.cnss, amo.receipt, cnss.ACCEPT)

    actions = list(Entry.objects.values_list("target", "action"))
    for expected in [
        ("intake.form", "deposit"),
        ("intake.form", "capture"),
        ("intake.form", "validate"),
        ("intake.form", "open_step"),
        ("intake.form", "transmit"),
        ("intake.form", "decide"),
        ("registry.person", "create"),
        ("registry.household", "create"),
        ("registry.amofile", "create"),
        ("registry.amofile", "update"),
    ]:
        assert expected in actions
    assert verify().ok
    text = "".join(e.key + e.before + e.after for e in Entry.objects.all())
    secrets = ["BK654321", "ياسين", "CHERKAOUI", "1995-10-10", "Hay Mohammadi"]
    secrets += [str(m[f]) for m in members for f in ("idcs", "first_name_ar", "first_name_lat")]
    secrets += list(Person.objects.values_list("idcs", flat=True))
    assert [s for s in secrets if s in text] == []


_TEAM = [
    ("clerk_a", "clerk", "A-00931"),
    ("validator_a", "validator", "A-00931"),
    ("clerk_b", "clerk", "A-00932"),
    ("validator_b", "validator", "A-00932"),
    ("supervisor", "supervisor", "0007302"),
    ("cnss", "cnss", None),
]
