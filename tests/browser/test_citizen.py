"""Browser test 6: a citizen looks a file up on /status/, without logging in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sijill.intake import counter
from tests.apps.backoffice import ANNEX_1
from tests.browser.pages import shot
from tests.conftest import Staff

pytestmark = pytest.mark.browser


def test_a_citizen_looks_up_a_file(page: Page, people: Staff) -> None:
    form, _ = counter.deposit(
        people.clerk,
        kind="amo_request",
        channel="counter",
        annex_code=ANNEX_1,
        citizen_id="BE123456",
    )
    page.goto("/status/")
    page.get_by_label("رقم الوصل").fill(form.receipt.lower().replace("-", ""))
    page.get_by_label("رقم بطاقتكم الوطنية أو معرفكم المدني والاجتماعي").fill("BE123456")
    page.get_by_role("button", name="بحث").click()

    answer = page.locator("#answer")
    expect(answer).to_contain_text("طلب الاستفادة من التأمين الإجباري عن المرض")
    expect(page.locator("#answer-status")).to_have_text("تم الإيداع")
    expect(answer).to_contain_text("البطاقة الوطنية للمؤمَّن الرئيسي")  # what to bring
    shot(page, "citizen-found")

    page.get_by_label("رقم بطاقتكم الوطنية أو معرفكم المدني والاجتماعي").fill("BE999999")
    page.get_by_label("رقم الوصل").fill(form.receipt)
    page.get_by_role("button", name="بحث").click()
    expect(page.locator("#answer")).to_contain_text("لا يوجد ملف يطابق")
    shot(page, "citizen-not-found")

    page.get_by_role("link", name="شرح مراحل السجل الوطني للسكان").click()
    expect(page.get_by_role("heading", level=2)).to_have_count(3)
