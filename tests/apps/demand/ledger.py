"""A forms ledger drawn at random for the demand tests: every kind, channel and status,
timestamps around local midnights and across Morocco's Ramadan clock change, validator and
CNSS refusals with their reasons, each form written through the ledger's write path
(`sijill.intake.ledger.save`, which keeps the demand's tally); and the statistics counted
from it again, one form at a time in Python, as the tests' reference."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from sijill.accounts.models import User
from sijill.domain import deadlines
from sijill.intake import ledger, workflow
from sijill.intake.models import Form
from sijill.registry.models import AmoFile, Beneficiary

LOCAL_REASONS = ("Pièce manquante", "pièce  manquante", "CIN illisible", "Hors de l'annexe")
CNSS_REASONS = ("covered_elsewhere: CNOPS", "age_limit", "other: doublon", "other: doublon",
                "Refus libre importé", "identity_mismatch: nom")  # fmt: skip


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """A local time of `day`, often close to midnight (where UTC and local days differ)."""
    minutes = rng.choice([5, 30, 23 * 60 + 50, rng.randrange(24 * 60)])
    local = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    made: dt.datetime = timezone.make_aware(local)
    return made


def _later(rng: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    return _moment(rng, timezone.localtime(start).date() + dt.timedelta(days=rng.randint(0, days)))


def write(**fields: object) -> Form:
    """A form written as the ledger writes it (the tally follows)."""
    form = Form(**fields)
    ledger.save(form)
    return form


def draw(clerk: User, annexes: list[str], n: int, today: dt.date, seed: int = 7) -> list[Form]:
    rng = random.Random(seed)
    made = []
    for i in range(n):
        made.append(_form(rng, clerk, rng.choice(annexes), today, i))
    return made


def _form(rng: random.Random, clerk: User, annex: str, today: dt.date, i: int) -> Form:
    status = rng.choice(workflow.STATUSES)
    cnss = status in (workflow.TRANSMITTED, workflow.UNDER_REVIEW, workflow.ACCEPTED) or (
        status == workflow.REJECTED and rng.random() < 0.5
    )
    kind = workflow.AMO_REQUEST if cnss else rng.choice(workflow.KINDS)
    deposited = _moment(rng, today - dt.timedelta(days=rng.randint(0, 150)))
    form = Form(receipt=f"T{i:09d}", kind=kind, channel=rng.choice(workflow.CHANNELS),
                annex_code=annex, clerk=clerk, status=status, deposited_at=deposited)  # fmt: skip
    if status != workflow.DEPOSITED and not (status == workflow.REJECTED and rng.random() < 0.3):
        form.captured_at = _later(rng, deposited, 1)
    if status in (workflow.VALIDATED, workflow.TRANSMITTED, workflow.UNDER_REVIEW,
                  workflow.ACCEPTED) or cnss:  # fmt: skip
        form.validated_at = _later(rng, form.captured_at or deposited, 3)
    if cnss:
        form.transmitted_at = _later(rng, form.validated_at or deposited, 2)
        if status in (workflow.ACCEPTED, workflow.REJECTED):
            decided = _later(rng, form.transmitted_at, 45)
            setattr(form, f"{status}_at", decided)
        form.register_key = f"F{i:09d}"
    elif status == workflow.REJECTED:
        form.rejected_at = _later(rng, deposited, 2)
        form.rejection_reason = rng.choice(LOCAL_REASONS)
    if cnss:  # the file and CNSS's decisions exist when the decided form is written
        _file(rng, form)
    ledger.save(form)
    return form


def _file(rng: random.Random, form: Form) -> None:
    amo = AmoFile.objects.create(amo_file_id=form.register_key, household_id=f"H{form.receipt}",
                                 annex_code=form.annex_code, status=form.status,
                                 deposited_at=form.deposited_at)  # fmt: skip
    for j in range(rng.randint(1, 3)):
        refused = form.status == workflow.REJECTED or (form.status == workflow.ACCEPTED and j == 2)
        Beneficiary.objects.create(
            beneficiary_id=f"{form.register_key}-{j}", file=amo, relation="other",
            first_name_ar="س", last_name_ar="س", first_name_lat="S", last_name_lat="S", sex="F",
            birth_date=dt.date(1990, 1, 1), decision="rejected" if refused else None,
            rejection_reason=rng.choice(CNSS_REASONS) if refused else None,
        )  # fmt: skip


def day(moment: dt.datetime) -> dt.date:
    local: dt.datetime = timezone.localtime(moment)
    return local.date()


@dataclass
class Expected:
    deposits: Counter[tuple[str, str]] = field(default_factory=Counter)
    backlog: Counter[tuple[str, int]] = field(default_factory=Counter)  # (status, band index)
    validation: list[int] = field(default_factory=lambda: [0, 0])  # done, due
    cnss: list[int] = field(default_factory=lambda: [0, 0])
    local_reasons: Counter[str] = field(default_factory=Counter)
    per_annex: Counter[str] = field(default_factory=Counter)


BAND_LIMITS = (1, 7, 30, 90)


def by_hand(forms: list[Form], today: dt.date) -> Expected:
    """The statistics of `forms`, one form at a time."""
    found = Expected()
    for f in forms:
        found.deposits[(f.kind, f.channel)] += 1
        found.per_annex[f.annex_code] += 1
        age = (today - day(f.deposited_at)).days
        if not workflow.is_final(f.kind, f.status):
            band = sum(1 for limit in BAND_LIMITS if age > limit)
            found.backlog[(f.status, band)] += 1
        waiting = f.status in (workflow.DEPOSITED, workflow.CAPTURED)
        if f.validated_at or (waiting and age > deadlines.VALIDATION_DAYS):
            found.validation[1] += 1
            if f.validated_at and not deadlines.is_stale(day(f.deposited_at),
                                                         day(f.validated_at)):  # fmt: skip
                found.validation[0] += 1
        decided = f.accepted_at or f.rejected_at
        if f.transmitted_at and (decided or (today - day(f.transmitted_at)).days > 30):
            found.cnss[1] += 1
            if decided and not deadlines.sla_breached(day(f.transmitted_at), day(decided), today):
                found.cnss[0] += 1
        if f.status == workflow.REJECTED and f.transmitted_at is None and f.rejection_reason:
            found.local_reasons[" ".join(f.rejection_reason.split()).casefold()] += 1
    return found
