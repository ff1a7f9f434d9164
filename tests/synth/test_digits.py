"""Synthetic identifiers (engine/synth/digits.py): issued IDCS, typos, codes, text."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from sijill.synth import digits

Ints = npt.NDArray[np.int64]


def luhn_ok(text: str) -> bool:
    """Textbook Luhn check, independent of the module under test."""
    total = 0
    for i, ch in enumerate(reversed(text)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def scramble_reference(index: Ints, seed: int, modulus: int) -> list[int]:
    """`scramble` in exact (Python int) arithmetic, drawing the same keys from the seed."""
    width = len(str(modulus)) - 1
    rng = np.random.default_rng([seed, 7_919])
    values = [int(i) % modulus for i in index]
    for step in range(3):
        multiplier = int(rng.integers(1, modulus // 10)) * 10 + 7
        shift = int(rng.integers(0, modulus))
        values = [(v * multiplier + shift) % modulus for v in values]
        if step < 2:
            values = [int(str(v).zfill(width)[::-1]) for v in values]
    return values


def n_distinct(values: Ints) -> int:
    """Distinct values by sorting (np.unique is needlessly slow on large int arrays)."""
    ordered = np.sort(values)
    return int(len(ordered) > 0) + int(np.count_nonzero(np.diff(ordered)))


def contains(haystack_sorted: Ints, needles: Ints) -> npt.NDArray[np.bool_]:
    pos = np.clip(np.searchsorted(haystack_sorted, needles), 0, len(haystack_sorted) - 1)
    return np.asarray(haystack_sorted[pos] == needles)


@pytest.fixture(scope="module")
def million() -> digits.Digits:
    return digits.issued_idcs(np.arange(1_000_000, dtype=np.int64), 1)


@pytest.fixture(scope="module")
def million_codes(million: digits.Digits) -> Ints:
    return np.sort(digits.codes(million))


# --------------------------------------------------------------------------------------
# Issued IDCS


def test_issued_idcs_are_ten_digits(million: digits.Digits) -> None:
    assert million.shape == (1_000_000, 10)
    assert million.dtype == np.uint8
    assert int(million.max()) <= 9
    text = digits.to_strings(million)
    assert text.null_count == 0
    assert pc.all(pc.match_substring_regex(text, r"^[0-9]{10}$")).as_py()


def test_issued_idcs_pass_luhn(million: digits.Digits) -> None:
    assert digits.luhn_valid(million).all()
    # Independent check on a sample.
    sample = digits.to_strings(million[::997]).to_pylist()
    assert all(luhn_ok(str(s)) for s in sample)


def test_issued_idcs_unique_over_a_million(million_codes: Ints) -> None:
    assert n_distinct(million_codes) == 1_000_000


def test_issued_idcs_depend_on_the_seed(million: digits.Digits) -> None:
    index = np.arange(10_000, dtype=np.int64)
    again = digits.issued_idcs(index, 1)
    other = digits.issued_idcs(index, 2)
    assert np.array_equal(again, million[:10_000])
    differs = (other != million[:10_000]).any(axis=1)
    assert differs.mean() > 0.99


def test_issued_idcs_depend_on_the_person_not_the_batch(million: digits.Digits) -> None:
    index = np.array([5, 123_456, 999_999], dtype=np.int64)
    assert np.array_equal(digits.issued_idcs(index, 1), million[index])


def test_consecutive_persons_look_unrelated(million: digits.Digits) -> None:
    same = million[:-1] == million[1:]
    shared = np.cumprod(same, axis=1).sum(axis=1)
    # Uniformly random strings share >= k leading digits with probability 10**-k.
    assert (shared >= 1).mean() < 0.12
    assert (shared >= 2).mean() < 0.015
    assert (shared >= 3).mean() < 0.002
    assert (shared >= 5).sum() <= 2
    # First digits are spread over 0..9.
    first = np.bincount(million[:, 0], minlength=10) / len(million)
    assert first.min() > 0.08


# --------------------------------------------------------------------------------------
# scramble


@pytest.mark.parametrize("seed", [1, 42])
def test_scramble_is_a_permutation_of_ten_to_the_fifth(seed: int) -> None:
    out = digits.scramble(np.arange(10**5, dtype=np.int64), seed, 10**5)
    assert out.dtype == np.int64
    assert np.array_equal(np.sort(out), np.arange(10**5))
    assert not np.array_equal(out, np.arange(10**5))


@pytest.mark.parametrize("modulus", [10**5, 10**9, 10**10])
def test_scramble_matches_exact_arithmetic(modulus: int) -> None:
    """No int64 overflow: equal to the same affine/reversal steps in Python integers."""
    rng = np.random.default_rng(11)
    index = np.concatenate(
        [
            rng.integers(0, modulus, 3_000),
            np.array([0, 1, 2, modulus - 2, modulus - 1], dtype=np.int64),
        ]
    )
    out = digits.scramble(index, 3, modulus)
    assert out.dtype == np.int64
    assert out.min() >= 0
    assert out.max() < modulus
    assert out.tolist() == scramble_reference(index, 3, modulus)


@pytest.mark.parametrize("modulus", [10**9, 10**10])
def test_scramble_is_injective_on_a_sample(modulus: int) -> None:
    rng = np.random.default_rng(5)
    drawn = np.sort(
        np.concatenate(
            [
                rng.integers(0, modulus, 150_000),
                np.arange(50_000, dtype=np.int64),
                np.arange(modulus - 50_000, modulus, dtype=np.int64),
            ]
        )
    )
    sample = drawn[np.concatenate([[True], np.diff(drawn) != 0])]
    out = digits.scramble(sample, 9, modulus)
    assert out.min() >= 0
    assert out.max() < modulus
    assert n_distinct(out) == len(sample)


def test_scramble_reduces_the_index_modulo() -> None:
    index = np.array([3, 10**9 + 3, 5 * 10**9 + 3], dtype=np.int64)
    out = digits.scramble(index, 1, 10**9)
    assert out[0] == out[1] == out[2]


@pytest.mark.parametrize("modulus", [10**11, 10**13, 12_345])
def test_scramble_refuses_moduli_it_cannot_keep_bijective(modulus: int) -> None:
    # 10**13 used to overflow int64: 4_960_074_576_622 and 6_474_769_669_024 met.
    pair = np.array([4_960_074_576_622, 6_474_769_669_024], dtype=np.int64)
    with pytest.raises(ValueError, match="moduli"):
        digits.scramble(pair, 3, modulus)


def test_prefixed_refuses_ids_wider_than_the_width() -> None:
    with pytest.raises(ValueError, match="at most 3 digits"):
        digits.prefixed("H", np.array([1000], dtype=np.int64), 3)


# --------------------------------------------------------------------------------------
# typo


@pytest.fixture(scope="module")
def typos(million: digits.Digits) -> tuple[digits.Digits, digits.Digits]:
    original = million[:200_000]
    return original, digits.typo(original, np.random.default_rng(2024))


def test_typo_leaves_its_input_alone(million: digits.Digits) -> None:
    original = million[:1000].copy()
    digits.typo(original, np.random.default_rng(0))
    assert np.array_equal(original, million[:1000])


def test_typo_is_never_a_valid_issued_idcs(typos: tuple[digits.Digits, digits.Digits]) -> None:
    _, typed = typos
    text = digits.to_strings(typed)
    assert text.null_count == 0
    assert pc.all(pc.match_substring_regex(text, r"^[0-9]{9,10}$")).as_py()
    ten = pc.equal(pc.utf8_length(text), 10).to_numpy(zero_copy_only=False)
    # A 10-digit typo always fails Luhn; otherwise it is 9 digits long.
    assert not digits.luhn_valid(typed[ten]).any()
    sample = [str(v) for v in text.to_pylist()[::7]]
    assert not any(luhn_ok(v) for v in sample if len(v) == 10)
    # Every kind of error occurs.
    assert 0.25 < (~ten).mean() < 0.42


def test_typo_differs_from_the_original(typos: tuple[digits.Digits, digits.Digits]) -> None:
    original, typed = typos
    assert (digits.codes(original) != digits.codes(typed)).all()
    before = digits.to_strings(original).to_pylist()
    after = digits.to_strings(typed).to_pylist()
    assert all(a != b for a, b in zip(before, after, strict=True))


def test_typo_never_hits_another_issued_idcs(
    million_codes: Ints, typos: tuple[digits.Digits, digits.Digits]
) -> None:
    _, typed = typos
    assert not contains(million_codes, digits.codes(typed)).any()


def test_typo_is_one_edit(typos: tuple[digits.Digits, digits.Digits]) -> None:
    original, typed = typos
    before = [str(s) for s in digits.to_strings(original).to_pylist()]
    after = [str(s) for s in digits.to_strings(typed).to_pylist()]
    for a, b in zip(before[:20_000], after[:20_000], strict=True):
        if len(b) == 9:
            assert any(a[:i] + a[i + 1 :] == b for i in range(10)), (a, b)
        else:
            diff = [i for i in range(10) if a[i] != b[i]]
            swapped = len(diff) == 2 and diff[1] == diff[0] + 1
            swapped = swapped and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
            assert len(diff) == 1 or swapped, (a, b)


def test_typo_on_hard_cases() -> None:
    """Equal neighbours and 0/9 neighbours, where a swap would be no error or Luhn-blind."""
    body = np.array([[0, 9, 0, 9, 0, 9, 0, 9, 0], [5, 5, 5, 5, 5, 5, 5, 5, 5]], dtype=np.uint8)
    check = digits.luhn_check_digit(body)[:, None]
    rows = np.repeat(np.concatenate([body, check], axis=1), 20_000, axis=0)
    typed = digits.typo(rows, np.random.default_rng(1))
    ten = (typed != 255).all(axis=1)
    assert not digits.luhn_valid(typed[ten]).any()
    assert (digits.codes(rows) != digits.codes(typed)).all()


# --------------------------------------------------------------------------------------
# codes, to_strings, prefixed


def as_digits(texts: list[str]) -> digits.Digits:
    width = max(len(t) for t in texts)
    out = np.full((len(texts), width), 255, dtype=np.uint8)
    for row, text in enumerate(texts):
        out[row, : len(text)] = [int(c) for c in text]
    return out


def test_codes_differ_when_strings_differ() -> None:
    texts = ["0123456789", "123456789", "1234567890", "0000000000", "000000000", "9999999999"]
    texts += ["999999999", "0000000001", "100000000", "012345678"]
    matrix = as_digits(texts)
    assert digits.to_strings(matrix).to_pylist() == texts
    codes = digits.codes(matrix)
    assert len(set(codes.tolist())) == len(texts)


def test_codes_equal_when_strings_equal() -> None:
    matrix = as_digits(["0123456789", "123456789", "0123456789", "123456789"])
    codes = digits.codes(matrix)
    assert codes[0] == codes[2]
    assert codes[1] == codes[3]
    assert codes[0] != codes[1]


def test_codes_are_injective_on_random_ten_and_nine_digit_strings() -> None:
    rng = np.random.default_rng(4)
    matrix = rng.integers(0, 10, (100_000, 10)).astype(np.uint8)
    matrix[50_000:, 9] = 255
    text = digits.to_strings(matrix).to_pylist()
    assert n_distinct(digits.codes(matrix)) == len(set(text))


def test_to_strings_keeps_leading_zeros() -> None:
    values = np.array([0, 7, 123, 1_234_567_890, 12], dtype=np.int64)
    out = digits.to_strings(digits.to_digits(values, 10))
    assert out.type == pa.string()
    assert out.to_pylist() == ["0000000000", "0000000007", "0000000123", "1234567890", "0000000012"]


def test_to_strings_honours_the_null_mask() -> None:
    matrix = digits.to_digits(np.array([1, 2, 3, 4], dtype=np.int64), 10)
    null = np.array([False, True, False, True])
    out = digits.to_strings(matrix, null)
    assert out.to_pylist() == ["0000000001", None, "0000000003", None]
    assert out.null_count == 2
    assert digits.to_strings(matrix).null_count == 0


def test_to_strings_drops_dropped_digits() -> None:
    assert digits.to_strings(as_digits(["0123456789", "012345678"])).to_pylist() == [
        "0123456789",
        "012345678",
    ]


def test_prefixed() -> None:
    values = np.array([4_821_977, 0, 9_999_999_999], dtype=np.int64)
    out = digits.prefixed("H", values, 10)
    assert out.type == pa.string()
    assert out.to_pylist() == ["H0004821977", "H0000000000", "H9999999999"]
    assert digits.prefixed("S", np.array([12], dtype=np.int64), 4).to_pylist() == ["S0012"]
