"""Template helpers of the monitoring pages: territory names and shares in the reader's
language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

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


def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else getattr(mapping, key, None)


for _filter in (place, percent, get):
    register.filter(_filter.__name__, _filter)
