"""sijill.demand.tally: every write of the ledger keeps the tally equal to the ledger counted
again, in its own transaction; the check finds a tally that drifted and the rebuild (the
migration's, the command's) counts it again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from sijill.demand import tally
from sijill.demand.models import Reason, Tally
from sijill.demand.statistics import Period, counted, measure
from sijill.intake import approval, cnss, counter, workflow
from sijill.intake.models import Form
from tests.apps.demand.ledger import draw
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, PROVINCE, REGION

pytestmark = pytest.mark.django_db


def agrees(code: str | None = None) -> int:
    """The nation's (or region's) statistics from the tally equal those counted from the
    forms, today; returns the forms counted."""
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=365), today)
    found = measure(code, period, today)
    assert found == counted(code, period, today)
    assert tally.differences() == []
    return found.total


def test_each_step_of_the_ledger_is_counted_at_once(people: Staff) -> None:
    form = validated_amo_request(people)  # two deposits, two captures, two validations
    assert agrees() == agrees(REGION) == Form.objects.count() == 2
    today = timezone.localdate()
    period = Period(today, today)
    assert measure(None, period, today).backlog[workflow.VALIDATED] == [1, 0, 0, 0, 0]
    cnss.transmit(people.validator)
    assert agrees() == 2
    assert measure(None, period, today).backlog[workflow.TRANSMITTED] == [1, 0, 0, 0, 0]
    cnss.decide(people.cnss, form.receipt, cnss.Decision(False, "covered_elsewhere", "CNOPS"))
    found = measure(None, period, today)
    assert agrees() == 2 and found.backlog == {}
    assert found.cnss_reasons == [("covered_elsewhere", 3)]
    assert (found.cnss.done, found.cnss.due) == (1, 1)
    refused, _ = counter.deposit(people.clerk, kind="other", channel="online", annex_code=ANNEX_1)
    approval.reject(people.validator, refused.receipt, "Pièce manquante")
    assert agrees() == 3
    assert measure(None, period, today).local_reasons == [("Pièce manquante", 1)]


def test_a_step_rolled_back_leaves_the_tally_as_it_was(people: Staff) -> None:
    kept, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
    before = list(Tally.objects.values())
    with pytest.raises(RuntimeError), transaction.atomic():
        counter.deposit(people.clerk_b, kind="other", channel="online", annex_code=ANNEX_2)
        approval.reject(people.validator, kept.receipt, "Doublon")
        raise RuntimeError("the request failed after its writes")
    assert list(Tally.objects.values()) == before
    assert not Reason.objects.exists()
    assert agrees() == 1


def test_the_check_finds_a_drift_and_the_rebuild_repairs_it(people: Staff) -> None:
    today = timezone.localdate()
    draw(people.clerk, [ANNEX_1, ANNEX_2], 80, today)
    assert agrees() > 0
    out = io.StringIO()
    with translation.override("fr"):
        call_command("demand_tally", "check", stdout=out)
    assert (
        out.getvalue().strip()
        == "Le décompte de la demande est conforme au registre des formulaires."
    )
    Tally.objects.filter(province=PROVINCE).update(validated=-5)
    Form.objects.filter(status=workflow.DEPOSITED).update(status=workflow.CAPTURED)  # a bulk write
    errors = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("demand_tally", "check", stdout=out, stderr=errors)
    assert failed.value.returncode == 1
    drifted = errors.getvalue().splitlines()
    assert drifted and all(line.startswith("tally ") for line in drifted)
    assert any(line.endswith(PROVINCE) for line in drifted)
    call_command("demand_tally", "rebuild", stdout=out)
    assert agrees() > 0


def test_the_migration_tallies_a_ledger_that_exists(people: Staff) -> None:
    """The rebuild the migration runs works on the models as they were then."""
    today = timezone.localdate()
    draw(people.clerk, [ANNEX_1, ANNEX_2], 40, today)
    Tally.objects.all().delete()
    executor = MigrationExecutor(connection)
    then = executor.loader.project_state(("demand", "0001_initial")).apps
    assert tally.rebuild(then) > 0
    assert agrees() > 0
