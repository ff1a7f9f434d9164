"""sijill.intake.views: the validation queue page and a form's page, behind a login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sijill.intake import counter, workflow
from sijill.intake.models import Form
from tests.conftest import Staff
from tests.web.backoffice import ANNEX_1

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(people: Staff) -> None:
    response = Client().get("/forms/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_queue_shows_captured_forms_oldest_first_and_marks_late_ones(people: Staff) -> None:
    receipts = []
    for days_ago in (0, 5):
        form, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
        Form.objects.filter(pk=form.pk).update(
            status=workflow.CAPTURED, deposited_at=timezone.now() - dt.timedelta(days=days_ago)
        )
        receipts.append(form.receipt)
    browser = Client()
    browser.force_login(people.validator)
    html = browser.get("/forms/", headers={"Accept-Language": "fr"}).content.decode()
    assert html.index(receipts[1]) < html.index(receipts[0])
    assert html.count("En retard") == 1


def test_a_forms_page_shows_status_next_step_and_broken_rules(people: Staff) -> None:
    form, _ = counter.deposit(
        people.clerk, kind="rsu_declaration", channel="counter", annex_code=ANNEX_1
    )
    Form.objects.filter(pk=form.pk).update(
        violations=[{"rule": "one_head", "message_ar": "قاعدة", "message_fr": "Règle du chef"}]
    )
    browser = Client()
    browser.force_login(people.clerk)
    html = browser.get(
        f"/forms/{form.receipt}/", headers={"Accept-Language": "fr"}
    ).content.decode()
    assert "Déposé" in html and "Saisie de votre formulaire" in html and "Règle du chef" in html
    arabic = browser.get(f"/forms/{form.receipt}/", headers={"Accept-Language": "ar"}).content
    assert "قاعدة" in arabic.decode()
