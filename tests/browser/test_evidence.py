"""The AMO request from its RSU household to the validator's evidence, as the people at the
counter and the local authority do it; a refused post that moves the focus to its errors;
a form found again by a name written in the other script."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sijill.intake import counter
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1
from tests.browser.pages import log_in, shot
from tests.conftest import Staff

pytestmark = pytest.mark.browser


def test_an_amo_request_starts_from_the_rsu_and_the_validator_sees_the_difference(
    page: Page, registers: Staff
) -> None:
    form, _ = counter.deposit(
        registers.clerk, kind="amo_request", channel="counter", annex_code=ANNEX_1,
        citizen_id="BE123456",
    )  # fmt: skip
    log_in(page, "clerk_a")
    page.goto(f"/forms/{form.receipt}/capture/")
    page.get_by_label("معرف الأسرة في السجل الاجتماعي الموحد").fill("H001")
    page.get_by_role("button", name="ملء أفراد الأسرة من السجل الاجتماعي الموحد").click()
    expect(page.locator("fieldset[id^=person-]")).to_have_count(3)
    expect(page.locator("#id_beneficiaries-0-first_name_ar")).to_have_value("محمد")
    expect(page.locator("#id_beneficiaries-2-beneficiary")).to_be_checked()
    # The citizen's card spells the first name otherwise: corrected, and marked.
    page.locator("#id_beneficiaries-0-first_name_lat").fill("MOHAMED")
    # The child is left out: the gate says so beside the box, with every other problem.
    page.locator("#id_beneficiaries-2-beneficiary").uncheck()
    page.locator("#id_beneficiaries-1-idcs").fill("٠٠١٢٣٤٥٦٨٢")  # Eastern Arabic digits
    page.get_by_role("button", name="معالجة", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#id_beneficiaries-2-beneficiary_error")).not_to_be_empty()
    expect(page.locator("#id_beneficiaries-0-first_name_lat_rsu")).to_contain_text("MOHAMMED")
    shot(page, "amo-capture-from-rsu")

    page.locator("#id_beneficiaries-2-beneficiary").check()
    page.get_by_role("button", name="معالجة", exact=True).click()
    expect(page.locator("#status")).to_have_text("تمت المعالجة، في انتظار المصادقة")
    form.refresh_from_db()
    assert [b["idcs"] for b in form.payload["beneficiaries"]][1] == "0012345682"

    page.context.clear_cookies()
    log_in(page, "validator_a")
    page.goto(f"/forms/{form.receipt}/")
    evidence = page.locator("#evidence")
    expect(evidence.locator("td.differs")).to_have_count(2)  # RSU and RNP spell it MOHAMMED
    expect(evidence.locator("td.differs").first).to_contain_text("MOHAMMED")
    expect(page.locator("#gates")).to_contain_text("جميع القواعد محترمة")
    expect(page.locator("#timeline tbody tr")).to_have_count(3)  # deposit, refused, captured
    shot(page, "validator-evidence")
    page.get_by_role("button", name="مصادقة", exact=True).click()
    expect(page.locator("#status")).to_have_text("صادقت عليه السلطة المحلية")
    assert Form.objects.get(pk=form.pk).status == "validated"


def test_an_invalid_deposit_moves_the_focus_to_its_errors(page: Page) -> None:
    log_in(page, "clerk_a")
    page.goto("/forms/new/")
    page.get_by_label("رقم البطاقة الوطنية أو المعرف المدني والاجتماعي للمودع").fill("12")
    page.get_by_role("button", name="إيداع وطبع الوصل").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    summary.locator("a").first.click()
    expect(page.locator("#id_citizen_id")).to_be_focused()
    shot(page, "deposit-error-summary")


def test_a_form_is_found_by_a_name_in_the_other_script(page: Page, registers: Staff) -> None:
    from tests.apps.backoffice import REGISTRATION

    form, _ = counter.deposit(
        registers.clerk, kind="rnp_registration", channel="counter", annex_code=ANNEX_1,
        citizen_id="BK654321",
    )  # fmt: skip
    counter.capture(registers.clerk, form.receipt, REGISTRATION)  # ياسين الشرقاوي
    log_in(page, "validator_a")
    page.get_by_role("navigation").get_by_role("link", name="البحث عن مطبوع").click()
    page.get_by_label("الوصل أو رقم البطاقة الوطنية أو المعرف المدني والاجتماعي أو الاسم").fill(
        "yacine cherkaoui"
    )
    page.get_by_role("button", name="بحث", exact=True).click()
    expect(page.locator("#hits tbody tr")).to_have_count(1)
    page.locator("#hits").get_by_role("link", name=re.compile(form.receipt)).click()
    expect(page.locator("#timeline")).to_contain_text("clerk_a")
    shot(page, "search-by-name")


def _contrast(first: str, second: str) -> float:
    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_three_to_one(page: Page) -> None:
    page.goto("/status/")
    page.keyboard.press("Tab")  # the skip link, over the green header
    page.keyboard.press("Tab")  # the brand, in the header
    ring = "e => [getComputedStyle(e).outlineColor, getComputedStyle(e).outlineWidth]"
    header = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    color, width = page.evaluate(f"({ring})(document.activeElement)")
    assert width == "3px" and _contrast(color, header) >= 3
    page.locator("#id_receipt").focus()
    page.keyboard.press("Tab")  # from a field to the next, in the white page
    color, width = page.evaluate(f"({ring})(document.activeElement)")
    assert width == "3px" and _contrast(color, "rgb(255, 255, 255)") >= 3
