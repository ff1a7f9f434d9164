"""sijill.intake.workflow: which step may follow which, for which kind of form."""

from __future__ import annotations

import pytest

from sijill.domain.contract import AMO_STATUSES
from sijill.intake import workflow


def test_only_amo_requests_go_to_cnss() -> None:
    for kind in workflow.KINDS:
        allowed = workflow.allowed(workflow.TRANSMIT, kind, workflow.VALIDATED)
        assert allowed == (kind == workflow.AMO_REQUEST)
        assert workflow.is_final(kind, workflow.VALIDATED) == (kind != workflow.AMO_REQUEST)


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("deposited", "capture"),
        ("captured", "validation"),
        ("validated", "transmission"),
        ("transmitted", "cnss_decision"),
        ("under_review", "cnss_decision"),
        ("accepted", None),
        ("rejected", None),
    ],
)
def test_the_next_step_of_an_amo_request(status: str, step: str | None) -> None:
    assert workflow.next_step(workflow.AMO_REQUEST, status) == step


def test_decisions_come_only_after_transmission() -> None:
    for status in workflow.STATUSES:
        decidable = workflow.allowed(workflow.ACCEPT, workflow.AMO_REQUEST, status)
        assert decidable == (status in ("transmitted", "under_review"))


def test_every_status_has_its_timestamp_and_the_amo_statuses_map_onto_the_contracts() -> None:
    assert set(workflow.TIMESTAMP_OF.values()) == {f"{s}_at" for s in workflow.STATUSES}
    register_side = {"validated", "transmitted", "under_review", "accepted", "rejected"}
    assert register_side <= set(AMO_STATUSES)
