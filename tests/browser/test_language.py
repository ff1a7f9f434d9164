"""Browser test 4: the language switch on every page, right-to-left Arabic by default."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, shot

pytestmark = pytest.mark.browser


def test_arabic_is_right_to_left_and_french_left_to_right(page: Page) -> None:
    page.goto("/status/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    shot(page, "language-ar")

    page.get_by_role("button", name="français").click()
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Où en est mon dossier ?")
    shot(page, "language-fr")

    # The choice follows the user across pages, logged in or not.
    log_in(page, "clerk_a")
    expect(html).to_have_attribute("dir", "ltr")
    page.get_by_role("button", name="العربيّة").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("مطبوعات في انتظار المعالجة")


def test_the_skip_link_is_the_first_stop_of_the_keyboard(page: Page) -> None:
    page.goto("/status/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
