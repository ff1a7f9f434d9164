"""Issue 16, item 8: uploaded extracts are bounded, stored private and removed once the run
is over (a 600 MB upload was accepted, kept for ever, and made world-readable)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sijill.engine.params import Parameters
from sijill.runs import lifecycle as runs
from sijill.runs.heartbeat import INTERRUPTED
from sijill.runs.models import BACK_OFFICE, FAILED, SUCCEEDED, Run
from tests.apps.runs.test_lifecycle import AS_OF, client_of, upload
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
MEGABYTE = 2**20


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_upload_above_the_limit_is_refused_before_anything_is_kept(
    people: Staff, tmp_path: Path, settings: Any
) -> None:
    settings.SIJILL_UPLOAD_MAX_BYTES = MEGABYTE
    big = b"idcs\n" + b"0012345674\n" * (MEGABYTE // 10)
    client = client_of(people.supervisor)
    answer = client.post("/monitoring/runs/upload/", upload(tmp_path, rnp=big))
    assert answer.status_code == 413
    page = answer.content.decode()
    assert "Ces extraits sont trop volumineux : rien n&#x27;a été gardé." in page
    assert "Au plus 1 Mo pour les quatre fichiers ensemble." in page
    assert not Run.objects.exists()
    assert not (Path(settings.DATA_DIR) / "runs").exists()


def test_the_limit_is_checked_before_the_body_is_read(
    people: Staff, tmp_path: Path, settings: Any
) -> None:
    """The declared length decides: the anti-forgery check, which reads the body, comes
    after (an upload without a valid token is still refused for its size, never read)."""
    from django.test import Client

    settings.SIJILL_UPLOAD_MAX_BYTES = MEGABYTE
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(people.supervisor)
    big = SimpleUploadedFile("rnp.csv", b"x" * (2 * MEGABYTE))
    assert client.post("/monitoring/runs/upload/", {"rnp": big}).status_code == 413
    small = SimpleUploadedFile("rnp.csv", b"x")
    assert client.post("/monitoring/runs/upload/", {"rnp": small}).status_code == 403


def test_uploaded_extracts_are_private_and_removed_once_the_run_is_over(
    people: Staff, tmp_path: Path, settings: Any
) -> None:
    client = client_of(people.supervisor)
    answer = client.post("/monitoring/runs/upload/", upload(tmp_path))
    assert answer.status_code == 302
    run = Run.objects.get()
    extracts = runs.extracts_folder(run)
    files = sorted(extracts.iterdir())
    assert [f.name for f in files] == ["amo.csv", "rnp.csv", "rsu.csv", "territories.csv"]
    assert {_mode(f) for f in files} == {0o600}
    for folder in (extracts, extracts.parent, runs.runs_root()):
        assert _mode(folder) == 0o700, folder
    runs.execute(run.pk)  # what the background thread does
    run.refresh_from_db()
    assert run.status == SUCCEEDED
    assert not extracts.exists()
    assert (Path(run.work_dir) / "findings.parquet").exists()  # what work lists read


def test_a_run_on_the_registers_exports_them_into_a_private_folder(registers: Staff) -> None:
    run = runs.create(BACK_OFFICE, Parameters(AS_OF), actor="test", with_links=False)
    extracts = runs.extracts_folder(run)
    for folder in (extracts, extracts.parent, runs.runs_root()):
        assert _mode(folder) == 0o700, folder
    runs.execute(run.pk)
    run.refresh_from_db()
    assert run.status == SUCCEEDED and not extracts.exists()


def test_a_failed_run_keeps_no_extract(people: Staff, tmp_path: Path) -> None:
    client = client_of(people.supervisor)
    client.post("/monitoring/runs/upload/", upload(tmp_path, rnp=b"idcs,cin\n123,X\n"))
    run = Run.objects.get()
    runs.execute(run.pk)
    run.refresh_from_db()
    assert run.status == FAILED and not runs.extracts_folder(run).exists()


def test_extracts_left_by_an_interrupted_run_are_removed_by_the_runs_page(
    people: Staff, tmp_path: Path
) -> None:
    client = client_of(people.supervisor)
    client.post("/monitoring/runs/upload/", upload(tmp_path))
    run = Run.objects.get()
    Run.objects.filter(pk=run.pk).update(status=FAILED, error=INTERRUPTED)  # server stopped
    assert runs.extracts_folder(run).exists()
    assert client.get("/monitoring/runs/").status_code == 200
    assert not runs.extracts_folder(run).exists()
