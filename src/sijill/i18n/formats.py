"""Numbers as Moroccan administration writes them, in every language of the catalogues.

Neutral on purpose: the command line, the pages and the reports all group counts this way.
"""

from __future__ import annotations


def number(value: int) -> str:
    """1 234 567: a narrow no-break space groups digits (a comma is a decimal sign in French)."""
    return f"{value:,}".replace(",", "\u202f")


def percent(value: float) -> str:
    """12,5 %, as Moroccan administration writes it in French and in Arabic."""
    return f"{value * 100:.1f}".replace(".", ",") + "\u202f%"
