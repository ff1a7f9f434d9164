"""sijill.intake.cnss: transmission batches, review, decision, and the AMO file following along."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sijill.accounts.access import NotAllowed, NotVisible
from sijill.engine.extracts.reading import read_extracts
from sijill.intake import approval, cnss, counter, workflow
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.intake.models import Form
from sijill.registry.models import AmoFile
from tests.apps.backoffice import ANNEX_1, ANNEX_2, fassi_family, household_payload
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def validated_amo_request(people: Staff, annex: str = ANNEX_1) -> Form:
    clerk, validator = (
        (people.clerk, people.validator)
        if annex == ANNEX_1
        else (people.clerk_b, people.validator_b)
    )
    form, _ = counter.deposit(clerk, kind="rsu_declaration", channel="counter", annex_code=annex)
    counter.capture(clerk, form.receipt, household_payload(fassi_family(annex)))
    _, step = approval.validate(validator, form.receipt)
    assert step is not None
    counter.capture(clerk, step.receipt, step.payload)
    amo_form, _ = approval.validate(validator, step.receipt)
    return amo_form


def test_a_batch_takes_the_validated_requests_of_the_territory_only(people: Staff) -> None:
    mine = validated_amo_request(people)
    theirs = validated_amo_request(people, ANNEX_2)
    batch = cnss.transmit(people.validator)
    assert list(batch.forms.values_list("receipt", flat=True)) == [mine.receipt]
    mine.refresh_from_db()
    assert mine.status == workflow.TRANSMITTED and mine.transmitted_at
    assert AmoFile.objects.get(amo_file_id=mine.register_key).status == "transmitted"
    assert Form.objects.get(pk=theirs.pk).status == workflow.VALIDATED
    with pytest.raises(NotPossible):
        cnss.transmit(people.validator)


def test_cnss_reviews_then_accepts(people: Staff) -> None:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    with pytest.raises(NotAllowed):
        cnss.decide(people.validator, form.receipt, accepted=True)
    assert cnss.review(people.cnss, form.receipt).status == workflow.UNDER_REVIEW
    accepted = cnss.decide(people.cnss, form.receipt, accepted=True)
    assert accepted.status == workflow.ACCEPTED and accepted.accepted_at
    amo_file = AmoFile.objects.get(amo_file_id=form.register_key)
    assert (amo_file.status, amo_file.rejection_reason) == ("accepted", None)
    assert amo_file.decided_at == accepted.accepted_at


def test_a_rejection_by_cnss_carries_its_reason_to_the_file(people: Staff) -> None:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    with pytest.raises(GateFailed):
        cnss.decide(people.cnss, form.receipt, accepted=False)
    rejected = cnss.decide(people.cnss, form.receipt, accepted=False, reason="déjà couvert (CNSS)")
    assert rejected.status == workflow.REJECTED
    amo_file = AmoFile.objects.get(amo_file_id=form.register_key)
    assert (amo_file.status, amo_file.rejection_reason) == ("rejected", "déjà couvert (CNSS)")


def test_only_transmitted_files_can_be_decided(people: Staff) -> None:
    form = validated_amo_request(people)
    with pytest.raises(NotPossible):
        cnss.decide(people.cnss, form.receipt, accepted=True)


def test_a_regional_cnss_agent_sees_only_their_region(people: Staff) -> None:
    from tests.apps.backoffice import staff

    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    elsewhere = staff("cnss_oriental", "cnss", "02")
    with pytest.raises(NotVisible):
        cnss.review(elsewhere, form.receipt)


def test_a_batch_is_written_as_the_contract_amo_extract(people: Staff, tmp_path: Path) -> None:
    form = validated_amo_request(people)
    batch = cnss.transmit(people.validator)
    path = tmp_path / "batch" / "amo.parquet"
    rows = cnss.batch_extract(people.validator, batch.number, path)
    amo_file = AmoFile.objects.get(amo_file_id=form.register_key)
    assert rows == amo_file.beneficiaries.count() > 0
    with duckdb.connect() as con:
        _, problems = read_extracts(con, {"amo": path})
        assert [p for p in problems if p.is_error] == []
        found = con.execute(f"SELECT DISTINCT amo_file_id, status FROM '{path}'").fetchall()
    assert found == [(amo_file.amo_file_id, "transmitted")]


def test_a_batch_of_another_territory_is_not_visible(people: Staff, tmp_path: Path) -> None:
    validated_amo_request(people)
    batch = cnss.transmit(people.validator)
    with pytest.raises(NotVisible):
        cnss.batch_extract(people.validator_b, batch.number, tmp_path / "amo.parquet")
    assert not (tmp_path / "amo.parquet").exists()
