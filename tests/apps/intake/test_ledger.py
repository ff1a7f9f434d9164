"""sijill.intake.ledger: every write of a form goes through `save`, which tells `written`
(the form as saved, and as it was read before the step)."""

from __future__ import annotations

from typing import Any

import pytest

from sijill.intake import approval, counter, ledger, workflow
from tests.apps.backoffice import ANNEX_1
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def test_a_deposit_and_a_step_are_told_with_the_form_as_it_was(people: Staff) -> None:
    told: list[tuple[str, str | None]] = []

    def listen(sender: object, form: Any, was: Any, **_kwargs: object) -> None:
        told.append((form.status, was.status if was else None))

    ledger.written.connect(listen)
    try:
        form, _ = counter.deposit(people.clerk, kind="other", channel="counter",
                                  annex_code=ANNEX_1)  # fmt: skip
        approval.reject(people.validator, form.receipt, "Doublon")
    finally:
        ledger.written.disconnect(listen)
    assert told == [(workflow.DEPOSITED, None), (workflow.REJECTED, workflow.DEPOSITED)]
