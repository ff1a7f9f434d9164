"""Browser test 5: the dashboard shows the funnel of a demo run, in Arabic and French.

The run is the demo's, only smaller: a synthetic country generated, reconciled and imported
into the monitoring app exactly as `sijill demo --back-office` does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sijill.engine.params import Parameters
from sijill.engine.reconciliation.pipeline import reconcile
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate
from tests.apps.backoffice import PASSWORD
from tests.browser.pages import shot

pytestmark = pytest.mark.browser


def demo_run(folder: Path) -> dict[str, int]:
    """Generate, reconcile and import a 3,000-person country; returns its national row."""
    from sijill.runs.lifecycle import from_directory

    config = SynthConfig(persons=3000, seed=7)
    generate(config, folder / "country")
    extracts = {
        n: folder / "country" / f"{n}.parquet" for n in ("territories", "rnp", "rsu", "amo")
    }
    summary = reconcile(extracts, Parameters(config.as_of), folder / "run", with_links=False)
    run = from_directory(folder / "run", extracts, actor="test")
    national = run.figures.get(code="ALL")
    assert summary.national["code"] == "ALL"
    return {
        "rnp_persons": int(national.rnp_persons),
        "rnp_in_rsu": int(national.rnp_in_rsu),
        "amo_accepted_persons": int(national.amo_accepted_persons),
    }


def digits(text: str) -> int:
    """A number as the page writes it, whatever the locale's digits and separators."""
    western = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    return int(re.sub(r"\D", "", western))


def test_the_dashboard_shows_the_funnel_of_the_demo_run(page: Page, tmp_path: Path) -> None:
    national = demo_run(tmp_path)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("cnss")  # national scope (tests/conftest.py)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/forms/cnss/$"))  # CNSS starts at its files to decide
    page.get_by_role("navigation").get_by_role("link", name="لوحة القيادة").click()
    page.wait_for_url(re.compile(r"/$"))

    funnel = page.locator("#funnel-table tbody tr")
    expect(funnel).to_have_count(7)
    expect(page.locator("figure.funnel svg rect.kept")).to_have_count(7)
    first = funnel.nth(0).locator("td").nth(0).inner_text()
    assert digits(first) == national["rnp_persons"]
    assert digits(funnel.nth(1).locator("td").nth(0).inner_text()) == national["rnp_in_rsu"]
    last = funnel.nth(6).locator("td").nth(0).inner_text()
    assert digits(last) == national["amo_accepted_persons"]
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("المغرب")
    shot(page, "dashboard-ar")

    # The children table sorts through htmx, without leaving the page.
    header = page.locator("#children th").nth(2)  # living persons: not the default sort
    header.locator("a").click()
    expect(page.locator("#children th").nth(2)).to_have_attribute("aria-sort", "descending")
    expect(page.locator("#children th").nth(3)).not_to_have_attribute("aria-sort", "descending")

    page.get_by_role("button", name="français").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("#funnel-table caption")).to_have_text("L'entonnoir en tableau")
    page.locator("#children tbody tr").first.locator("a").first.click()
    expect(page.locator("nav.trail li")).to_have_count(2)
    shot(page, "dashboard-fr-region")
