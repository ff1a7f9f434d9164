"""Reading what a clerk captured (a form's JSON payload) into the domain's plain records.

Tolerant on purpose: a missing or malformed value becomes an empty one, and the gates then
report it with the field's name, in Arabic and French, instead of a parsing error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sijill.domain.rules import PersonRow

_TEXT = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat", "sex", "relation")


def parse_date(value: Any) -> dt.date | None:
    """An ISO day (or a date), else None."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


_date = parse_date


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _optional(value: Any) -> str | None:
    text = _text(value)
    return text or None


def person(data: Any) -> PersonRow:
    record: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    texts = {name: _text(record.get(name)) for name in _TEXT}
    return PersonRow(
        **texts,
        birth_date=_date(record.get("birth_date")),
        idcs=_optional(record.get("idcs")),
        cin=_optional(record.get("cin")),
        nationality=_text(record.get("nationality")) or "MAR",
    )


def people(data: Any) -> list[PersonRow]:
    return [person(item) for item in data] if isinstance(data, list) else []


def section(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = payload.get(name)
    return value if isinstance(value, Mapping) else {}


def answers(data: Any) -> dict[str, float]:
    if not isinstance(data, Mapping):
        return {}
    found: dict[str, float] = {}
    for name, value in data.items():
        # JSON true/false answer yes/no questions; the formula reads them as 1/0.
        if isinstance(value, int | float):
            found[str(name)] = float(value)
    return found


def as_payload(row: PersonRow) -> dict[str, Any]:
    """A person in the payload's shape (to prefill the next step of an integrated path)."""
    return {
        "idcs": row.idcs,
        "relation": row.relation,
        "first_name_ar": row.first_name_ar,
        "last_name_ar": row.last_name_ar,
        "first_name_lat": row.first_name_lat,
        "last_name_lat": row.last_name_lat,
        "sex": row.sex,
        "birth_date": row.birth_date.isoformat() if row.birth_date else None,
    }
