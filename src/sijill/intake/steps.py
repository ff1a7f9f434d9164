"""What a validated form changes in the registers, and the step it opens next.

Integrated registration: a person new to the RNP is invited to declare a household in the
RSU; a household whose score is within the AMO Tadamon threshold is invited to enroll.
Each invitation is a form of its own in the ledger, with its own receipt, linked to the
form that opened it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.utils import timezone

from sijill.domain import rules, scoring
from sijill.domain.rules import PersonRow
from sijill.intake import drafts, gates, ledger, workflow
from sijill.intake.models import Form
from sijill.intake.receipts import new_receipt
from sijill.registry import writes
from sijill.registry.models import AmoFile, Household


def apply(form: Form, verdict: gates.Verdict, actor: str) -> Form | None:
    """Write the validated form into its register; returns the step it opened, if any."""
    if form.kind == workflow.RNP_REGISTRATION:
        return _registration(form, actor)
    if form.kind in (workflow.RSU_DECLARATION, workflow.RSU_UPDATE):
        assert verdict.score is not None, "a household passes its gate only with a score"
        return _household(form, verdict.score, actor)
    if form.kind == workflow.AMO_REQUEST:
        _amo(form, actor)
    return None


def _registration(form: Form, actor: str) -> Form:
    body = drafts.section(form.payload, "person")
    row = drafts.person(body)
    person = writes.register_person(row, form.annex_code, str(body.get("address")), actor)
    form.register_key = person.idcs
    form.citizen_idcs_key = ledger.citizen_key(person.idcs)
    adult = row.birth_date and rules.age(row.birth_date, timezone.localdate()) >= rules.ADULT
    head = replace(row, idcs=person.idcs, relation="head" if adult else "")
    household = {"address": person.address, "members": [drafts.as_payload(head)]}
    return open_step(form, workflow.RSU_DECLARATION, {"household": household}, actor)


def _household(form: Form, score: scoring.Score, actor: str) -> Form | None:
    body = drafts.section(form.payload, "household")
    members = drafts.people(body.get("members"))
    household_id = str(form.payload.get("household_id") or "") or None
    household = writes.save_household(
        household_id, form.annex_code, str(body.get("address")), score.value, members, actor
    )
    form.register_key = household.household_id
    enrolled = AmoFile.objects.filter(household_id=household.household_id).exists()
    if enrolled or not scoring.eligible(score.value):
        return None
    payload = amo_payload(household.household_id, members)
    return open_step(form, workflow.AMO_REQUEST, payload, actor)


def amo_payload(household_id: str, members: Sequence[PersonRow]) -> dict[str, Any]:
    """An AMO request for every member of an RSU household, as its capture stores it."""
    beneficiaries = [
        drafts.as_payload(replace(m, relation=_amo_relation(m.relation))) for m in members
    ]
    return {"household_id": household_id, "beneficiaries": beneficiaries}


def _amo_relation(relation: str) -> str:
    return rules.AMO_RELATION_OF.get(relation, "other")


def _amo(form: Form, actor: str) -> None:
    household = Household.objects.get(household_id=form.payload.get("household_id"))
    beneficiaries = drafts.people(form.payload.get("beneficiaries"))
    amo_file = writes.open_amo_file(household, beneficiaries, form.deposited_at, actor)
    form.register_key = amo_file.amo_file_id


def open_step(form: Form, kind: str, payload: dict[str, Any], actor: str) -> Form:
    step = Form(
        receipt=new_receipt(),
        kind=kind,
        channel=workflow.INTEGRATED,
        annex_code=form.annex_code,
        clerk=form.clerk,
        status=workflow.DEPOSITED,
        payload=payload,
        parent=form,
        citizen_cin_key=form.citizen_cin_key,
        citizen_idcs_key=form.citizen_idcs_key,
        deposited_at=timezone.now(),
    )
    ledger.save(step)
    ledger.audit(actor, "open_step", step, None)
    return step
