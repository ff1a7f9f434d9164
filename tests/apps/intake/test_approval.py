"""sijill.intake.approval: the daily queue, oldest first, and validation on today's registers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sijill.accounts.access import NotAllowed, NotVisible
from sijill.intake import approval, counter, workflow
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form
from sijill.registry.models import Household
from tests.apps.backoffice import ANNEX_1, ANNEX_2, fassi_family, household_payload
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def captured(people: Staff, clerk_annex: str = ANNEX_1) -> Form:
    clerk = people.clerk if clerk_annex == ANNEX_1 else people.clerk_b
    form, _ = counter.deposit(
        clerk, kind="rsu_declaration", channel="counter", annex_code=clerk_annex
    )
    return counter.capture(clerk, form.receipt, household_payload(fassi_family(clerk_annex)))


def test_the_queue_is_oldest_first_and_scoped(people: Staff) -> None:
    forms = []
    for days_ago in (1, 3, 2):
        form, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
        form.deposited_at = timezone.now() - dt.timedelta(days=days_ago)
        form.status = workflow.CAPTURED
        form.save()
        forms.append(form.receipt)
    other, _ = counter.deposit(people.clerk_b, kind="other", channel="counter", annex_code=ANNEX_2)
    Form.objects.filter(pk=other.pk).update(status=workflow.CAPTURED)
    mine = list(approval.queue(people.validator).values_list("receipt", flat=True))
    assert mine == [forms[1], forms[2], forms[0]]
    assert other.receipt in approval.queue(people.supervisor).values_list("receipt", flat=True)
    assert other.receipt in approval.queue(people.cnss).values_list("receipt", flat=True)


def test_validation_writes_the_household(people: Staff) -> None:
    form = captured(people)
    validated, _ = approval.validate(people.validator, form.receipt)
    assert validated.status == workflow.VALIDATED and validated.validated_at
    household = Household.objects.get(household_id=validated.register_key)
    assert household.members.count() == 3 and household.annex_code == ANNEX_1


def test_validation_reruns_the_gates_on_todays_registers(people: Staff) -> None:
    first, second = captured(people), None
    approval.validate(people.validator, first.receipt)
    # The same family declared again: now its members already belong to a household.
    second_form, _ = counter.deposit(
        people.clerk, kind="rsu_declaration", channel="counter", annex_code=ANNEX_1
    )
    second_form.payload = first.payload
    second_form.status = workflow.CAPTURED
    second_form.save()
    with pytest.raises(GateFailed) as raised:
        approval.validate(people.validator, second_form.receipt)
    assert {v.rule for v in raised.value.violations} == {"in_other_household"}
    second = Form.objects.get(pk=second_form.pk)
    assert second.status == workflow.CAPTURED and len(second.violations) == 3


def test_only_validators_of_the_territory_validate(people: Staff) -> None:
    form = captured(people)
    with pytest.raises(NotAllowed):
        approval.validate(people.clerk, form.receipt)
    with pytest.raises(NotVisible):
        approval.validate(people.validator_b, form.receipt)
    approval.validate(people.supervisor, form.receipt)
    with pytest.raises(NotPossible):
        approval.validate(people.supervisor, form.receipt)


def test_a_rejection_needs_a_reason(people: Staff) -> None:
    form = captured(people)
    with pytest.raises(GateFailed):
        approval.reject(people.validator, form.receipt, "  ")
    rejected = approval.reject(people.validator, form.receipt, "pièces justificatives manquantes")
    assert rejected.status == workflow.REJECTED and rejected.rejected_at
    assert workflow.is_final(rejected.kind, rejected.status)
