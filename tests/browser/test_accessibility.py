"""Accessibility, as axe-core judges it (WCAG 2.x A and AA): no violation on any page of the
counter, the validator, the search, the citizen and the monitoring, nor on the error pages,
in Arabic and in French; the counter, receipt and citizen pages fit a 390 px telephone
without scrolling sideways, the comparison of two runs a 1366 px screen. Each page is
photographed into tests/artifacts/ (`a11y-<lang>-<width>-<page>`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sijill.intake import counter
from tests.apps.backoffice import ANNEX_1, PASSWORD, REGISTRATION, person_payload
from tests.browser.axe import overflows, violations
from tests.browser.pages import shot
from tests.conftest import Staff

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
NARROW = 390


def _forms(people: Staff) -> dict[str, str]:
    """An AMO request captured from its RSU household (one name spelt otherwise), and an
    RNP registration captured then validated (its timeline and the step it opened)."""
    from sijill.intake import approval

    amo, _ = counter.deposit(
        people.clerk, kind="amo_request", channel="counter", annex_code=ANNEX_1,
        citizen_id="BE123456",
    )  # fmt: skip
    beneficiaries = [
        {**person_payload("0012345674", "insured"), "first_name_lat": "MOHAMED"},
        person_payload("0012345682", "spouse"),
        person_payload("0098765432", "child"),
    ]
    counter.capture(people.clerk, amo.receipt, {"household_id": "H001",
                                                 "beneficiaries": beneficiaries})  # fmt: skip
    rnp, _ = counter.deposit(
        people.clerk, kind="rnp_registration", channel="counter", annex_code=ANNEX_1,
        citizen_id="BK654321",
    )  # fmt: skip
    counter.capture(people.clerk, rnp.receipt, REGISTRATION)
    _, opened = approval.validate(people.validator, rnp.receipt)
    assert opened is not None
    return {"amo": amo.receipt, "rnp": rnp.receipt, "rsu": opened.receipt}


def _log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def tabs(browser: Browser, site: str) -> Iterator[dict[tuple[str, int], Page]]:
    """One browser context per language and width."""
    contexts = []
    tabs = {}
    for language in ("ar", "fr"):
        for width in (1366, NARROW):
            context = browser.new_context(
                base_url=site,
                locale=f"{language}-MA",
                viewport={"width": width, "height": 900},
                extra_http_headers={"Accept-Language": language},
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
            tabs[(language, width)] = context.new_page()
    yield tabs
    for context in contexts:
        context.close()


def _visit(page: Page, path: str, name: str, found: dict[str, list[str]], fits: bool) -> None:
    page.goto(path)
    page.wait_for_load_state()
    language, width = page.evaluate("document.documentElement.lang"), page.viewport_size
    assert width is not None
    key = f"{language}-{width['width']}-{name}"
    shot(page, f"a11y-{key}")
    problems = violations(page)
    if fits and overflows(page):
        problems.append(f"wider than a {width['width']} px screen")
    if problems:
        found[key] = problems


def test_every_page_passes_axe_in_arabic_and_french(
    tabs: dict[tuple[str, int], Page], registers: Staff
) -> None:
    receipts = _forms(registers)
    found: dict[str, list[str]] = {}
    for (language, width), page in tabs.items():
        for path, name in [("/status/", "status"), ("/status/steps/", "steps"),
                           ("/accounts/login/", "login"), ("/nowhere/", "404")]:  # fmt: skip
            _visit(page, path, name, found, fits=True)
        # A citizen's miss: the answer, and what was typed kept.
        page.goto("/status/")
        page.locator("#id_receipt").fill("AAAA-AAAA-AAAA")
        page.locator("#id_citizen_id").fill("BE 999 999")
        page.locator("form[action='/status/'] button[type=submit]").click()
        shot(page, f"a11y-{language}-{width}-status-miss")
        assert page.locator("#id_citizen_id").input_value() == "BE 999 999"
        found.update(
            {f"{language}-{width}-status-miss": violations(page)} if violations(page) else {}
        )

        _log_in(page, "clerk_a")
        for path, name in [
            ("/forms/counter/", "counter"),
            ("/forms/new/", "deposit"),
            (f"/forms/{receipts['amo']}/receipt/", "receipt"),
            (f"/forms/{receipts['rsu']}/capture/", "capture-rsu"),
            (f"/forms/{receipts['amo']}/capture/", "capture-amo"),
            (f"/forms/{receipts['amo']}/", "detail-clerk"),
            ("/forms/search/?q=MOHAMED", "search"),
        ]:
            _visit(page, path, name, found, fits=name in ("counter", "deposit", "receipt"))
        page.goto("/accounts/login/")
        page.context.clear_cookies()
        _log_in(page, "validator_a")
        for path, name in [
            ("/forms/", "queue"),
            (f"/forms/{receipts['amo']}/", "evidence"),
            (f"/forms/{receipts['rnp']}/", "timeline"),
            ("/forms/search/?q=محمد", "search-arabic"),
            ("/forms/new/", "403"),  # a validator deposits nothing
        ]:
            _visit(page, path, name, found, fits=False)
        page.context.clear_cookies()
    assert found == {}


def test_axe_sees_a_field_without_its_label(page: Page) -> None:
    page.set_content('<html lang="fr"><head><title>t</title></head><body><main>'
                     '<input id="x"></main></body></html>')  # fmt: skip
    assert any(v.startswith("label ") for v in violations(page))


def test_the_monitoring_pages_pass_axe_and_the_comparison_fits(
    tabs: dict[tuple[str, int], Page], people: Staff, tmp_path: Path
) -> None:
    from sijill.runs.models import Figures, Run
    from tests.apps.backoffice import staff
    from tests.browser.test_dashboard import demo_run

    demo_run(tmp_path)
    run = Run.objects.get()
    annex = Figures.objects.filter(run=run, level="annex").order_by("code").first()
    assert annex is not None
    staff("admin", "admin", None)
    found: dict[str, list[str]] = {}
    for (_language, width), page in tabs.items():
        if width == NARROW:
            continue
        _log_in(page, "admin")
        for path, name in [
            ("/", "dashboard"),
            (f"/monitoring/annex/{annex.code}/findings/", "findings"),
            (f"/monitoring/annex/{annex.code}/links/", "links"),
            ("/monitoring/runs/", "runs"),
            (f"/monitoring/runs/{run.pk}/", "run"),
            ("/monitoring/runs/upload/", "upload"),
            (f"/monitoring/compare/?a={run.pk}&b={run.pk}", "compare"),
        ]:
            _visit(page, path, name, found, fits=name == "compare")
    assert found == {}


def test_the_transmission_and_cnss_pages_pass_axe(
    tabs: dict[tuple[str, int], Page], people: Staff
) -> None:
    from sijill.intake import cnss
    from tests.apps.intake.test_cnss import validated_amo_request

    waiting = validated_amo_request(people)
    found: dict[str, list[str]] = {}
    for (_language, width), page in tabs.items():
        _log_in(page, "validator_a")
        _visit(page, "/forms/batches/", "batches-to-send", found, fits=width == NARROW)
        page.context.clear_cookies()
    batch = cnss.transmit(people.validator)
    for (_language, width), page in tabs.items():
        _log_in(page, "validator_a")
        _visit(page, f"/forms/batches/{batch.number}/", "batch", found, fits=False)
        page.context.clear_cookies()
        _log_in(page, "cnss")
        _visit(page, "/forms/cnss/", "cnss-queue", found, fits=False)
        _visit(page, f"/forms/cnss/{waiting.receipt}/", "cnss-file", found, fits=width == NARROW)
        page.context.clear_cookies()
    assert found == {}


def test_the_work_lists_demand_and_what_if_pass_axe_and_fit_a_telephone(
    tabs: dict[tuple[str, int], Page], people: Staff, tmp_path: Path
) -> None:
    """Issue 13's pages, as a supervisor of the commune sees them, in Arabic and French, at
    1366 px and on a 390 px telephone: no axe violation, no sideways scrolling."""
    from django.utils import timezone

    from sijill.runs.models import Candidate
    from sijill.worklists.handling import handle
    from tests.apps.demand.ledger import draw
    from tests.apps.reconciled import (
        import_country,
        load_wide_territories,
        reconciled,
        with_a_split,
    )
    from tests.extract_files import ANNEX_3, country_rows

    load_wide_territories()
    run = import_country(reconciled(tmp_path / "country", with_a_split(country_rows())))
    Candidate.objects.filter(run=run, row_id="M04").update(decision="confirmed",
                                                          decided_by=people.supervisor,
                                                          decided_at=timezone.now())  # fmt: skip
    from sijill import engine
    from sijill.runs.imports import findings_path

    first = engine.findings_of_annex(findings_path(run), ANNEX_1, "AMO_MISMATCH")[0]
    assert first.key is not None
    handle(people.supervisor, run, ANNEX_1, first.key, "in_progress", "appel au ménage")
    draw(people.clerk, [ANNEX_1, "A-00932"], 80, timezone.localdate())
    cluster = "SPLIT-H20"
    found: dict[str, list[str]] = {}
    for (_language, _width), page in tabs.items():
        _log_in(page, "supervisor")
        for path, name in [
            (f"/monitoring/annex/{ANNEX_1}/findings/", "worklist"),
            (f"/monitoring/annex/{ANNEX_1}/findings/?status=in_progress", "worklist-filtered"),
            (f"/monitoring/annex/{ANNEX_1}/splits/?cluster={cluster}", "splits"),
            (f"/monitoring/annex/{ANNEX_1}/links/", "links"),
            ("/monitoring/demand/", "demand"),
            ("/monitoring/threshold/?threshold=12", "threshold"),
            (f"/?code={ANNEX_1}", "dashboard-annex"),
        ]:
            _visit(page, path, name, found, fits=True)
        page.context.clear_cookies()
    assert ANNEX_3 and found == {}
