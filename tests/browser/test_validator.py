"""Browser test 3: a captured form appears in the validator's queue and is validated there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sijill.intake import counter
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1, REGISTRATION
from tests.browser.pages import log_in, shot
from tests.conftest import Staff

pytestmark = pytest.mark.browser


def test_a_validator_validates_a_form_from_the_queue(page: Page, people: Staff) -> None:
    form, _ = counter.deposit(
        people.clerk,
        kind="rnp_registration",
        channel="counter",
        annex_code=ANNEX_1,
        citizen_id="BK654321",
    )
    counter.capture(people.clerk, form.receipt, REGISTRATION)

    log_in(page, "validator_a")
    expect(page.get_by_role("heading", level=1)).to_have_text("قائمة المصادقة")
    row = page.locator(f"#row-{form.receipt}")
    expect(row).to_contain_text(form.receipt)
    shot(page, "validator-queue")

    row.get_by_role("button", name="مصادقة").click()
    # htmx swaps the row in place: the page is not reloaded.
    expect(page.locator(f"#row-{form.receipt}")).to_contain_text("تمت المصادقة")
    shot(page, "validator-validated")
    form.refresh_from_db()
    assert form.status == "validated" and form.register_key  # the new person's IDCS
    assert Form.objects.filter(parent=form, kind="rsu_declaration").count() == 1
