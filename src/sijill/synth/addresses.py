"""Household addresses, and the slightly different ways one address gets written again."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sijill.synth import digits

Ints = npt.NDArray[np.int64]

QUARTERS = (
    "HAY MOHAMMADI",
    "HAY AL AMAL",
    "HAY HASSANI",
    "HAY SALAM",
    "HAY EL FATH",
    "HAY NAHDA",
    "HAY RIAD",
    "HAY KARIMA",
    "HAY ENNAHDA",
    "HAY ANNASR",
    "DOUAR OULED AHMED",
    "DOUAR AIT BRAHIM",
    "DOUAR LAGHRIBAT",
    "DOUAR TIZI",
    "DOUAR OULED SALAH",
    "MEDINA",
    "DERB SOLTANE",
    "SIDI MOUMEN",
    "BEN MSIK",
    "AIN CHOCK",
    "TABRIQUET",
    "YACOUB EL MANSOUR",
    "AL QODS",
    "AL WAFAE",
    "ERRAHMA",
    "AL MASSIRA",
    "LAAYAYDA",
    "OULED MTAA",
    "BOUKHALEF",
    "AL KHAIR",
)


def household_addresses(rng: np.random.Generator, n: int) -> pa.Array:
    """`RUE 12 N 34 HAY AL AMAL` style addresses: street, number, quarter."""
    quarter = pc.take(pa.array(QUARTERS), rng.integers(0, len(QUARTERS), n))
    street = digits.to_strings(digits.to_digits(rng.integers(1, 200, n), 3))
    number = digits.to_strings(digits.to_digits(rng.integers(1, 999, n), 3))
    return pc.binary_join_element_wise(
        "RUE", pc.utf8_ltrim(street, "0"), "N", pc.utf8_ltrim(number, "0"), quarter, " "
    )


def rewritten(addresses: list[str], rng: np.random.Generator) -> list[str]:
    """The same address as another clerk writes it: case, spacing and punctuation only."""
    styles = rng.integers(0, 4, len(addresses))
    out = []
    for text, style in zip(addresses, styles, strict=True):
        if style == 1:
            text = text.lower()
        elif style == 2:
            text = text.replace(" N ", " N° ", 1).replace(" ", "  ", 1)
        elif style == 3:
            text = text.title().replace(" N ", ", N ", 1)
        out.append(text)
    return out
