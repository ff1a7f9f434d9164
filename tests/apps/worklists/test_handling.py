"""sijill.worklists.handling: a finding's status and note, set within scope and role, in the
audit log, and kept by the finding's key into the next run."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sijill import engine
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.accounts.models import User
from sijill.audit.chain import verify
from sijill.audit.models import Entry
from sijill.runs.imports import findings_path
from sijill.runs.models import Run
from sijill.worklists.handling import handle
from sijill.worklists.models import IN_PROGRESS, NOT_AN_ERROR, RESOLVED, Handling
from tests.apps.backoffice import staff
from tests.apps.reconciled import Reconciled, import_country
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2

pytestmark = pytest.mark.django_db


def key_of(run: Run, annex: str, kind: str) -> str:
    (found,) = engine.findings_of_annex(findings_path(run), annex, kind)
    assert found.key is not None
    return found.key


def test_a_status_survives_the_next_run(monitored: Run, people: Staff, country: Reconciled) -> None:
    key = key_of(monitored, ANNEX_1, "RSU_ID_UNKNOWN")
    handle(people.validator, monitored, ANNEX_1, key, RESOLVED, "IDCS  relevé\nsur la CIN")
    later = import_country(country)
    assert later.pk != monitored.pk and key_of(later, ANNEX_1, "RSU_ID_UNKNOWN") == key
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(people.validator)
    html = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?status=resolved").content.decode()
    assert f'id="case-{key}"' in html and "IDCS relevé sur la CIN" in html
    assert html.count('<article class="case status-resolved"') == 1
    assert f"?run={later.pk}" in html  # the latest run's list


def test_each_change_is_audited_without_the_note(monitored: Run, people: Staff) -> None:
    key = key_of(monitored, ANNEX_1, "RNP_NOT_IN_RSU")
    before = Entry.objects.count()
    handle(people.supervisor, monitored, ANNEX_1, key, IN_PROGRESS, "Youssef appelé")
    handle(people.supervisor, monitored, ANNEX_1, key, NOT_AN_ERROR, "Youssef appelé")
    entries = list(Entry.objects.order_by("seq")[before:])
    assert [e.action for e in entries] == ["finding.handle", "finding.handle"]
    assert json.loads(entries[0].before) == {"status": "open"}
    assert json.loads(entries[1].before) == {"status": IN_PROGRESS}
    after = json.loads(entries[1].after)
    assert after["status"] == NOT_AN_ERROR and after["note_changed"] is False
    assert all("Youssef" not in e.after and key not in e.key for e in entries)
    assert verify().ok
    assert Handling.objects.get(key=key).status == NOT_AN_ERROR


def test_handling_needs_the_role_the_place_and_the_finding(monitored: Run, people: Staff) -> None:
    key = key_of(monitored, ANNEX_1, "RSU_ID_UNKNOWN")
    with pytest.raises(NotAllowed):
        handle(people.clerk, monitored, ANNEX_1, key, RESOLVED)
    with pytest.raises(NotVisible):
        handle(people.validator_b, monitored, ANNEX_1, key, RESOLVED)
    with pytest.raises(NotVisible):  # the key of another annex's finding
        handle(people.supervisor, monitored, ANNEX_2, key, RESOLVED)
    with pytest.raises(ValueError):
        handle(people.supervisor, monitored, ANNEX_1, key, "done")
    assert not Handling.objects.exists()


def post(user: User, data: dict[str, object], htmx: bool = False) -> object:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/monitoring/annex/{ANNEX_1}/findings/handle/", data, **headers)


def test_the_page_saves_a_status_in_place_or_returns_to_the_list(
    monitored: Run, people: Staff
) -> None:
    key = key_of(monitored, ANNEX_1, "AMO_MISMATCH")
    data = {"run": monitored.pk, "key": key, "status": IN_PROGRESS, "note": "appel au ménage"}
    swapped = post(people.validator, data, htmx=True)
    html = swapped.content.decode()  # type: ignore[attr-defined]
    assert html.lstrip().startswith(f'<article class="case status-in_progress" id="case-{key}"')
    assert "appel au ménage" in html and "Enregistré." in html
    back = f"/monitoring/annex/{ANNEX_1}/findings/?run={monitored.pk}&status=in_progress"
    moved = post(people.validator, {**data, "status": RESOLVED, "next": back})
    assert moved.status_code == 302 and moved["Location"] == back  # type: ignore[attr-defined,index]
    elsewhere = post(people.validator, {**data, "next": "https://example.org/"})
    assert elsewhere["Location"] == f"/monitoring/annex/{ANNEX_1}/findings/?run={monitored.pk}"  # type: ignore[index]


def test_the_page_refuses_what_the_service_refuses(monitored: Run, people: Staff) -> None:
    key = key_of(monitored, ANNEX_1, "AMO_MISMATCH")
    data = {"run": monitored.pk, "key": key, "status": RESOLVED}
    assert post(people.clerk, data).status_code == 403  # type: ignore[attr-defined]
    outsider = staff("validator_c", "validator", ANNEX_2)
    assert post(outsider, data).status_code == 404  # type: ignore[attr-defined]
    assert post(people.validator, {**data, "key": "0" * 32}).status_code == 404  # type: ignore[attr-defined]
    assert post(people.validator, {**data, "status": "maybe"}).status_code == 404  # type: ignore[attr-defined]
    client = Client()
    client.force_login(people.validator)
    assert client.get(f"/monitoring/annex/{ANNEX_1}/findings/handle/").status_code == 405
    assert not Handling.objects.exists()
