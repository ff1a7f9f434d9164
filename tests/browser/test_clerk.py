"""Browser tests 1 and 2: a clerk logs in, deposits a form, then captures it, fixing an
error the page shows beside its field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sijill.intake.models import Form
from tests.browser.pages import log_in, shot

pytestmark = pytest.mark.browser


def test_a_clerk_logs_in(page: Page) -> None:
    log_in(page, "clerk_a")
    expect(page).to_have_url(re.compile(r"/forms/counter/$"))
    expect(page.get_by_role("navigation")).to_contain_text("إيداع مطبوع")
    expect(page.get_by_role("navigation")).not_to_contain_text("قائمة المصادقة")
    shot(page, "clerk-logged-in")


def test_a_clerk_deposits_and_captures_a_form(page: Page) -> None:
    log_in(page, "clerk_a")
    page.get_by_role("navigation").get_by_role("link", name="إيداع مطبوع").click()
    page.get_by_label("نوع المطبوع").select_option("rnp_registration")
    page.get_by_label("قناة الإيداع").select_option("counter")
    page.get_by_label("رقم البطاقة الوطنية أو المعرف المدني والاجتماعي للمودع").fill("BK654321")
    page.get_by_role("button", name="إيداع وطبع الوصل").click()

    number = page.locator("#receipt-number")
    expect(number).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    receipt = number.inner_text()
    expect(page.locator(".receipt")).to_contain_text("الوثائق الواجب إحضارها")
    shot(page, "clerk-receipt")

    page.get_by_role("link", name="معالجة المطبوع").click()
    page.get_by_label("الاسم الشخصي (بالعربية)").fill("YASSINE")  # Latin letters: refused
    page.get_by_label("الاسم العائلي (بالعربية)").fill("الشرقاوي")
    error = page.locator("#id_first_name_ar_error")
    expect(error).to_contain_text("بالحروف العربية")  # shown on leaving the field (htmx)
    shot(page, "clerk-capture-error")

    page.get_by_label("الاسم الشخصي (بالعربية)").fill("ياسين")
    page.get_by_label("الاسم الشخصي (بالحروف اللاتينية)").fill("YASSINE")
    page.get_by_label("الاسم العائلي (بالحروف اللاتينية)").fill("CHERKAOUI")
    page.get_by_label("الجنس", exact=True).select_option("M")
    page.get_by_label("تاريخ الازدياد").fill("1995-10-10")
    page.get_by_label("رقم البطاقة الوطنية", exact=True).fill("BK654321")
    page.get_by_label("العنوان", exact=True).fill("Hay Mohammadi, Casablanca")
    expect(error).to_be_empty()
    page.get_by_role("button", name="معالجة", exact=True).click()

    expect(page.locator("#status")).to_have_text("تمت المعالجة، في انتظار المصادقة")
    shot(page, "clerk-captured")
    assert Form.objects.get(receipt=receipt).status == "captured"
