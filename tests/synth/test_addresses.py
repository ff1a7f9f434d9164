"""Household addresses and their rewritings (engine/synth/addresses.py)."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pytest

from sijill.synth.addresses import QUARTERS, household_addresses, rewritten

ADDRESS = re.compile(r"RUE ([1-9][0-9]*) N ([1-9][0-9]*) ([A-Z][A-Z ]*[A-Z])")


def normalized(address: str) -> str:
    """Case, the punctuation a clerk adds (° , .) and white space do not matter."""
    for mark in "°,.":
        address = address.replace(mark, " ")
    return " ".join(address.upper().split())


@pytest.fixture(scope="module")
def addresses() -> list[str]:
    return [str(a) for a in household_addresses(np.random.default_rng(6), 20_000).to_pylist()]


def test_normalized_helper() -> None:
    assert normalized("Rue 12,  N° 34 Hay Al Amal.") == "RUE 12 N 34 HAY AL AMAL"


def test_household_addresses_are_non_empty_uppercase(addresses: list[str]) -> None:
    assert len(addresses) == 20_000
    for address in addresses:
        assert address.strip() == address != ""
        assert address == address.upper()
        assert "  " not in address


def test_household_addresses_follow_the_street_number_quarter_pattern(
    addresses: list[str],
) -> None:
    seen: set[str] = set()
    for address in addresses:
        match = ADDRESS.fullmatch(address)
        assert match, address
        assert 1 <= int(match[1]) < 200
        assert 1 <= int(match[2]) < 999
        seen.add(match[3])
    assert seen == set(QUARTERS)
    assert len(set(addresses)) > 0.95 * len(addresses)


def test_household_addresses_type_and_edge_sizes() -> None:
    out = household_addresses(np.random.default_rng(1), 3)
    assert out.type == pa.string()
    assert out.null_count == 0
    assert len(household_addresses(np.random.default_rng(1), 0)) == 0
    again = household_addresses(np.random.default_rng(1), 3)
    assert out.to_pylist() == again.to_pylist()


def test_rewritten_keeps_the_address(addresses: list[str]) -> None:
    again = rewritten(addresses, np.random.default_rng(7))
    assert len(again) == len(addresses)
    for before, after in zip(addresses, again, strict=True):
        assert after.strip()
        assert normalized(after) == normalized(before), (before, after)


def test_rewritten_changes_the_writing_of_some(addresses: list[str]) -> None:
    again = rewritten(addresses, np.random.default_rng(8))
    changed = [a != b for a, b in zip(addresses, again, strict=True)]
    assert 0.6 < sum(changed) / len(changed) < 0.9  # three of four styles change the text
    assert any(a.islower() for a in again)
    assert any("°" in a for a in again)
    assert any("," in a for a in again)
    assert any("  " in a for a in again)


def test_rewritten_on_known_addresses() -> None:
    base = ["RUE 12 N 34 HAY AL AMAL", "RUE 1 N 5 DOUAR OULED AHMED", "RUE 199 N 998 AL QODS"]
    seen: set[str] = set()
    for seed in range(40):
        for before, after in zip(base, rewritten(base, np.random.default_rng(seed)), strict=True):
            assert normalized(after) == before
            seen.add(after)
    assert "rue 12 n 34 hay al amal" in seen
    assert "RUE  12 N° 34 HAY AL AMAL" in seen
    assert "Rue 12, N 34 Hay Al Amal" in seen
    assert "RUE 12 N 34 HAY AL AMAL" in seen


def test_rewritten_of_nothing() -> None:
    assert rewritten([], np.random.default_rng(0)) == []
