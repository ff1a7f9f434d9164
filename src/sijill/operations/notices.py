"""What `sijill daily` tells each annex: the files waiting for validation beyond their day,
and the files at CNSS close to or beyond their 30 days (vocabulary.NOTICES).

A day's notices are computed once (one row per day, annex and kind: running the day again
adds nothing) and said twice: on the dashboard of every territory above the annex (the
`notices` tile) and by e-mail, through Django's e-mail backend, to the people who can act —
the validators and supervisors whose territory holds the annex, and CNSS's agents for the
CNSS files. Each user gets at most one e-mail a day, in every language of the catalogues.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from sijill import i18n
from sijill.accounts import roles
from sijill.accounts.models import User
from sijill.domain import deadlines, vocabulary
from sijill.intake import workflow
from sijill.intake.models import Form
from sijill.operations.models import Day, Delivery, Notice
from sijill.territories import scope
from sijill.territories.models import Territory, TerritoryLink

VALIDATION_LATE, CNSS_NEAR, CNSS_LATE = tuple(vocabulary.NOTICES)
CNSS_KINDS = frozenset({CNSS_NEAR, CNSS_LATE})
NEAR_DAYS = 5  # a CNSS file whose 30 days end within this many days is close to them
RECEIPTS_KEPT = 50  # the oldest receipts an e-mail lists, per annex and kind
PENDING = (workflow.DEPOSITED, workflow.CAPTURED)
AT_CNSS = (workflow.TRANSMITTED, workflow.UNDER_REVIEW)


def _midnight(day: dt.date) -> dt.datetime:
    moment: dt.datetime = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return moment


def late_files(day: dt.date) -> dict[tuple[str, str], list[str]]:
    """Receipts by (annex, kind), oldest first, as they stand on `day` (the contract's
    clocks: validation due the day after deposit, CNSS's decision within 30 days)."""
    # Late on `day`: deposited before `day - VALIDATION_DAYS` (sijill.domain.deadlines).
    stale = _midnight(day - dt.timedelta(days=deadlines.VALIDATION_DAYS))
    cnss_late = _midnight(day - dt.timedelta(days=deadlines.CNSS_DAYS))
    cnss_near = _midnight(day - dt.timedelta(days=deadlines.CNSS_DAYS - NEAR_DAYS - 1))
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    pending = Form.objects.filter(status__in=PENDING, deposited_at__lt=stale)
    for annex, receipt in pending.order_by("deposited_at", "id").values_list(
        "annex_code", "receipt"
    ):
        found[(annex, VALIDATION_LATE)].append(receipt)
    at_cnss = Form.objects.filter(status__in=AT_CNSS, transmitted_at__lt=cnss_near)
    for annex, receipt, sent in at_cnss.order_by("transmitted_at", "id").values_list(
        "annex_code", "receipt", "transmitted_at"
    ):
        found[(annex, CNSS_LATE if sent < cnss_late else CNSS_NEAR)].append(receipt)
    return dict(found)


def record(day: dt.date) -> list[Notice]:
    """The day's notices, computed the first time only: a second run keeps the first's."""
    found = [
        Notice(day=day, annex_code=annex, kind=kind, count=len(receipts),
               receipts=receipts[:RECEIPTS_KEPT])
        for (annex, kind), receipts in sorted(late_files(day).items())
    ]  # fmt: skip
    if not Notice.objects.filter(day=day).exists():
        Notice.objects.bulk_create(found, ignore_conflicts=True)
    return list(Notice.objects.filter(day=day))


def _covering(annex: str) -> set[str]:
    return set(
        TerritoryLink.objects.filter(descendant_id=annex).values_list("ancestor_id", flat=True)
    )


def recipients(notices: Iterable[Notice]) -> dict[User, list[Notice]]:
    """Who is told what: the validators and supervisors (whoever may validate, placed in a
    territory) of each annex's territories, and CNSS's agents of the CNSS notices. Only
    active users with an e-mail address."""
    people = User.objects.filter(is_active=True).exclude(email="")
    local = [u for u in people if u.territory_id and roles.may(u.role, roles.VALIDATE)]
    cnss = [u for u in people if roles.may(u.role, roles.DECIDE) and u.territory_id is None]
    told: dict[User, list[Notice]] = defaultdict(list)
    above: dict[str, set[str]] = {}
    for notice in notices:
        if notice.annex_code not in above:
            above[notice.annex_code] = _covering(notice.annex_code)
        for user in local:
            if user.territory_id in above[notice.annex_code]:
                told[user].append(notice)
        if notice.kind in CNSS_KINDS:
            for user in cnss:
                told[user].append(notice)
    return dict(told)


def rows(notices: Iterable[Notice]) -> list[dict[str, Any]]:
    """Each notice with its annex (a Territory, None when unknown) and what to do about it,
    in the active language."""
    notices = list(notices)
    names = Territory.objects.in_bulk([n.annex_code for n in notices])
    return [
        {
            "notice": n,
            "place": names.get(n.annex_code),
            "action": gettext(vocabulary.NOTICES[n.kind].action),
            "more": n.count - len(n.receipts),
        }
        for n in notices
    ]


def message(user: User, day: dt.date, notices: list[Notice]) -> tuple[str, str]:
    """The e-mail's subject and text: every language of the catalogues, one after another."""
    parts, subjects = [], []
    for language in i18n.codes():
        with translation.override(language):
            subjects.append(gettext("sijill: late files on %(day)s") % {"day": day.isoformat()})
            context = {"user": user, "day": day, "rows": rows(notices)}
            parts.append(render_to_string("operations/notices_email.txt", context).strip())
    return subjects[0], "\n\n----------\n\n".join(parts) + "\n"


def mail(day: dt.date, notices: list[Notice]) -> int:
    """Send the day's e-mails not sent yet; returns how many were sent now."""
    sent = 0
    for user, told in sorted(recipients(notices).items(), key=lambda item: item[0].pk):
        with transaction.atomic():
            _, created = Delivery.objects.get_or_create(
                day=day, user=user, defaults={"notices": len(told)}
            )
            if not created:
                continue
            subject, text = message(user, day, told)
            # Within the transaction: a message that cannot be sent is not counted as sent.
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
    return sent


def for_territory(code: str | None) -> tuple[dt.date | None, QuerySet[Notice]]:
    """The notices of the latest daily run, for the annexes under `code` (None: national)."""
    latest = Day.objects.order_by("-day").values_list("day", flat=True).first()
    found = scope.within(Notice.objects.filter(day=latest), code)
    return latest, found.order_by("kind", "-count", "annex_code")
