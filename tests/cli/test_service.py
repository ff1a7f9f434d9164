"""sijill.cli.service: `sijill daily` twice the same day changes nothing; `sijill backup` and
`sijill restore` bring a back office back into an empty data folder — keys, database and an
audit log that verifies — in new processes, on SQLite and (with --db=postgresql) on a scratch
PostgreSQL database; `--help` says what the commands do, in the reader's language."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from django.utils import timezone
from typer.testing import CliRunner, Result

from sijill.cli.app import app as whole
from sijill.cli.backoffice import register
from sijill.intake.models import Form, TransmissionBatch
from sijill.operations.models import Day
from sijill.runs.models import Run
from tests.apps.backoffice import PASSWORD
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff

pytestmark = pytest.mark.django_db

app = typer.Typer()
register(app)
CLI = "from sijill.cli.app import main; main()"
KEYS = ("secret.key", "audit.key", "audit-chain.key", "lookup.key")


def sijill(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def test_daily_twice_the_same_day_changes_nothing(people: Staff) -> None:
    amo = validated_amo_request(people)
    yesterday = timezone.now() - dt.timedelta(days=1)
    Form.objects.filter(pk=amo.pk).update(validated_at=yesterday)
    first = sijill("daily", "--no-links")
    assert first.exit_code == 0, first.output
    (batch,) = TransmissionBatch.objects.all()
    assert f"Lot {batch.number} envoyé à la CNSS" in first.output
    run = Run.objects.get()
    assert f"Exécution nocturne {run.pk} mise en file." in first.output
    counts = (Form.objects.count(), TransmissionBatch.objects.count(), Run.objects.count())
    again = sijill("daily", "--no-links")
    assert again.exit_code == 0, again.output
    assert "Aucun dossier validé n'attendait sa transmission." in again.output
    assert f"L'exécution nocturne {run.pk} était déjà en file aujourd'hui." in again.output
    assert (Form.objects.count(), TransmissionBatch.objects.count(), Run.objects.count()) == counts
    assert Day.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("soon", "Pas un jour : soon"),
        ("2999-01-01", "Le jour ne peut pas être postérieur à aujourd'hui"),
    ],
)
def test_daily_refuses_a_day_it_cannot_run(people: Staff, day: str, said: str) -> None:
    result = sijill("daily", "--day", day)
    assert result.exit_code == 2 and said in result.output
    assert not Day.objects.exists()


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ("serve", "gunicorn avec plusieurs processus"),
        ("worker", "SIGTERM laisse d'abord finir la tâche en cours"),
        ("daily", "Relancer un jour ne change rien"),
        ("backup", "Sauvegarder la base de données et les fichiers de clés"),
        ("restore", "le journal d'audit est vérifié ensuite"),
    ],
)
def test_help_says_what_the_command_does_in_french(command: str, said: str) -> None:
    result = CliRunner().invoke(whole, [command, "--help"], prog_name="sijill")
    assert result.exit_code == 0
    assert said in " ".join(result.output.replace("│", " ").split())


# --- backup and restore in new processes --------------------------------------------------


def run(env: dict[str, str], data: Path, *args: str, stdin: str = "", code: int = 0) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**env, "SIJILL_DATA_DIR": str(data)},
        timeout=120,
    )
    said = done.stdout + done.stderr
    assert done.returncode == code, said
    return said


def test_a_backup_restores_into_an_empty_data_folder(
    environment: dict[str, str], tmp_path: Path
) -> None:
    data, archive = tmp_path / "var", tmp_path / "backups" / "sijill.tar.gz"
    run(environment, data, "migrate")
    run(environment, data, "user", "add", "amina", "--role", "cnss", stdin=PASSWORD)
    said = run(environment, data, "backup", "--out", str(archive))
    assert f"Sauvegarde écrite dans {archive}" in " ".join(said.split())
    assert oct(archive.stat().st_mode & 0o777) == oct(0o600)
    keys = {name: (data / name).read_bytes() for name in KEYS}
    run(environment, data, "user", "add", "late", "--role", "cnss", stdin=PASSWORD)
    data.rename(tmp_path / "lost")  # the machine is gone; the archive is all that is left

    restored = run(environment, data, "restore", str(archive))

    assert "Le journal d'audit est intact." in restored
    assert {name: (data / name).read_bytes() for name in KEYS} == keys
    assert "intact" in run(environment, data, "audit", "verify")
    assert "sjl_" in run(environment, data, "token", "issue", "amina")
    gone = run(environment, data, "token", "issue", "late", code=2)
    assert "Aucun utilisateur actif nommé late." in gone  # added after the backup


def test_a_restore_refuses_other_keys_unless_told_to_replace_them(
    environment: dict[str, str], tmp_path: Path
) -> None:
    data, archive = tmp_path / "var", tmp_path / "sijill.tar.gz"
    run(environment, data, "migrate")
    run(environment, data, "backup", "--out", str(archive))
    other = tmp_path / "other"
    run(environment, other, "migrate")  # a data folder with keys of its own
    chain = (other / "audit-chain.key").read_bytes()
    refused = run(environment, other, "restore", str(archive), code=2)
    assert "--replace-keys" in refused
    assert (other / "audit-chain.key").read_bytes() == chain
    replaced = run(environment, other, "restore", "--replace-keys", str(archive))
    assert "Le journal d'audit est intact." in replaced
    assert (other / "audit-chain.key.before-restore").read_bytes() == chain
    assert "intact" in run(environment, other, "audit", "verify")
