"""sijill.linkreview.candidates: link candidates of an annex, decided within scope and role,
undone, each step in the audit log."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sijill.accounts.models import User
from sijill.audit.chain import verify
from sijill.audit.models import Entry
from sijill.linkreview.candidates import UNDECIDED, counts_of_annex, of_annex
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


def test_a_supervisor_confirms_and_the_audit_log_keeps_it(monitored: Run, people: Staff) -> None:
    target = link(monitored, "M04")
    before = Entry.objects.count()
    response = client_of(people.supervisor).post(
        f"/monitoring/links/{target.pk}/{CONFIRMED}/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="link-{target.pk}"' in html and "Confirmé par supervisor" in html
    assert "Annuler la décision" in html and ">Confirmer</button>" not in html
    target.refresh_from_db()
    assert target.decision == CONFIRMED and target.decided_by == people.supervisor
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and Entry.objects.count() == before + 1
    assert (entry.actor, entry.action, entry.target) == ("supervisor", "link.confirm",
                                                         "monitoring.link")  # fmt: skip
    # Identifiers are pseudonyms in the log, never in clear.
    assert "M04" not in entry.key and "0012345686" not in entry.after
    assert json.loads(entry.after)["decision"] == CONFIRMED
    assert verify().ok


def test_a_decision_is_undone_and_both_steps_are_logged(monitored: Run, people: Staff) -> None:
    target = link(monitored, "B03")
    client = client_of(people.supervisor)
    client.post(f"/monitoring/links/{target.pk}/{REJECTED}/")
    undone = client.post(f"/monitoring/links/{target.pk}/{UNDECIDED}/", HTTP_HX_REQUEST="true")
    html = undone.content.decode()
    assert "Décision annulée" in html and ">Confirmer</button>" in html
    target.refresh_from_db()
    assert (target.decision, target.decided_by, target.decided_at) == (None, None, None)
    actions = list(Entry.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["link.undo", "link.reject"]
    last = Entry.objects.order_by("-seq").first()
    assert last is not None and json.loads(last.before) == {"decision": REJECTED}
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
    assert client_of(people.clerk).post(f"{url}/undecided/").status_code == 403
    elsewhere = staff("supervisor_b", "supervisor", ANNEX_2)
    assert client_of(elsewhere).post(f"{url}/confirmed/").status_code == 404
    assert client_of(people.supervisor).post(f"{url}/maybe/").status_code == 404
    assert client_of(people.supervisor).get(f"{url}/confirmed/").status_code == 405
    target.refresh_from_db()
    assert target.decision is None


def test_candidates_by_decision(monitored: Run, people: Staff) -> None:
    from sijill.linkreview.candidates import decide

    decide(people.supervisor, link(monitored, "M04").pk, CONFIRMED)
    assert counts_of_annex(monitored.pk, ANNEX_1) == {UNDECIDED: 1, CONFIRMED: 1, REJECTED: 0}
    assert [c.row_id for c in of_annex(monitored.pk, ANNEX_1, UNDECIDED)] == ["B03"]
    assert [c.row_id for c in of_annex(monitored.pk, ANNEX_1, CONFIRMED)] == ["M04"]
    assert [c.row_id for c in of_annex(monitored.pk, ANNEX_1)] == ["M04", "B03"]
