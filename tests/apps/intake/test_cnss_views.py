"""sijill.intake.cnss_views: CNSS's files to decide, fewest days left first, and the
decision per beneficiary or for the whole file, every missing reason shown at once."""

from __future__ import annotations

import pytest
from django.test import Client

from sijill.intake import cnss
from sijill.intake.models import Form
from sijill.registry.models import Beneficiary
from tests.apps.intake.test_cnss import validated_amo_request
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
FR = {"Accept-Language": "fr"}


def browser(user: object) -> Client:
    client = Client(headers=FR)
    client.force_login(user)
    return client


@pytest.fixture
def sent(people: Staff) -> Form:
    form = validated_amo_request(people)
    cnss.transmit(people.validator)
    transmitted: Form = Form.objects.get(pk=form.pk)
    return transmitted


def decisions(form: Form) -> list[tuple[str, str | None, str | None]]:
    found = Beneficiary.objects.filter(file__amo_file_id=form.register_key)
    return list(found.values_list("relation", "decision", "rejection_reason"))


def test_cnss_sees_the_file_with_its_days_left(people: Staff, sent: Form) -> None:
    agent = browser(people.cnss)
    assert agent.get("/forms/start/").url == "/forms/cnss/"
    queue = agent.get("/forms/cnss/").content.decode()
    assert f'id="file-{sent.receipt}"' in queue and ">30<" in queue.replace(" ", "")
    page = agent.get(f"/forms/cnss/{sent.receipt}/").content.decode()
    assert page.count('class="beneficiary"') == 3 and "Commencer l'examen du dossier" in page
    agent.post(f"/forms/cnss/{sent.receipt}/review/")
    assert Form.objects.get(pk=sent.pk).status == "under_review"


def test_a_refusal_without_its_reason_changes_nothing(people: Staff, sent: Form) -> None:
    agent = browser(people.cnss)
    refused = {"b-0-decision": "accepted", "b-1-decision": "accepted", "b-2-decision": "rejected"}
    answer = agent.post(f"/forms/cnss/{sent.receipt}/decision/", refused)
    assert answer.status_code == 422
    html = answer.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_b-2-reason"' in html
    assert Form.objects.get(pk=sent.pk).status == "transmitted"
    assert {d for _, d, _ in decisions(sent)} == {None}


def test_one_beneficiary_refused_the_others_covered(people: Staff, sent: Form) -> None:
    agent = browser(people.cnss)
    refused = {"b-2-decision": "rejected", "b-2-reason": "age_limit", "b-2-note": "25 ans"}
    answer = agent.post(f"/forms/cnss/{sent.receipt}/decision/", refused, follow=True)
    assert "acceptés 2, refusés 1" in answer.content.decode()
    assert Form.objects.get(pk=sent.pk).status == "accepted"
    assert sorted(decisions(sent)) == [
        ("child", "rejected", "age_limit: 25 ans"),
        ("insured", "accepted", None),
        ("spouse", "accepted", None),
    ]
    page = agent.get(f"/forms/cnss/{sent.receipt}/").content.decode()
    assert "au-delà de" in page and 'id="decision"' not in page  # the decision, shown
    again = agent.post(f"/forms/cnss/{sent.receipt}/decision/", refused, follow=True)
    assert "Ce dossier a déjà été décidé." in again.content.decode()


def test_the_whole_file_refused_for_one_reason(people: Staff, sent: Form) -> None:
    agent = browser(people.cnss)
    url = f"/forms/cnss/{sent.receipt}/decision/"
    missing = agent.post(url, {"whole": "1", "file-reason": "other"})
    assert missing.status_code == 422 and 'href="#id_file-reason"' in missing.content.decode()
    agent.post(url, {"whole": "1", "file-reason": "covered_elsewhere", "file-note": "CNOPS"})
    assert Form.objects.get(pk=sent.pk).status == "rejected"
    assert {r for _, _, r in decisions(sent)} == {"covered_elsewhere: CNOPS"}


def test_others_may_not_decide_and_unsent_files_are_not_found(people: Staff) -> None:
    waiting = validated_amo_request(people)
    assert browser(people.validator).get("/forms/cnss/").status_code == 403
    assert browser(people.cnss).get(f"/forms/cnss/{waiting.receipt}/").status_code == 404
    cnss.transmit(people.validator)
    url = f"/forms/cnss/{waiting.receipt}/decision/"
    assert browser(people.validator).post(url, {}).status_code == 403
