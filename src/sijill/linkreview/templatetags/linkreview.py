"""Template helpers of the link review: a probability as people read it."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from sijill.linkreview.pairs import DECIMALS, rounded_down

register = template.Library()


def probability(value: float | None) -> str:
    """Cut to three decimals in the page's number format: 0,999 for 0.9996 (never 1,000)."""
    if value is None:
        return ""
    cut = rounded_down(float(value))
    return "1" if cut >= 1 else str(number_format(cut, DECIMALS))


register.filter("probability", probability)
