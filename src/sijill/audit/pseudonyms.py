"""Keyed hashes standing in for identifiers and names in the audit log.

The same value always gives the same pseudonym (so an auditor can follow one person's
changes), but without the key nobody can test a guess such as a CIN against the log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings

# Every field name that holds something identifying a citizen, wherever it appears.
SENSITIVE: frozenset[str] = frozenset(
    {
        "idcs",
        "cin",
        "citizen_id",
        "first_name_ar",
        "last_name_ar",
        "first_name_lat",
        "last_name_lat",
        "birth_date",
        "address",
        "household_id",
        "member_id",
        "beneficiary_id",
        "amo_file_id",
        "register_key",
    }
)
PREFIX = "h:"


def pseudonym(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    digest = hmac.new(settings.AUDIT_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:32]


def masked(data: Any) -> Any:
    """`data` with the value of every sensitive key, at any depth, replaced by its pseudonym."""
    if isinstance(data, Mapping):
        return {
            str(k): (_masked_value(v) if k in SENSITIVE else masked(v)) for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [masked(item) for item in data]
    return data


def _masked_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [pseudonym(item) for item in value]
    return pseudonym(value)
