"""sijill.intake.views: the validation queue page and a form's page, behind a login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sijill.intake import counter, workflow
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1
from tests.conftest import Staff

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
    head = {"rule": "one_head", "field": "relation", "row": None, "params": {"count": "2"}}
    Form.objects.filter(pk=form.pk).update(violations=[head])
    browser = Client()
    browser.force_login(people.clerk)
    html = browser.get(
        f"/forms/{form.receipt}/", headers={"Accept-Language": "fr"}
    ).content.decode()
    assert "Déposé" in html and "Saisie de votre formulaire" in html
    assert (
        "Champ « lien de parenté » : le ménage doit avoir exactement un chef de ménage (2" in html
    )
    arabic = browser.get(f"/forms/{form.receipt}/", headers={"Accept-Language": "ar"}).content
    assert "«صلة القرابة»: يجب أن تضم الأسرة ربّ أسرة واحدًا بالضبط (العدد الحالي: 2)." in (
        arabic.decode()
    )


def test_a_rule_saved_with_its_texts_before_the_catalogues_shows_them(people: Staff) -> None:
    form, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
    saved = {"rule": "one_head", "field": "relation", "row": None}
    Form.objects.filter(pk=form.pk).update(
        violations=[{**saved, "message_ar": "قاعدة", "message_fr": "Règle du chef"}]
    )
    browser = Client()
    browser.force_login(people.clerk)
    page = browser.get(f"/forms/{form.receipt}/", headers={"Accept-Language": "fr"})
    assert "Règle du chef" in page.content.decode()
    arabic = browser.get(f"/forms/{form.receipt}/", headers={"Accept-Language": "ar"}).content
    assert "قاعدة" in arabic.decode()
