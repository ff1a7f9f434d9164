"""sijill.intake.cnss: transmission batches, review, decision, and the AMO file following along."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from django.utils import translation

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
        cnss.decide(people.validator, form.receipt, cnss.ACCEPT)
    assert cnss.review(people.cnss, form.receipt).status == workflow.UNDER_REVIEW
    accepted = cnss.decide(people.cnss, form.receipt, cnss.ACCEPT)
    assert accepted.status == workflow.ACCEPTED and accepted.accepted_at
    amo_file = AmoFile.objects.get(amo_file_id=form.register_key)
    assert amo_file.status == "accepted" and amo_file.decided_at == accepted.accepted_at
    decided = [(b.decision, b.rejection_reason) for b in amo_file.beneficiaries.all()]
    assert decided == [("accepted", None)] * 3


def test_a_rejection_by_cnss_carries_its_reason_to_the_file(people: Staff) -> None:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    for incomplete in (
        cnss.Decision(False),
        cnss.Decision(False, "other"),
        cnss.Decision(False, "??"),
    ):
        with pytest.raises(GateFailed):
            cnss.decide(people.cnss, form.receipt, incomplete)
    refusal = cnss.Decision(False, "covered_elsewhere", "CNOPS")
    rejected = cnss.decide(people.cnss, form.receipt, refusal)
    assert rejected.status == workflow.REJECTED
    assert rejected.rejection_reason == "covered_elsewhere: CNOPS"
    amo_file = AmoFile.objects.get(amo_file_id=form.register_key)
    assert amo_file.status == "rejected"
    reasons = {b.rejection_reason for b in amo_file.beneficiaries.all()}
    assert reasons == {"covered_elsewhere: CNOPS"}
    assert cnss.reason_of(rejected.rejection_reason) == cnss.Reason("covered_elsewhere", "CNOPS")
    with translation.override("fr"):
        said = cnss.said(rejected.rejection_reason)
    assert said == "Déjà couvert par un autre régime d'assurance maladie — CNOPS"


def test_a_reason_is_said_in_the_readers_words_and_free_text_as_written() -> None:
    with translation.override("fr"):
        assert cnss.said("age_limit; other: dossier incomplet") == (
            "Enfant au-delà de l'âge limite de couverture; Autre motif, précisé dans la note"
            " — dossier incomplet"
        )
        assert cnss.said("pièce manquante") == "pièce manquante"
        assert cnss.said(None) == cnss.said("") == ""


def test_cnss_refuses_one_beneficiary_and_covers_the_others(people: Staff) -> None:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    daughter, *others = sorted(cnss.beneficiaries(form), key=lambda b: b.relation != "child")
    with pytest.raises(GateFailed):
        cnss.decide(people.cnss, form.receipt, cnss.ACCEPT, {"nobody": cnss.ACCEPT})
    aged = cnss.Decision(False, "age_limit")
    decided = cnss.decide(people.cnss, form.receipt, cnss.ACCEPT, {daughter.beneficiary_id: aged})
    assert decided.status == workflow.ACCEPTED and decided.rejection_reason is None
    daughter.refresh_from_db()
    assert (daughter.decision, daughter.rejection_reason) == ("rejected", "age_limit")
    for other in others:
        other.refresh_from_db()
        assert (other.decision, other.rejection_reason) == ("accepted", None)


def test_only_transmitted_files_can_be_decided(people: Staff) -> None:
    form = validated_amo_request(people)
    with pytest.raises(NotPossible):
        cnss.decide(people.cnss, form.receipt, cnss.ACCEPT)


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
