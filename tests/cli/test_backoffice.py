"""sijill.cli.backoffice: the back-office commands, run through a Typer app as the CLI runs them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import typer
from django.test import Client
from typer.testing import CliRunner, Result

from sijill.accounts import tokens
from sijill.accounts.models import User
from sijill.audit.models import Entry
from sijill.cli.backoffice import register
from sijill.engine.extracts.problems import has_errors
from sijill.engine.extracts.reading import read_extracts
from sijill.registry.models import AmoFile, Beneficiary, Household, Member, Person
from sijill.territories.models import Territory
from tests.apps.backoffice import PASSWORD, load_territories
from tests.extract_files import ANNEX_1, valid_rows, write_set

pytestmark = pytest.mark.django_db

app = typer.Typer()
register(app)
runner = CliRunner()


def sijill(*args: str, stdin: str | None = None) -> Result:
    result = runner.invoke(app, list(args), input=stdin)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def import_args(paths: dict[str, Path]) -> list[str]:
    return ["import", *[arg for name, path in paths.items() for arg in (f"--{name}", str(path))]]


def test_migrate_loads_the_reference_territories_once() -> None:
    first = sijill("migrate")
    assert first.exit_code == 0, first.output
    assert Territory.objects.count() == 87
    entries = Entry.objects.count()
    assert sijill("migrate").exit_code == 0
    assert Entry.objects.count() == entries


def test_user_add_reads_the_password_from_stdin_and_hashes_it() -> None:
    load_territories()
    result = sijill(
        "user", "add", "amina", "--role", "clerk", "--territory", ANNEX_1, stdin=PASSWORD
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(username="amina")
    assert (user.role, user.territory_id) == ("clerk", ANNEX_1)
    assert user.check_password(PASSWORD) and PASSWORD not in user.password
    assert Entry.objects.filter(target="accounts.user").count() == 1


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "clerk"], PASSWORD, "Le rôle clerk nécessite un territoire"),
        (["--role", "clerk", "--territory", "NOWHERE"], PASSWORD, "Territoire inconnu NOWHERE"),
        (["--role", "mayor", "--territory", ANNEX_1], PASSWORD, "Rôle inconnu mayor"),
        (["--role", "cnss"], "1234", "Ce mot de passe est trop court"),
    ],
)
def test_user_add_refuses_bad_input_with_exit_2(args: list[str], stdin: str, message: str) -> None:
    load_territories()
    result = sijill("user", "add", "amina", *args, stdin=stdin)
    assert result.exit_code == 2
    assert message in result.output
    assert not User.objects.exists()


def test_token_issue_prints_a_token_that_authenticates_its_user() -> None:
    load_territories()
    sijill("user", "add", "cnss1", "--role", "cnss", stdin=PASSWORD)
    result = sijill("token", "issue", "cnss1")
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith(tokens.PREFIX)
    found = tokens.user_for(token)
    assert found is not None and found.username == "cnss1"
    assert sijill("token", "issue", "nobody").exit_code == 2


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_import_fills_the_registers_and_a_second_import_changes_nothing(
    fmt: str, tmp_path: Path
) -> None:
    paths = write_set(tmp_path, fmt)
    result = sijill(*import_args(paths))
    assert result.exit_code == 0, result.output
    assert "RNP : 5 ajoutés, 0 mis à jour, 0 inchangés" in result.output
    counts = [m.objects.count() for m in (Person, Household, Member, AmoFile, Beneficiary)]
    assert counts == [5, 3, 5, 3, 5]
    entries = Entry.objects.count()
    again = sijill(*import_args(paths))
    assert again.exit_code == 0
    assert "RNP : 0 ajoutés, 0 mis à jour, 5 inchangés" in again.output
    assert "bénéficiaires AMO : 0 ajoutés, 0 mis à jour, 5 inchangés" in again.output
    assert Entry.objects.count() == entries


def test_a_changed_row_is_updated_and_audited(tmp_path: Path) -> None:
    sijill(*import_args(write_set(tmp_path / "v1")))
    rows = valid_rows()
    rows["rnp"][0]["address"] = "7, Rue Moulay Youssef"
    result = sijill(*import_args(write_set(tmp_path / "v2", rows=rows)))
    assert "RNP : 0 ajoutés, 1 mis à jour, 4 inchangés" in result.output
    assert Person.objects.get(idcs="0012345674").address == "7, Rue Moulay Youssef"
    assert Entry.objects.filter(action="import_update", target="registry.person").count() == 1


def test_invalid_extracts_are_refused_whole_with_the_problem_table(tmp_path: Path) -> None:
    rows = valid_rows()
    rows["rnp"][1]["idcs"] = "12345"
    result = sijill(*import_args(write_set(tmp_path, rows=rows)))
    assert result.exit_code == 2
    assert "rnp.csv" in result.output and "idcs" in result.output
    assert "Rien n'a été importé" in result.output
    assert not Person.objects.exists() and not Territory.objects.exists()


def test_a_household_in_two_annexes_is_imported_as_validate_accepts_it(tmp_path: Path) -> None:
    rows = valid_rows()
    first = rows["rsu"][0]["annex_code"]
    assert rows["rsu"][1]["household_id"] == rows["rsu"][0]["household_id"]
    rows["rsu"][1]["annex_code"] = "A-00932"
    result = sijill(*import_args(write_set(tmp_path, rows=rows)))
    assert result.exit_code == 0, result.output
    assert "avertissement" in result.output and "annex_code" in result.output
    household = Household.objects.get(household_id=rows["rsu"][0]["household_id"])
    assert household.annex_code == first  # the first row's, as the reconciliation keeps


def test_rows_of_an_unknown_annex_are_imported_with_a_warning(tmp_path: Path) -> None:
    rows = valid_rows()
    rows["rnp"][2]["annex_code"] = "AX900001"
    result = sijill(*import_args(write_set(tmp_path, rows=rows)))
    assert result.exit_code == 0
    assert "avertissement" in result.output
    assert Person.objects.filter(annex_code="AX900001").count() == 1


def test_export_writes_extracts_that_validate_and_round_trip(tmp_path: Path) -> None:
    imported = write_set(tmp_path / "in", "parquet")
    sijill(*import_args(imported))
    result = sijill("export", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    exported = {name: tmp_path / "out" / f"{name}.parquet" for name in imported}
    with duckdb.connect() as con:
        _, problems = read_extracts(con, exported)
        assert not has_errors(problems), problems
        for name, path in imported.items():
            assert _rows(con, path) == _rows(con, exported[name]), name


def _rows(con: duckdb.DuckDBPyConnection, path: Path) -> list[tuple[object, ...]]:
    return con.execute(f"SELECT * FROM read_parquet('{path}') ORDER BY ALL").fetchall()


def test_export_of_empty_registers_still_validates(tmp_path: Path) -> None:
    load_territories()
    assert sijill("export", "--out", str(tmp_path)).exit_code == 0
    with duckdb.connect() as con:
        paths = {n: tmp_path / f"{n}.parquet" for n in ("territories", "rnp", "rsu", "amo")}
        assert not has_errors(read_extracts(con, paths)[1])


def test_export_in_the_background_is_queued_for_the_worker(tmp_path: Path) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    load_territories()
    result = sijill("export", "--out", str(tmp_path / "out"), "--background")
    assert result.exit_code == 0, result.output
    (task,) = DBTaskResult.objects.all()
    assert f"Mise en file comme tâche {task.pk}" in " ".join(result.output.split())
    assert task.status == TaskResultStatus.READY and task.task_path.endswith("tasks.export")
    assert task.args_kwargs["args"] == [str((tmp_path / "out").resolve())]
    assert not (tmp_path / "out").exists()  # nothing done in the command itself


def test_audit_verify_passes_then_fails_after_tampering(tmp_path: Path) -> None:
    sijill(*import_args(write_set(tmp_path)))
    ok = sijill("audit", "verify")
    assert ok.exit_code == 0 and "intact" in ok.output
    from tests.apps.audit.test_chain import _drop_triggers

    _drop_triggers()
    Entry.objects.filter(seq=3).update(after="{}")
    tampered = sijill("audit", "verify")
    assert tampered.exit_code == 1
    assert "entry 3 was altered" in tampered.output


def test_token_list_shows_prefixes_and_dates_never_the_token() -> None:
    load_territories()
    sijill("user", "add", "cnss1", "--role", "cnss", stdin=PASSWORD)
    sijill("user", "add", "cnss2", "--role", "cnss", stdin=PASSWORD)
    first = sijill("token", "issue", "cnss1").output.strip()
    second = sijill("token", "issue", "cnss2").output.strip()
    listed = sijill("token", "list")
    assert listed.exit_code == 0, listed.output
    assert "préfixe" in listed.output and "expire le" in listed.output
    assert first[: tokens.PREFIX_LENGTH] in listed.output
    assert second[: tokens.PREFIX_LENGTH] in listed.output
    assert first not in listed.output and second not in listed.output
    mine = sijill("token", "list", "cnss1")
    assert first[: tokens.PREFIX_LENGTH] in mine.output
    assert second[: tokens.PREFIX_LENGTH] not in mine.output
    assert sijill("token", "list", "nobody").exit_code == 2


def test_token_revoke_stops_the_token_and_is_audited() -> None:
    load_territories()
    sijill("user", "add", "cnss1", "--role", "cnss", stdin=PASSWORD)
    token = sijill("token", "issue", "cnss1").output.strip()
    prefix = token[: tokens.PREFIX_LENGTH]
    result = sijill("token", "revoke", prefix)
    assert result.exit_code == 0 and f"Jeton {prefix} révoqué." in result.output
    assert tokens.user_for(token) is None
    assert Entry.objects.filter(target="accounts.apitoken", action="revoke").count() == 1
    again = sijill("token", "revoke", prefix)
    assert again.exit_code == 0 and "déjà révoqué" in again.output
    unknown = sijill("token", "revoke", "sjl_unknown")
    assert unknown.exit_code == 2 and "Aucun jeton n'a le préfixe sjl_unknown" in unknown.output


def test_user_disable_refuses_logins_and_revokes_tokens() -> None:
    load_territories()
    sijill("user", "add", "cnss1", "--role", "cnss", stdin=PASSWORD)
    token = sijill("token", "issue", "cnss1").output.strip()
    result = sijill("user", "disable", "cnss1")
    assert result.exit_code == 0, result.output
    assert "Utilisateur cnss1 désactivé ; jetons révoqués : 1." in result.output
    assert tokens.user_for(token) is None
    assert not User.objects.get(username="cnss1").is_active
    assert Client().login(username="cnss1", password=PASSWORD) is False
    assert sijill("token", "issue", "cnss1").exit_code == 2
    assert sijill("user", "disable", "nobody").exit_code == 2


def test_user_passwd_reads_the_password_from_stdin_and_checks_it() -> None:
    load_territories()
    sijill("user", "add", "cnss1", "--role", "cnss", stdin=PASSWORD)
    weak = sijill("user", "passwd", "cnss1", stdin="1234")
    assert weak.exit_code == 2 and "Ce mot de passe est trop court" in weak.output
    new = "Autre-mot-2026-guichet!"
    result = sijill("user", "passwd", "cnss1", stdin=new)
    assert result.exit_code == 0 and "Mot de passe de cnss1 modifié." in result.output
    user = User.objects.get(username="cnss1")
    assert user.check_password(new) and not user.check_password(PASSWORD)
    entry = Entry.objects.get(action="set_password")
    assert new not in entry.after and user.password not in entry.after
    assert sijill("user", "passwd", "nobody", stdin=new).exit_code == 2
