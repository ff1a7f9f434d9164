"""sijill.operations.backup: a backup taken while the back office runs comes back whole — the
forms, the users and the audit log as they were, the log verifying against the head the
archive noted — on SQLite (online backup API) and PostgreSQL (pg_dump, pg_restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from sijill.audit.chain import verify
from sijill.audit.models import Entry
from sijill.intake import counter
from sijill.intake.models import Form
from sijill.operations import archive, backup
from tests.apps.backoffice import ANNEX_1, staff
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def deposit(people: Staff) -> Form:
    form, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
    return form


def state() -> dict[str, object]:
    return {
        "forms": sorted(Form.objects.values_list("receipt", "status")),
        "audit": list(Entry.objects.order_by("seq").values_list("seq", "hash")),
    }


def test_a_restore_brings_back_the_backup_and_its_audit_log_verifies(
    committed: None, people: Staff, tmp_path: Path
) -> None:
    deposit(people)
    before = state()
    made = backup.backup(tmp_path / "backups" / "sijill.tar.gz")
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    head = Entry.objects.order_by("-seq").values_list("hash", flat=True).first()
    assert (made.manifest["engine"], made.manifest["audit_head"]) == (engine, head)
    assert made.manifest["audit_entries"] == Entry.objects.count() > 0
    assert oct(made.path.stat().st_mode & 0o777) == oct(0o600)
    later = deposit(people)  # what happens after the backup is what a restore undoes
    staff("late_clerk", "clerk", ANNEX_1)
    assert state() != before

    found = backup.restore(made.path)

    assert found["audit_head"] == made.manifest["audit_head"]
    assert state() == before
    assert not Form.objects.filter(receipt=later.receipt).exists()
    verdict = verify(expected_head=found["audit_head"])
    assert verdict.ok and verdict.problems == []
    deposit(people)  # the restored back office works on: the chain goes on from its head
    assert verify().ok


def test_a_backup_of_another_engine_is_refused(
    committed: None, people: Staff, tmp_path: Path
) -> None:
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    dump = tmp_path / "database.dump"
    dump.write_bytes(b"")
    path = tmp_path / "other.tar.gz"
    archive.write(path, {"engine": other, "created_at": "x"}, dump, tmp_path / "none")
    forms = state()
    with pytest.raises(backup.RestoreRefused, match=f"a {other} backup"):
        backup.restore(path)
    assert state() == forms


def test_postgresql_refuses_a_restore_while_others_use_the_database(
    committed: None, people: Staff, tmp_path: Path, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite restores page by page under its own lock")
    made = backup.backup(tmp_path / "sijill.tar.gz")
    deposit(people)
    db = connection.settings_dict
    with (
        psycopg.connect(
            dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or None
        ),
        pytest.raises(backup.RestoreRefused, match="1 other sessions"),
    ):
        backup.restore(made.path)
    assert Form.objects.count() == 1  # nothing restored
