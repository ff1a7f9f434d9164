"""sijill.worklists.candidates: link candidates of an annex, decided within scope and role,
each decision in the audit log."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sijill.accounts.models import User
from sijill.audit.chain import verify
from sijill.audit.models import Entry
from sijill.runs.models import CONFIRMED, REJECTED, Candidate, Run
from tests.apps.backoffice import staff
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def link(run: Run, row_id: str) -> Candidate:
    found: Candidate = Candidate.objects.get(run=run, row_id=row_id)
    return found


def test_the_annex_lists_its_candidates_most_likely_first(monitored: Run, people: Staff) -> None:
    html = client_of(people.clerk).get(f"/monitoring/annex/{ANNEX_1}/links/").content.decode()
    table = html.split('id="links"', 1)[1]
    assert table.index("M04") < table.index("B03")  # 0.93 before 0.88
    assert "M07" not in table and "M10" not in table  # ANNEX_2's
    assert "Confirmer" not in table  # a clerk may not decide


def test_a_supervisor_confirms_and_the_audit_log_keeps_it(monitored: Run, people: Staff) -> None:
    target = link(monitored, "M04")
    before = Entry.objects.count()
    response = client_of(people.supervisor).post(
        f"/monitoring/links/{target.pk}/{CONFIRMED}/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="link-{target.pk}"' in response.content.decode()
    assert "Confirmé" in response.content.decode()
    target.refresh_from_db()
    assert target.decision == CONFIRMED and target.decided_by == people.supervisor
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and Entry.objects.count() == before + 1
    assert (entry.actor, entry.action, entry.target) == (
        "supervisor",
        "link.confirm",
        "monitoring.link",
    )
    # Identifiers are pseudonyms in the log, never in clear.
    assert "M04" not in entry.key and "0012345686" not in entry.after
    assert json.loads(entry.after)["decision"] == CONFIRMED
    assert verify().ok


def test_a_rejection_without_htmx_returns_to_the_list(monitored: Run, people: Staff) -> None:
    target = link(monitored, "M07")
    response = client_of(people.supervisor).post(f"/monitoring/links/{target.pk}/{REJECTED}/")
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/annex/{ANNEX_2}/links/?run={monitored.pk}"
    target.refresh_from_db()
    assert target.decision == REJECTED


def test_deciding_needs_the_role_and_the_place(monitored: Run, people: Staff) -> None:
    target = link(monitored, "M04")  # ANNEX_1
    url = f"/monitoring/links/{target.pk}"
    assert client_of(people.clerk).post(f"{url}/confirmed/").status_code == 403
    elsewhere = staff("supervisor_b", "supervisor", ANNEX_2)
    assert client_of(elsewhere).post(f"{url}/confirmed/").status_code == 404
    assert client_of(people.supervisor).post(f"{url}/maybe/").status_code == 404
    assert client_of(people.supervisor).get(f"{url}/confirmed/").status_code == 405
    target.refresh_from_db()
    assert target.decision is None
