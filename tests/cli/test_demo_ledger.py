"""sijill.cli.demo_ledger: the demo's requests are spread over the steps, each role's first."""

from __future__ import annotations

from sijill.cli.demo_ledger import QUOTAS, plan


def test_a_small_annex_still_has_one_request_at_each_step() -> None:
    assert plan(0) == []
    assert plan(2) == ["transmitted", "captured"]
    assert plan(3) == ["transmitted", "captured", "validated"]


def test_no_step_takes_more_than_its_quota() -> None:
    steps = plan(100)
    assert len(steps) == sum(QUOTAS.values())
    assert {step: steps.count(step) for step in QUOTAS} == QUOTAS
