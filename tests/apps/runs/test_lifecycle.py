"""sijill.runs.lifecycle and their pages: runs on the registers or on uploaded extracts,
in the background, with progress, history and the comparison of two runs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext
from django_tasks import TaskResultStatus

from sijill.accounts.models import User
from sijill.audit.models import Entry
from sijill.background import presence, worker
from sijill.domain.message import Message
from sijill.engine.extracts.parsing import EXPECTED
from sijill.engine.extracts.problems import Problem
from sijill.engine.params import Parameters
from sijill.registry.models import Person
from sijill.runs import heartbeat
from sijill.runs import lifecycle as runs
from sijill.runs.models import (
    BACK_OFFICE,
    FAILED,
    QUEUED,
    SUCCEEDED,
    UPLOAD,
    Anomaly,
    Candidate,
    Figures,
    Run,
)
from tests.apps.reconciled import Reconciled, import_country, set_counts
from tests.conftest import Staff
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    COMMUNE,
    COMMUNE_2,
    PROVINCE,
    country_rows,
    write_set,
)

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 10)


def client_of(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def test_a_run_on_the_registers_exports_reconciles_and_imports(
    registers: Staff, settings: object
) -> None:
    run = runs.create(BACK_OFFICE, Parameters(AS_OF), actor="test", with_links=False)
    assert run.status == "queued" and run.stages_total == 10
    runs.execute(run.pk)
    run.refresh_from_db()
    assert run.status == SUCCEEDED and run.progress == 100 and run.error == ""
    assert run.heartbeat_at is not None  # stamped by its progress (runs.heartbeat)
    # The registers were exported, reconciled, and the export removed (personal data).
    assert run.stages_done == run.stages_total and not runs.extracts_folder(run).exists()
    annex = Figures.objects.get(run=run, code=ANNEX_1)
    living = Person.objects.filter(annex_code=ANNEX_1, deceased=False).count()
    assert annex.rnp_persons == living > 0


def test_starting_from_the_page_needs_the_role(registers: Staff) -> None:
    form = {"as_of": "2024-03-10", "threshold": "9.3264284", "validation_days": "1",
            "cnss_days": "30"}  # fmt: skip
    assert client_of(registers.clerk).post("/monitoring/runs/start/", form).status_code == 403
    assert client_of(registers.clerk).get("/monitoring/runs/upload/").status_code == 403
    bad = client_of(registers.supervisor).post("/monitoring/runs/start/", {"as_of": "soon"})
    assert bad.status_code == 400 and not Run.objects.exists()


def test_a_run_started_from_the_page_waits_for_a_worker_which_runs_it(
    committed: None, registers: Staff
) -> None:
    """The page only queues the run (no work in the web request); `sijill worker` runs it,
    in its own transactions (it closes its connections between tasks)."""
    form = {"as_of": "2024-03-10", "threshold": "9.3264284", "validation_days": "1",
            "cnss_days": "30"}  # fmt: skip
    answer = client_of(registers.supervisor).post("/monitoring/runs/start/", form)
    run = Run.objects.get()
    assert answer.status_code == 302 and run.status == QUEUED
    (task,) = heartbeat.tasks(run.pk)
    assert task.status == TaskResultStatus.READY
    worker.serve(batch=True, interval=0.1, settle=heartbeat.settle_interrupted, verbosity=0)
    run.refresh_from_db()
    task.refresh_from_db()
    assert run.status == SUCCEEDED and Figures.objects.filter(run=run).exists()
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, SUCCEEDED)
    assert task.worker_ids and not presence.living()  # the worker's lock went with it


def upload(folder: Path, **broken: bytes) -> dict[str, object]:
    paths = write_set(folder)
    files: dict[str, object] = {
        name: SimpleUploadedFile(path.name, broken.get(name, path.read_bytes()))
        for name, path in paths.items()
    }
    return {"as_of": "2024-03-10", "threshold": "9.3264284", "validation_days": "1",
            "cnss_days": "30", **files}  # fmt: skip


def test_uploaded_extracts_that_break_the_contract_show_the_problems(
    people: Staff, tmp_path: Path
) -> None:
    client = client_of(people.supervisor)
    bad_rnp = b"idcs,cin\n123,X\n"
    response = client.post("/monitoring/runs/upload/", upload(tmp_path, rnp=bad_rnp))
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/monitoring/runs/{run.pk}/"
    runs.execute(run.pk)  # what the background thread does
    run.refresh_from_db()
    assert run.status == FAILED and not Figures.objects.filter(run=run).exists()
    page = client.get(f"/monitoring/runs/{run.pk}/").content.decode()
    problems = page.split('id="problems"', 1)[1]
    assert "rnp.csv" in problems and "first_name_ar" in problems
    assert "colonne requise" in problems and "colonne absente" in problems  # rule, detail
    assert "required column" not in problems and "column missing" not in problems
    assert str(tmp_path) not in page  # the server's folders are not shown
    assert {"detail", "detail_id", "detail_params"} <= set(run.problems[0])


def test_a_failed_runs_problems_are_worded_in_the_readers_language(
    people: Staff, admin: User
) -> None:
    """Problems are stored with their message (nested ones too); one stored before that
    shows its English detail."""
    expected = Message("not {expected}", {"expected": EXPECTED["date"]})
    nested = Problem("rnp.csv", "birth_date", "type", 1, (2,), detail=expected)
    legacy: dict[str, object] = {"file": "amo.csv", "column": "", "rule": "file exists",
        "count": None, "rows": [], "detail": "no such file", "severity": "error"}  # fmt: skip
    run = runs.create(UPLOAD, Parameters(AS_OF), actor="test", with_links=False)
    run.status, run.problems = FAILED, [nested.as_json(), legacy]
    run.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(admin)
    problems = client.get(f"/monitoring/runs/{run.pk}/").content.decode().split('id="problems"')[1]
    with translation.override("ar"):
        worded = expected.render(lambda m, c: gettext(m) if c is None else pgettext(c, m))
        rule, severity = gettext("type"), gettext("error")
    assert worded != str(expected) and "YYYY-MM-DD" in worded
    assert escape(worded) in problems and escape(severity) in problems and rule in problems
    assert "no such file" in problems  # the legacy detail, as it was stored


def test_uploaded_extracts_are_reconciled(people: Staff, tmp_path: Path) -> None:
    client = client_of(people.supervisor)
    assert client.post("/monitoring/runs/upload/", upload(tmp_path)).status_code == 302
    run = Run.objects.get()
    runs.execute(run.pk)
    run.refresh_from_db()
    assert run.status == SUCCEEDED
    assert Figures.objects.get(run=run, code=ANNEX_1).rnp_persons > 0


def test_an_upload_of_another_kind_of_file_is_refused(people: Staff, tmp_path: Path) -> None:
    form = upload(tmp_path)
    form["amo"] = SimpleUploadedFile("amo.xlsx", b"PK")
    response = client_of(people.supervisor).post("/monitoring/runs/upload/", form)
    assert response.status_code == 400 and not Run.objects.exists()
    assert ".csv" in response.content.decode()


def test_progress_is_polled_until_the_run_ends(monitored: Run, admin: User) -> None:
    running = runs.create(BACK_OFFICE, Parameters(AS_OF), actor="test", with_links=False)
    client = client_of(admin)
    partial = client.get(f"/monitoring/runs/{running.pk}/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    assert "HX-Refresh" not in partial
    done = client.get(f"/monitoring/runs/{monitored.pk}/", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.content.decode() and done["HX-Refresh"] == "true"
    history = client.get("/monitoring/runs/").content.decode()
    assert f"#{running.pk}</a>" in history and f"#{monitored.pk}</a>" in history


def test_two_runs_compare_per_territory(
    monitored: Run, people: Staff, country: Reconciled, tmp_path: Path
) -> None:
    second = import_country(country)
    set_counts(second, ANNEX_1, rnp_persons=10)
    before = Figures.objects.get(run=monitored, code=ANNEX_1).rnp_persons
    client = client_of(people.supervisor)
    page = client.get(f"/monitoring/compare/?a={monitored.pk}&b={second.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and "Commune de Casablanca" in html
    response = client.get(f"/monitoring/compare/?a={monitored.pk}&b={second.pk}&format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    annex = next(line.split(",") for line in lines if line.startswith(ANNEX_1))
    assert annex[2:5] == [str(before), "10", str(10 - before)]
    national = f"/monitoring/compare/?a={monitored.pk}&b={second.pk}&code=ALL"
    assert client.get(national).status_code == 404
    assert lines[1].startswith(COMMUNE)


def country_upload(folder: Path, as_of: str = "2024-03-10") -> dict[str, object]:
    paths = write_set(folder, "csv", country_rows())
    files = {name: SimpleUploadedFile(path.name, path.read_bytes()) for name, path in paths.items()}
    return {"as_of": as_of, "threshold": "9.3264284", "validation_days": "1",
            "cnss_days": "30", **files}  # fmt: skip


def selected_run(html: str) -> list[str]:
    choice = html.split('id="run-select"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'value="(\d+)"', choice)


def test_a_commune_run_changes_the_commune_and_nothing_wider(
    monitored: Run, people: Staff, admin: User, tmp_path: Path
) -> None:
    supervisor = client_of(people.supervisor)
    assert supervisor.post("/monitoring/runs/upload/", country_upload(tmp_path)).status_code == 302
    scoped = Run.objects.exclude(pk=monitored.pk).get()
    runs.execute(scoped.pk)
    scoped.refresh_from_db()
    assert scoped.status == SUCCEEDED and scoped.scope_code == COMMUNE
    codes = set(Figures.objects.filter(run=scoped).values_list("code", flat=True))
    assert codes == {COMMUNE, ANNEX_1, ANNEX_2}  # the national run has every territory
    assert set(Anomaly.objects.filter(run=scoped).values_list("annex_code", flat=True)) <= codes
    assert set(Candidate.objects.filter(run=scoped).values_list("annex_code", flat=True)) <= codes
    national = client_of(admin)
    for code in ("ALL", PROVINCE, COMMUNE_2):
        html = national.get(f"/?code={code}").content.decode()
        assert selected_run(html) == [str(monitored.pk)], code
    assert national.get(f"/?code={PROVINCE}&run={scoped.pk}").status_code == 404
    # Inside the commune, the newer commune run is the latest.
    assert selected_run(supervisor.get("/").content.decode())[0] == str(scoped.pk)
    history = supervisor.get("/monitoring/runs/").content.decode()
    assert f"#{scoped.pk}</a>" in history and f"#{monitored.pk}</a>" not in history
    commune = Figures.objects.get(run=scoped, code=COMMUNE)
    assert f'<td class="num">{commune.rnp_persons}</td>' in history  # not the national count


def test_a_reference_day_after_today_is_refused(people: Staff, admin: User) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = {"as_of": tomorrow.isoformat(), "threshold": "9.3264284", "validation_days": "1",
            "cnss_days": "30"}  # fmt: skip
    page = client_of(admin).post("/monitoring/runs/start/", form)
    assert page.status_code == 400 and "postérieure à aujourd&#x27;hui" in page.content.decode()
    with pytest.raises(runs.FutureRun):
        runs.create(BACK_OFFICE, Parameters(tomorrow), actor="test")
    assert not Run.objects.exists()


def test_a_retired_run_leaves_the_dashboards_until_put_back(
    monitored: Run, admin: User, country: Reconciled
) -> None:
    second = import_country(country)
    client = client_of(admin)
    assert selected_run(client.get("/").content.decode())[0] == str(second.pk)
    retire = f"/monitoring/runs/{second.pk}/retire/"
    assert client.post(retire, {"retired": "1"}).status_code == 302
    html = client.get(f"/?code={ANNEX_1}").content.decode()
    assert selected_run(html) == [str(monitored.pk)]
    assert f"(#{second.pk})" not in html.split('id="trend"', 1)[1]
    assert client.get(f"/?run={second.pk}").status_code == 404
    assert "Retirée le" in client.get(f"/monitoring/runs/{second.pk}/").content.decode()
    assert client.post(retire, {"retired": "0"}).status_code == 302
    assert selected_run(client.get("/").content.decode())[0] == str(second.pk)
    actions = list(Entry.objects.filter(target="monitoring.run").values_list("action", flat=True))
    assert actions[-2:] == ["run.retire", "run.reinstate"]


def test_run_pages_are_for_the_runners_of_the_territory(
    monitored: Run, people: Staff, admin: User
) -> None:
    for user in (people.clerk, people.validator, people.cnss):
        client = client_of(user)
        for url in ("/monitoring/runs/", f"/monitoring/runs/{monitored.pk}/"):
            assert client.get(url).status_code == 403, (user.username, url)
        assert client.post(f"/monitoring/runs/{monitored.pk}/retire/").status_code == 403
    supervisor = client_of(people.supervisor)
    assert supervisor.get(f"/monitoring/runs/{monitored.pk}/").status_code == 404
    assert supervisor.post(f"/monitoring/runs/{monitored.pk}/retire/").status_code == 404
    assert f"#{monitored.pk}</a>" not in supervisor.get("/monitoring/runs/").content.decode()
    assert Run.objects.get(pk=monitored.pk).retired_at is None
    assert f"#{monitored.pk}</a>" in client_of(admin).get("/monitoring/runs/").content.decode()
    clerk_menu = client_of(people.clerk).get("/").content.decode()
    assert "/monitoring/runs/" not in clerk_menu


def test_a_run_that_breaks_shows_no_server_detail(
    people: Staff, admin: User, tmp_path: Path
) -> None:
    run = runs.create(UPLOAD, Parameters(AS_OF), actor="test", with_links=False)
    write_set(runs.extracts_folder(run))
    # A folder where the sorted findings go: the import breaks with an OSError naming it.
    (Path(run.work_dir) / "findings.parquet" / "in-the-way").mkdir(parents=True)
    runs.execute(run.pk)
    run.refresh_from_db()
    assert run.status == FAILED and "findings.parquet" in run.error
    assert str(settings.DATA_DIR) not in run.error
    page = client_of(admin).get(f"/monitoring/runs/{run.pk}/").content.decode()
    assert "erreur inattendue" in page and f"exécution {run.pk}" in page
    assert str(settings.DATA_DIR) not in page and run.error not in page


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_run_form_speaks_the_readers_numbers_and_iso_dates(
    people: Staff, admin: User, language: str
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(admin)
    page = client.get("/monitoring/runs/").content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="as_of" value="{today}"' in page  # what a date input reads
    assert 'name="threshold" value="9,3264284"' in page
    form = {"as_of": "2024-03-10", "threshold": "9,5", "validation_days": "1",
            "cnss_days": "30"}  # fmt: skip
    assert client.post("/monitoring/runs/start/", form).status_code == 302
    assert Run.objects.get().parameters["threshold"] == 9.5
