"""Every kind of page under the Content-Security-Policy (issue 16, item 12): dashboards,
work lists, runs, the upload form, the API's documentation and the receipt's print button
work with no inline script or style; tests/browser/conftest.py fails the test on any
refusal the browser reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.apps.backoffice import PASSWORD
from tests.browser.pages import log_in, shot
from tests.browser.test_dashboard import demo_run

pytestmark = pytest.mark.browser


def _log_in_national(page: Page) -> None:
    from tests.apps.backoffice import staff

    staff("admin", "admin", None)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def test_the_monitoring_pages_and_the_api_documentation_keep_the_policy(
    page: Page, tmp_path: Path
) -> None:
    from sijill.runs.models import Figures, Run

    demo_run(tmp_path)
    run = Run.objects.get()
    annex = Figures.objects.filter(run=run, level="annex").order_by("code").first()
    assert annex is not None
    _log_in_national(page)
    response = page.goto("/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    expect(page.locator("figure.funnel svg rect.kept")).to_have_count(7)
    # The sorted table comes through htmx, under the same policy.
    page.locator("#children th").nth(2).locator("a").click()
    expect(page.locator("#children th").nth(2)).to_have_attribute("aria-sort", "descending")

    for path, seen in [
        (f"/monitoring/annex/{annex.code}/findings/", "main h1"),
        (f"/monitoring/annex/{annex.code}/links/", "main h1"),
        ("/monitoring/runs/", "main h1"),
        (f"/monitoring/runs/{run.pk}/", "main h1"),
        ("/monitoring/runs/upload/", "input[type=file]"),
        (f"/monitoring/compare/?a={run.pk}&b={run.pk}", "main h1"),
    ]:
        page.goto(path)
        expect(page.locator(seen).first).to_be_visible()
    shot(page, "policy-compare")

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    shot(page, "policy-api-docs")


def test_the_receipt_prints_without_an_inline_handler(page: Page) -> None:
    log_in(page, "clerk_a")
    page.get_by_role("navigation").get_by_role("link", name="إيداع مطبوع").click()
    page.get_by_label("نوع المطبوع").select_option("rnp_registration")
    page.get_by_label("قناة الإيداع").select_option("counter")
    page.get_by_label("رقم البطاقة الوطنية أو المعرف المدني والاجتماعي للمودع").fill("BK654321")
    page.get_by_role("button", name="إيداع وطبع الوصل").click()
    expect(page.locator("#receipt-number")).to_be_visible()
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="طباعة").click()
    assert page.evaluate("window.printed") == 1
