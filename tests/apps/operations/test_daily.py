"""sijill.operations.daily: the daily rhythm builds the batches, finds the late files, tells
the dashboards and the validators by e-mail, queues the nightly run — and a second run of the
same day changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sijill.audit.models import Entry
from sijill.intake import counter, workflow
from sijill.intake.models import Form, TransmissionBatch
from sijill.operations import daily, notices
from sijill.operations.models import Day, Delivery, Notice
from sijill.runs import heartbeat
from sijill.runs.models import Run
from tests.apps.backoffice import ANNEX_1, ANNEX_2, staff
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 10)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    moment: dt.datetime = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return moment


def days_before(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def day_of_work(people: Staff, settings: Any) -> Staff:
    """Annex 1 with: an AMO request validated yesterday, a form deposited three days ago
    still captured, and files at CNSS for 27 and 35 days. Validators and CNSS have e-mail."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    addresses = {
        people.validator: "v1@example.ma",
        people.validator_b: "v2@x.ma",
        people.cnss: "cnss@example.ma",
        people.supervisor: "sup@x.ma",
    }
    for user, address in addresses.items():
        user.email = address
        user.save()
    amo = validated_amo_request(people)
    Form.objects.filter(pk=amo.pk).update(validated_at=at(days_before(1)))
    late, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
    counter.capture(people.clerk, late.receipt, {"note": "x"})
    Form.objects.filter(pk=late.pk).update(deposited_at=at(days_before(3)))
    for age in (27, 35):
        sent, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
        Form.objects.filter(pk=sent.pk).update(
            status=workflow.TRANSMITTED, transmitted_at=at(days_before(age))
        )
    return people


def snapshot() -> dict[str, object]:
    return {
        "forms": sorted(Form.objects.values_list("receipt", "status", "batch_id")),
        "batches": TransmissionBatch.objects.count(),
        "notices": sorted(Notice.objects.values_list("annex_code", "kind", "count")),
        "deliveries": Delivery.objects.count(),
        "runs": Run.objects.count(),
        "tasks": DBTaskResult.objects.count(),
        "audit": Entry.objects.count(),
        "mails": len(mail.outbox),
        "days": list(Day.objects.values_list("day", "batches", "run_id", "finished_at")),
    }


def test_a_day_transmits_notifies_and_queues_the_nightly_run(
    day_of_work: Staff, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = daily.run_day(TODAY, actor="cli:test")
    # 1. The AMO request validated yesterday went to CNSS, in annex 1's validator's batch.
    (built,) = outcome.batches
    batch = TransmissionBatch.objects.get(number=built["number"])
    assert (batch.territory_code, built["files"]) == (ANNEX_1, 1)
    assert batch.created_by == day_of_work.validator
    assert Entry.objects.filter(action="daily.transmit").count() == 1
    file_task = DBTaskResult.objects.get(task_path__endswith="write_batch_file")
    assert file_task.status == TaskResultStatus.READY
    # 2. The late files, per annex and kind.
    found = {(n.annex_code, n.kind): n.count for n in Notice.objects.filter(day=TODAY)}
    assert found == {
        (ANNEX_1, notices.VALIDATION_LATE): 1,
        (ANNEX_1, notices.CNSS_NEAR): 1,
        (ANNEX_1, notices.CNSS_LATE): 1,
    }
    # 3. E-mails: annex 1's validator and the commune's supervisor (all three), CNSS (its
    # two); annex 2's validator has nothing late and gets nothing.
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {"v1@example.ma", "sup@x.ma", "cnss@example.ma"}
    assert outcome.mailed == 3
    text = told["v1@example.ma"].body
    assert "Dossiers en attente de validation au-delà de leur jour : 1" in text
    assert "ملفات لدى الصندوق تجاوزت أجل 30 يومًا" in text  # every language of the catalogues
    late = Form.objects.get(status=workflow.CAPTURED)
    assert late.receipt in text
    assert "Dossiers en attente" not in told["cnss@example.ma"].body
    # 4. The nightly national run, queued for the worker.
    run = Run.objects.get(pk=outcome.run_id)
    assert (run.status, run.territory_id, run.as_of) == ("queued", None, TODAY)
    assert heartbeat.tasks(run.pk).count() == 1


def test_running_a_day_twice_changes_nothing(
    day_of_work: Staff, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        first = daily.run_day(TODAY, actor="cli:test")
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        again = daily.run_day(TODAY, actor="cli:test")
    assert snapshot() == before
    assert (again.batches, again.mailed, again.run_started) == ([], 0, False)
    assert again.run_id == first.run_id


def test_an_annex_without_anyone_to_transmit_is_listed(
    people: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    amo = validated_amo_request(people, ANNEX_2)
    Form.objects.filter(pk=amo.pk).update(validated_at=at(days_before(1)))
    for user in (people.validator_b, people.supervisor):
        user.is_active = False
        user.save()
    outcome = daily.run_day(TODAY, actor="cli:test", reconcile=False)
    assert (outcome.batches, outcome.untransmitted) == ([], [ANNEX_2])
    assert Form.objects.get(pk=amo.pk).status == workflow.VALIDATED


def test_a_supervisor_transmits_where_no_validator_is(
    people: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    amo = validated_amo_request(people, ANNEX_2)
    Form.objects.filter(pk=amo.pk).update(validated_at=at(days_before(1)))
    people.validator_b.is_active = False
    people.validator_b.save()
    (built,) = daily.run_day(TODAY, actor="cli:test", reconcile=False).batches
    assert TransmissionBatch.objects.get(number=built["number"]).created_by == people.supervisor


def test_files_validated_today_wait_for_tomorrow(
    people: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    amo = validated_amo_request(people)
    Form.objects.filter(pk=amo.pk).update(validated_at=at(TODAY, 8))
    assert daily.run_day(TODAY, actor="cli:test", reconcile=False).batches == []
    assert Form.objects.get(pk=amo.pk).status == workflow.VALIDATED


def test_the_dashboards_show_the_late_files_of_their_territory(
    day_of_work: Staff, monitored: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    daily.run_day(TODAY, actor="cli:test", reconcile=False)
    admin = staff("admin2", "admin", None)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(admin)
    tile = client.get(f"/?code={ANNEX_1}").content.decode().split('id="notices"', 1)[1]
    tile = tile.split("</section>", 1)[0]
    assert "Dossiers à la CNSS au-delà de leurs 30 jours" in tile
    assert "Validez-les ou rejetez-les aujourd" in tile
    other = client.get(f"/?code={ANNEX_2}").content.decode().split('id="notices"', 1)[1]
    assert "Aucun dossier en retard" in other.split("</section>", 1)[0]
