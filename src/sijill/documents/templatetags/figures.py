"""Template helpers of the monitoring pages: territory names, shares and counts as the
reader reads them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from sijill.i18n.formats import number

register = template.Library()


def place(territory: Any) -> str:
    """A territory's name in the active language (Arabic or French)."""
    if territory is None:
        return ""
    arabic = (get_language() or "ar").startswith("ar")
    return str(territory.name_ar if arabic else territory.name_fr)


def percent(value: float | None) -> float | None:
    """A share (0-1) as a percentage, for floatformat."""
    return None if value is None else 100.0 * value


def grouped(value: Any) -> Any:
    """A count as people read it, 1 234 567: digits grouped by narrow no-break spaces, in
    French and Arabic alike (the command line's `number`). Anything else is left as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return value


def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else getattr(mapping, key, None)


for _filter in (place, percent, grouped, get):
    register.filter(_filter.__name__, _filter)
