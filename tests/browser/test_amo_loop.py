"""The whole AMO Tadamon loop on screen, as each person does their part (issue 12): the
clerk deposits and captures the request from the RSU household, the local authority
validates it and sends the day's batch, CNSS refuses one beneficiary and covers the others,
and the citizen reads the outcome on the status page.

Unlike the other browser tests, this journey also runs on PostgreSQL (`-m django_db`): its
transactional mark lets the live server's own connection see what the test set up.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sijill.intake.models import Form
from sijill.registry.models import Beneficiary
from tests.browser.pages import log_in, shot
from tests.conftest import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CIN = "BE123456"


def _as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)
    page.get_by_role("button", name="français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def _deposit_and_capture(page: Page) -> str:
    _as(page, "clerk_a")
    page.goto("/forms/new/")
    page.get_by_label("Type de formulaire").select_option("amo_request")
    page.get_by_label("Canal de dépôt").select_option("counter")
    page.get_by_label(re.compile("CIN ou IDCS du déposant")).fill(CIN)
    page.get_by_role("button", name=re.compile("Déposer")).click()
    receipt = page.locator("#receipt-number").inner_text()
    page.goto(f"/forms/{receipt}/capture/")
    page.get_by_label(re.compile("Identifiant du ménage")).fill("H001")
    page.get_by_role("button", name="Reprendre les membres du ménage depuis le RSU").click()
    expect(page.locator("fieldset[id^=person-]")).to_have_count(3)
    page.get_by_role("button", name="Saisir", exact=True).click()
    expect(page.locator("#status")).to_contain_text("validation")
    shot(page, "amo-loop-1-captured-fr")
    return receipt


def _validate_and_send(page: Page, receipt: str) -> None:
    _as(page, "validator_a")
    page.goto(f"/forms/{receipt}/")
    expect(page.locator("#evidence")).to_be_visible()
    page.get_by_role("button", name="Valider", exact=True).click()
    page.goto("/forms/batches/")
    expect(page.locator(f"#send-{receipt}")).to_be_checked()
    shot(page, "amo-loop-2-batch-to-send-fr")
    page.get_by_role("button", name="Envoyer les dossiers cochés à la CNSS").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("envoyé à la CNSS")
    shot(page, "amo-loop-3-batch-sent-fr")


def _cnss_decides(page: Page, receipt: str) -> None:
    _as(page, "cnss")
    page.goto("/forms/cnss/")
    row = page.locator(f"#file-{receipt}")
    expect(row).to_contain_text("30")  # days left on the clock
    shot(page, "amo-loop-4-cnss-queue-fr")
    row.get_by_role("link", name="Examiner et décider").click()
    page.get_by_role("button", name="Commencer l'examen du dossier").click()
    child = page.locator("fieldset.beneficiary").filter(
        has=page.locator("legend", has_text="Enfant")
    )
    child.get_by_label("Refusé").check()
    page.get_by_role("button", name="Enregistrer les décisions").click()
    # No reason: nothing changes, and the summary says what is missing.
    expect(page.locator("#error-summary")).to_be_focused()
    shot(page, "amo-loop-5-cnss-reason-missing-fr")
    child.get_by_label("Motif du refus").select_option("age_limit")
    child.get_by_label("Note").fill("né en 1999")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("refusés 1")


def test_the_amo_loop_from_the_counter_to_the_citizen(page: Page, registers: Staff) -> None:
    # The registers fixture imported the sample: H001 is an RSU household of annex 1.
    receipt = _deposit_and_capture(page)
    _validate_and_send(page, receipt)
    _cnss_decides(page, receipt)

    form = Form.objects.get(receipt=receipt)
    assert form.status == "accepted"
    decided = Beneficiary.objects.filter(file__amo_file_id=form.register_key)
    assert sorted(decided.values_list("decision", flat=True)) == [
        "accepted",
        "accepted",
        "rejected",
    ]
    assert decided.get(decision="rejected").rejection_reason == "age_limit: né en 1999"

    page.context.clear_cookies()
    page.goto("/status/")
    page.get_by_role("button", name="français").click()
    page.get_by_label("Numéro du récépissé").fill(receipt)
    page.get_by_label(re.compile("CIN ou IDCS")).fill(CIN)
    page.get_by_role("button", name="Rechercher").click()
    rulings = page.locator("#rulings li")
    expect(rulings).to_have_count(3)
    expect(page.locator("#rulings li.refused")).to_contain_text("Enfant au-delà de l'âge limite")
    shot(page, "amo-loop-6-citizen-fr")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "amo-loop-6-citizen-fr-390")

    # The same answer in Arabic, right to left, on a phone.
    page.get_by_role("button", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_label("رقم الوصل").fill(receipt)
    page.get_by_label("رقم بطاقتكم الوطنية أو معرفكم المدني والاجتماعي").fill(CIN)
    page.get_by_role("button", name="بحث").click()
    expect(page.locator("#rulings li.refused")).to_contain_text("طفل تجاوز السن الأقصى للتغطية")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "amo-loop-6-citizen-ar-390")
    page.context.clear_cookies()
    log_in(page, "cnss")
    page.goto(f"/forms/cnss/{receipt}/")
    expect(page.locator("#decided tr.refused")).to_contain_text("طفل تجاوز السن الأقصى للتغطية")
    shot(page, "amo-loop-7-cnss-decided-ar-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/forms/batches/")
    expect(page.locator("#sent")).to_contain_text("1")
    shot(page, "amo-loop-8-batches-ar")
