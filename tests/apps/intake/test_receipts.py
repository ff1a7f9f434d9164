"""sijill.intake.receipts: receipt numbers survive being read aloud and typed back."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sijill.intake.receipts import ALPHABET, new_receipt, normalized

SHAPE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def test_a_receipt_is_three_groups_of_four_and_checks_itself() -> None:
    receipt = new_receipt()
    assert SHAPE.fullmatch(receipt)
    assert normalized(receipt) == receipt


def test_typing_it_back_loosely_still_finds_it() -> None:
    receipt = new_receipt()
    typed = receipt.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalized(f"  {typed} ") == receipt


@given(st.data())
def test_any_single_mistyped_character_is_caught(data: st.DataObject) -> None:
    receipt = new_receipt().replace("-", "")
    i = data.draw(st.integers(0, len(receipt) - 1))
    wrong = data.draw(st.sampled_from([c for c in ALPHABET if c != receipt[i]]))
    assert normalized(receipt[:i] + wrong + receipt[i + 1 :]) is None


@given(st.text(max_size=20))
def test_anything_else_is_not_a_receipt_and_never_raises(text: str) -> None:
    found = normalized(text)
    assert found is None or SHAPE.fullmatch(found)


def test_receipts_do_not_repeat() -> None:
    assert len({new_receipt() for _ in range(2000)}) == 2000
