"""Synthetic identifiers as digit matrices: issued IDCS, their typing errors, other ids.

Issued IDCS are nine scrambled digits plus a Luhn check digit. The check digit is the
generator's private guarantee, not a contract rule: Luhn catches every single-digit
substitution and every adjacent transposition except 0↔9, so each injected typo is known
never to equal another person's identifier, and the truth stays exact.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Digits = npt.NDArray[np.uint8]  # (n, width) matrix of digit values 0..9; 255 marks "dropped"
Ints = npt.NDArray[np.int64]

_DROPPED = 255
_SCRAMBLE_MOD = 10**9
_SCRAMBLE_MODULI = frozenset(10**k for k in range(1, 11))


def to_digits(values: Ints, width: int) -> Digits:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10).astype(np.uint8)


def luhn_check_digit(body: Digits) -> npt.NDArray[np.uint8]:
    """Check digit making body+digit pass Luhn (doubling every second digit from the right)."""
    doubled = body[:, ::-1].astype(np.int64)
    doubled[:, 0::2] *= 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    return np.asarray((10 - doubled.sum(axis=1) % 10) % 10, dtype=np.uint8)


def luhn_valid(digits: Digits) -> npt.NDArray[np.bool_]:
    rev = digits[:, ::-1].astype(np.int64)
    rev[:, 1::2] *= 2
    rev = np.where(rev > 9, rev - 9, rev)
    return np.asarray(rev.sum(axis=1) % 10 == 0)


def _reverse_digits(values: Ints, width: int) -> Ints:
    powers = 10 ** np.arange(width, dtype=np.int64)
    return np.asarray(((values[:, None] // powers[::-1]) % 10 * powers).sum(axis=1))


def scramble(index: Ints, seed: int, modulus: int) -> Ints:
    """A bijection of [0, modulus), modulus a power of ten, keyed by the seed.

    Affine steps (multipliers ending in 7 are coprime to 10**k) alternate with digit
    reversal, so that consecutive persons get unrelated-looking identifiers.
    """
    if modulus not in _SCRAMBLE_MODULI:
        # Larger moduli would overflow int64 in the multiplication below.
        raise ValueError(f"scramble supports moduli 10**1 .. 10**10, not {modulus}")
    width = len(str(modulus)) - 1
    rng = np.random.default_rng([seed, 7_919])
    value = index.astype(np.int64) % modulus
    for step in range(3):
        multiplier = int(rng.integers(1, modulus // 10)) * 10 + 7
        # Keep products below 2**63: multiply by the high and low halves separately.
        high, low = divmod(multiplier, 10**5)
        value = (value * high % modulus) * 10**5 + value * low + int(rng.integers(0, modulus))
        value %= modulus
        if step < 2:
            value = _reverse_digits(value, width)
    return value


def issued_idcs(person_index: Ints, seed: int) -> Digits:
    body = to_digits(scramble(person_index, seed, _SCRAMBLE_MOD), 9)
    return np.concatenate([body, luhn_check_digit(body)[:, None]], axis=1)


def typo(digits: Digits, rng: np.random.Generator) -> Digits:
    """One typing error per row: a changed digit, two swapped digits, or a dropped digit."""
    out = digits.copy()
    n, width = int(out.shape[0]), int(out.shape[1])
    rows = np.arange(n)
    kind = rng.integers(0, 3, n)
    pos = rng.integers(0, width, n)
    sub = kind == 0
    out[rows[sub], pos[sub]] = (out[rows[sub], pos[sub]] + rng.integers(1, 10, sub.sum())) % 10
    left = np.minimum(pos, width - 2)
    a, b = out[rows, left], out[rows, left + 1]
    # A swap of equal digits is no error, and Luhn misses 0<->9: change a digit instead.
    swap = (kind == 1) & (a != b) & ~((a + b == 9) & ((a == 0) | (a == 9)))
    out[rows[swap], left[swap]], out[rows[swap], left[swap] + 1] = b[swap], a[swap]
    bump = (kind == 1) & ~swap
    out[rows[bump], left[bump]] = (out[rows[bump], left[bump]] + 1) % 10
    drop = kind == 2
    cols = np.arange(width)
    source = np.where(cols[None, :] >= pos[drop, None], cols[None, :] + 1, cols[None, :])
    shifted = np.take_along_axis(
        np.pad(out[drop], ((0, 0), (0, 1)), constant_values=_DROPPED), source, axis=1
    )
    out[drop] = shifted
    return out


def codes(digits: Digits) -> Ints:
    """An integer per row that differs whenever the text differs (length included)."""
    present = digits != _DROPPED
    width = digits.shape[1]
    value = np.zeros(len(digits), dtype=np.int64)
    for col in range(width):
        keep = present[:, col]
        value = np.where(keep, value * 10 + digits[:, col], value)
    return np.asarray(value + present.sum(axis=1).astype(np.int64) * 10**width, dtype=np.int64)


def to_strings(digits: Digits, null: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """Arrow strings of the digits (dropped digits removed), null where `null` is set."""
    chars = np.where(digits == _DROPPED, 0, digits + 48).astype(np.uint8)
    raw = np.ascontiguousarray(chars).view(f"S{digits.shape[1]}").ravel()
    return pa.array(raw, mask=null).cast(pa.string())


def prefixed(prefix: str, values: Ints, width: int) -> pa.Array:
    """Opaque text ids such as `H0004821977`: a prefix and zero-padded digits."""
    if len(values) and (values.min() < 0 or values.max() >= 10**width):
        raise ValueError(f"ids must have at most {width} digits")
    return pc.binary_join_element_wise(prefix, to_strings(to_digits(values, width)), "")
