"""`sijill daily`: the Ministry's daily rhythm, run once a day by a timer, idempotent per day.

1. Each territory's transmission batch: the AMO requests validated before the day (the day
   before, and any older one a missed day left) are sent to CNSS by the validator of their
   territory (`intake.cnss.transmit`), one batch per validator; each batch's CNSS file is
   written by a background task. An annex with nobody to transmit is listed.
2. The late files: pending validation beyond their day, at CNSS close to or beyond their 30
   days, per annex (`operations.notices`).
3. The notices: on the dashboards, and by e-mail to the validators of each annex (and to
   CNSS's agents for the CNSS files), once a day each.
4. The nightly reconciliation of the registers: one national run a day, queued for the
   worker like any run (`runs.lifecycle`).

Running a day again changes nothing: the files of step 1 are transmitted already, the day's
notices and e-mails exist once, and so does its run (`operations.models.Day`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from sijill.accounts import roles
from sijill.accounts.models import User
from sijill.audit.chain import Change, record
from sijill.engine import Parameters
from sijill.intake import cnss, workflow
from sijill.intake.ledger import NotPossible
from sijill.intake.models import Form
from sijill.operations import notices
from sijill.operations.models import Day
from sijill.operations.tasks import write_batch_file
from sijill.runs import lifecycle
from sijill.runs.heartbeat import settle_interrupted
from sijill.runs.models import BACK_OFFICE
from sijill.territories.models import TerritoryLink

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    day: dt.date
    batches: list[dict[str, object]] = field(default_factory=list)  # built by this run
    untransmitted: list[str] = field(default_factory=list)  # annexes without a validator
    notices: int = 0
    mailed: int = 0  # e-mails sent by this run
    run_id: int | None = None
    run_started: bool = False  # by this run (else: the day's run existed already)


def _depth(code: str | None) -> int:
    return TerritoryLink.objects.filter(descendant_id=code).count() if code else 0


def transmitters(annexes: set[str]) -> dict[str, User]:
    """Who transmits each annex's files: among the active users who may transmit, placed in
    a territory holding the annex, the closest to it (a validator before a supervisor)."""
    able = [
        u
        for u in User.objects.filter(is_active=True, territory__isnull=False).order_by("pk")
        if roles.may(u.role, roles.TRANSMIT)
    ]
    depth = {u.territory_id: _depth(u.territory_id) for u in able}
    chosen: dict[str, User] = {}
    for annex in annexes:
        above = set(
            TerritoryLink.objects.filter(descendant_id=annex).values_list("ancestor_id", flat=True)
        )
        candidates = [u for u in able if u.territory_id in above]
        if candidates:
            chosen[annex] = min(
                candidates,
                key=lambda u: (-depth[u.territory_id], u.role != roles.VALIDATOR, u.pk),
            )
    return chosen


def transmit_validated(day: dt.date, actor: str, outcome: Outcome) -> None:
    """Step 1: one batch per transmitting validator, of the AMO requests validated before
    `day` and still waiting; their CNSS files are written in the background."""
    since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    waiting = Form.objects.filter(
        kind=workflow.AMO_REQUEST, status=workflow.VALIDATED, validated_at__lt=since
    )
    by_annex: dict[str, list[str]] = defaultdict(list)
    for annex, receipt in waiting.order_by("validated_at", "id").values_list(
        "annex_code", "receipt"
    ):
        by_annex[annex].append(receipt)
    chosen = transmitters(set(by_annex))
    outcome.untransmitted = sorted(set(by_annex) - set(chosen))
    by_user: dict[User, list[str]] = defaultdict(list)
    for annex, user in chosen.items():
        by_user[user].extend(by_annex[annex])
    for user, receipts in sorted(by_user.items(), key=lambda item: item[0].pk):
        try:
            batch = cnss.transmit(user, receipts)
        except NotPossible:  # transmitted meanwhile, by hand
            continue
        files = batch.forms.count()
        built = {"number": batch.number, "territory": batch.territory_code, "files": files}
        outcome.batches.append(built)
        record(Change(actor, "daily.transmit", "intake.batch", batch.number, after=built))
        transaction.on_commit(
            lambda n=batch.number, u=user.username: write_batch_file.enqueue(n, u)
        )


def nightly_run(day: dt.date, actor: str, state: Day, with_links: bool, outcome: Outcome) -> None:
    """Step 4: the day's national run on the registers, queued once."""
    if state.run_id is not None:
        outcome.run_id = state.run_id
        return
    with transaction.atomic():
        run = lifecycle.create(BACK_OFFICE, Parameters(day), actor=actor, with_links=with_links)
        lifecycle.launch(run)
        state.run = run
        state.save(update_fields=["run"])
    outcome.run_id, outcome.run_started = run.pk, True


def run_day(
    day: dt.date | None = None, *, actor: str, reconcile: bool = True, with_links: bool = True
) -> Outcome:
    """The four steps for `day` (today unless told); FutureRun for a day after today."""
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise lifecycle.FutureRun(day.isoformat())
    outcome = Outcome(day)
    state, _ = Day.objects.get_or_create(day=day)
    settle_interrupted()  # a run whose worker stopped is started again before the day's
    transmit_validated(day, actor, outcome)
    if outcome.batches or outcome.untransmitted:
        state.batches = [*state.batches, *outcome.batches]
        state.untransmitted = outcome.untransmitted
        state.save(update_fields=["batches", "untransmitted"])
    found = notices.record(day)
    outcome.notices = len(found)
    outcome.mailed = notices.mail(day, found)
    if reconcile:
        nightly_run(day, actor, state, with_links, outcome)
    if state.finished_at is None:
        state.finished_at = timezone.now()
        state.save(update_fields=["finished_at"])
    log.info(
        "daily done",
        extra={"day": day.isoformat(), "batches": len(outcome.batches),
               "notices": outcome.notices, "mailed": outcome.mailed, "run": outcome.run_id},
    )  # fmt: skip
    return outcome
