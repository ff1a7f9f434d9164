"""Receipt numbers: short, read aloud at a counter, typed back by citizens without mistakes.

Twelve characters from Crockford's base-32 alphabet (no I, L, O, U) in three groups; the
last one is a check character: a receipt with one character mistyped never reaches a look-up.
Random, not sequential: a receipt reveals neither how many forms an annex takes nor when.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BODY = 11
# Crockford's reading rules: letters that look like digits are those digits.
_LOOKALIKES = str.maketrans("OIL", "011")


def _check(body: str) -> str:
    # Odd weights are prime to 32, so changing any one character always changes the sum.
    total = sum((2 * i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_receipt() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_BODY))
    text = body + _check(body)
    return f"{text[0:4]}-{text[4:8]}-{text[8:12]}"


def normalized(receipt: str) -> str | None:
    """The canonical form of a typed receipt, or None when it cannot be one of ours."""
    text = receipt.strip().upper().replace("-", "").replace(" ", "")
    text = text.translate(_LOOKALIKES)
    if len(text) != _BODY + 1 or any(ch not in ALPHABET for ch in text):
        return None
    if _check(text[:_BODY]) != text[-1]:
        return None
    return f"{text[0:4]}-{text[4:8]}-{text[8:12]}"
