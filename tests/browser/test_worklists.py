"""Browser journeys of issue 13, on SQLite and on PostgreSQL (they carry a `django_db` mark,
so that `pytest --db=postgresql -m django_db` runs them too):

1. a finding is resolved, a new run is made, and the finding stays resolved;
2. a split-suspect household is opened from the dashboard;
3. a link decision is made, then undone.

Runs are started from the runs page, as a supervisor does; the test plays the worker
(`sijill worker` runs the same `execute`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sijill.runs.models import Run
from tests.apps.backoffice import ANNEX_1, ANNEX_2, PASSWORD
from tests.browser.pages import shot
from tests.conftest import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("form.logout")).to_be_visible()


def run_from_the_page(page: Page) -> Run:
    """Start a run on the registers from the runs page, then do the worker's part."""
    from sijill.runs.lifecycle import execute

    page.goto("/monitoring/runs/")
    page.locator("#id_with_links").uncheck()  # linkage is not what this journey is about
    page.locator("form[action='/monitoring/runs/start/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/monitoring/runs/\d+/$"))
    run_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    execute(run_id)
    run: Run = Run.objects.get(pk=run_id)
    assert run.status == "succeeded", run.error
    return run


def test_a_resolved_finding_stays_resolved_in_the_next_run(page: Page, registers: Staff) -> None:
    log_in(page, "supervisor")
    first = run_from_the_page(page)
    page.goto(f"/?code={ANNEX_2}")
    page.locator(f"a[href='/monitoring/annex/{ANNEX_2}/findings/?run={first.pk}']").first.click()
    case = page.locator("article.case", has=page.locator("small.code", has_text="RSU_ID_UNKNOWN"))
    expect(case).to_have_count(1)
    key = str(case.get_attribute("id")).removeprefix("case-")
    case.locator("select[name=status]").select_option("resolved")
    case.locator("textarea[name=note]").fill("IDCS relevé sur l'acte de naissance")
    case.locator("button[type=submit]").click()  # htmx swaps the case in place
    resolved = page.locator(f"#case-{key}")
    expect(resolved).to_have_class(re.compile(r"status-resolved"))
    expect(resolved.locator("[role=status]")).to_be_visible()
    shot(page, "journey-1-resolved-ar")

    second = run_from_the_page(page)
    assert second.pk != first.pk
    page.goto(f"/monitoring/annex/{ANNEX_2}/findings/")  # the latest run's list
    again = page.locator(f"#case-{key}")
    expect(again).to_have_class(re.compile(r"status-resolved"))
    expect(again.locator("span.note")).to_contain_text("IDCS relevé sur l'acte de naissance")
    expect(page.locator(f"a[href*='run={second.pk}']").first).to_be_attached()
    page.locator("#status").select_option("resolved")
    page.locator("form.filter button[type=submit]").click()
    expect(page.locator("article.case")).to_have_count(1)
    shot(page, "journey-1-next-run-ar")


def test_a_split_suspect_household_is_opened_from_the_dashboard(
    page: Page, people: Staff, tmp_path: Path
) -> None:
    from tests.apps.reconciled import (
        import_country,
        load_wide_territories,
        reconciled,
        with_a_split,
    )
    from tests.extract_files import country_rows

    load_wide_territories()
    import_country(reconciled(tmp_path / "split", with_a_split(country_rows())))
    log_in(page, "supervisor")
    page.goto("/")  # the commune's dashboard
    page.locator("#split-suspects").click()  # its annexes, most split suspects first
    expect(page.locator("#children th[aria-sort=descending]")).to_have_count(1)
    page.locator("#children tbody tr").first.locator("a").first.click()
    expect(page.locator("main h1")).to_contain_text(ANNEX_1)
    page.locator("#split-suspects").click()  # the annex's own list
    expect(page.locator("#clusters tbody tr")).to_have_count(1)
    page.locator("#clusters tbody a").first.click()
    opened = page.locator("#opened article.case")
    expect(opened).to_have_count(2)
    expect(opened.first).to_contain_text("حسن الفاسي")
    expect(opened.nth(1)).to_contain_text("NADIA TAZI")
    shot(page, "journey-2-split-ar")
    opened.first.get_by_role("link").click()  # that household's findings
    expect(page.locator("p.household-filter")).to_contain_text("H20")


def test_a_link_decision_is_made_then_undone(page: Page, people: Staff, tmp_path: Path) -> None:
    from sijill.runs.models import Candidate
    from tests.apps.reconciled import import_country, load_wide_territories, reconciled
    from tests.extract_files import country_rows

    load_wide_territories()
    run = import_country(reconciled(tmp_path / "links", country_rows()))
    target = Candidate.objects.get(run=run, row_id="M04")
    log_in(page, "supervisor")
    page.goto(f"/?code={ANNEX_1}")
    page.locator(f"a[href='/monitoring/annex/{ANNEX_1}/links/?run={run.pk}']").first.click()
    card = page.locator(f"#link-{target.pk}")
    expect(card.locator("tr.differs")).to_have_count(6)  # names, sex, birth date differ
    card.locator("form[action$='/confirmed/'] button").click()
    expect(card).to_have_class(re.compile(r"decided-confirmed"))
    expect(card.locator("form[action$='/undecided/'] button")).to_be_visible()
    shot(page, "journey-3-confirmed-ar")
    page.locator("#decision").select_option("undecided")
    page.locator("form.filter button[type=submit]").click()
    expect(page.locator("article.case")).to_have_count(1)
    expect(page.locator(f"#link-{target.pk}")).to_have_count(0)
    page.locator("#decision").select_option("confirmed")
    page.locator("form.filter button[type=submit]").click()
    page.locator(f"#link-{target.pk} form[action$='/undecided/'] button").click()
    expect(page.locator(f"#link-{target.pk} [role=status]")).to_be_visible()
    expect(page.locator(f"#link-{target.pk} form[action$='/confirmed/'] button")).to_be_visible()
    target.refresh_from_db()
    assert target.decision is None and target.decided_by is None
    shot(page, "journey-3-undone-ar")
