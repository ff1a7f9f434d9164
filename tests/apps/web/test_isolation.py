"""Territory isolation, walked from the URL configuration: every route that names something
of one territory answers 403 or 404 to every role of another territory.

The routes are read from Django's resolver, the API's included: a new route is covered the
day it is added. A route whose parameter this module cannot fill fails the test, so that its
author says which object of a territory it names. A route without a parameter is asked too:
it may answer, but never with something of the other territory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from django.utils import timezone

from sijill.accounts.models import User
from sijill.intake import counter, workflow
from sijill.intake.models import TransmissionBatch
from sijill.registry.models import AmoFile, Household, Person
from sijill.runs.models import Candidate, Run
from tests.apps.backoffice import bearer, staff
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, COMMUNE, COMMUNE_2

pytestmark = pytest.mark.django_db

# Routes anyone may ask, by design: logging in and out, the citizen's pages (a file is found
# only with its receipt and the citizen's identifier), the language switch, the API's
# description and its citizen status look-up.
PUBLIC = frozenset({
    "accounts/login/", "accounts/logout/", "status/", "status/steps/", "i18n/setlang/",
    "api/v1/", "api/v1/openapi.json", "api/v1/docs", "api/v1/status/<receipt>",
})  # fmt: skip
REFUSED = {403, 404}
ABSENT = {405}  # the route has no such method: nothing answered, nothing learnt
METHODS = ("get", "post", "put", "patch", "delete")
# A body every writing route of the API accepts as well formed, so that what answers is the
# territory check, not the body's (each route reads its own fields).
BODY = '{"payload": {}, "reason": "checked", "accepted": true, "address": "1 rue des Oudayas"}'


def routes(patterns: Any = None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


@dataclass(frozen=True)
class Territory:
    """Something of each kind, in ANNEX_1 (and its commune), for the routes' parameters."""

    values: dict[str, str]
    markers: tuple[str, ...]  # texts that would betray it on a page of another territory


@pytest.fixture
def theirs(monitored: Run, registers: Staff) -> Territory:
    form, _ = counter.deposit(
        registers.clerk, kind=workflow.AMO_REQUEST, channel=workflow.COUNTER, annex_code=ANNEX_1
    )
    batch = TransmissionBatch.objects.create(
        number="LOT-ISOLATION-1", territory_code=ANNEX_1, created_at=timezone.now(),
        created_by=registers.validator,
    )  # fmt: skip
    # Older than the reconciled run: it names a run page, not the latest dashboards.
    scoped = Run.objects.create(source="upload", as_of=dt.date(2024, 1, 10), work_dir="/tmp/x",
                                territory_id=COMMUNE, status="succeeded")  # fmt: skip
    person = Person.objects.filter(annex_code=ANNEX_1).first()
    household = Household.objects.filter(annex_code=ANNEX_1).first()
    amo_file = AmoFile.objects.filter(annex_code=ANNEX_1).first()
    candidate = Candidate.objects.filter(annex_code=ANNEX_1).first()
    assert person and household and amo_file and candidate
    values = {
        "receipt": form.receipt, "number": batch.number, "idcs": person.idcs,
        "household_id": household.household_id, "amo_file_id": amo_file.amo_file_id,
        "code": ANNEX_1, "link_id": str(candidate.pk), "run_id": str(scoped.pk),
        "decision": "confirmed",
    }  # fmt: skip
    return Territory(values, (form.receipt, person.idcs, ANNEX_1))


@pytest.fixture
def outsiders(people: Staff) -> dict[str, User]:
    """Every role of the other territories: the other annex of the commune, another
    commune's supervisor."""
    from tests.apps.reconciled import load_wide_territories

    load_wide_territories()
    return {
        "clerk": people.clerk_b,
        "validator": people.validator_b,
        "supervisor": staff("supervisor_elsewhere", "supervisor", COMMUNE_2),
    }


def filled(route: str, values: dict[str, str]) -> str:
    def value(name: str) -> str:
        assert name in values, f"{route}: say which object of a territory <{name}> names"
        return values[name]

    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route)


def ask(user: User, url: str, method: str) -> int:
    if url.startswith("/api/"):
        client = Client(**{f"HTTP_{k.upper()}": v for k, v in bearer(user).items()})
        body = {"data": BODY, "content_type": "application/json"} if method != "get" else {}
    else:
        client = Client()
        client.force_login(user)
        body = {}
    return int(getattr(client, method)(url, **body).status_code)


def test_every_route_naming_a_thing_refuses_every_role_of_another_territory(
    theirs: Territory, outsiders: dict[str, User]
) -> None:
    named = [r for r in routes() if "<" in r and r not in PUBLIC]
    assert len(named) >= 20  # the walk found the routes
    answered: dict[str, list[str]] = {}
    for route in named:
        url = filled(route, theirs.values)
        for role, user in outsiders.items():
            statuses = {m: ask(user, url, m) for m in METHODS}
            refused = {m for m, s in statuses.items() if s in REFUSED}
            leaked = {m: s for m, s in statuses.items() if s not in REFUSED | ABSENT}
            if leaked or not refused:
                answered.setdefault(route, []).append(f"{role}: {statuses}")
    assert answered == {}


def test_a_route_without_a_parameter_shows_nothing_of_another_territory(
    theirs: Territory, outsiders: dict[str, User]
) -> None:
    plain = [r for r in routes() if "<" not in r and r not in PUBLIC]
    assert len(plain) >= 10
    shown: dict[str, list[str]] = {}
    for route in plain:
        for role, user in outsiders.items():
            client = Client(**{f"HTTP_{k.upper()}": v for k, v in bearer(user).items()})
            if not route.startswith("api/"):
                client.force_login(user)
            page = client.get("/" + route).content.decode(errors="replace")
            found = [m for m in theirs.markers if m in page]
            if found:
                shown.setdefault(route, []).append(f"{role}: {found}")
    assert shown == {}
