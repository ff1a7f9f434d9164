"""How each register's rows map to the contract's columns, for import and export alike.

One `Layout` per stored table: its natural key, the contract columns it stores and which
of them are timestamps (stored as instants, exchanged as Moroccan local time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import timezone

from sijill.registry import models

PERSON = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat", "sex", "birth_date")


@dataclass(frozen=True, slots=True)
class Layout:
    model: type[Model]
    target: str  # what the audit log calls it
    key: str
    fields: tuple[str, ...]  # stored columns other than the key (attnames)
    timestamps: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.key, *self.fields)


PERSONS = Layout(
    models.Person,
    "registry.person",
    "idcs",
    ("cin", *PERSON, "nationality", "annex_code", "address", "registered_at", "deceased"),
    ("registered_at",),
)
HOUSEHOLDS = Layout(
    models.Household, "registry.household", "household_id", ("annex_code", "address", "score")
)
# household_id here is the attname of the foreign key: the household's row id.
MEMBERS = Layout(
    models.Member,
    "registry.member",
    "member_id",
    ("household_id", "idcs", "relation", *PERSON, "declared_at"),
    ("declared_at",),
)
AMO_FILE_TIMES = ("deposited_at", "validated_at", "transmitted_at", "decided_at")
AMO_FILES = Layout(
    models.AmoFile,
    "registry.amofile",
    "amo_file_id",
    ("household_id", "annex_code", "status", *AMO_FILE_TIMES),
    AMO_FILE_TIMES,
)
BENEFICIARIES = Layout(
    models.Beneficiary,
    "registry.beneficiary",
    "beneficiary_id",
    ("file_id", "idcs", "relation", *PERSON, "decision", "rejection_reason"),
)


def stored_instant(local: dt.datetime | None) -> dt.datetime | None:
    """A contract timestamp (naive, Moroccan local time) as an instant in UTC.

    UTC, because Python never finds a local time in the hour repeated when Morocco's clocks
    go back equal to the same instant read back from the database in UTC (PEP 495), and an
    unchanged row would then look changed on every import.
    """
    if local is None:
        return None
    aware: dt.datetime = timezone.make_aware(local, timezone.get_default_timezone())
    return aware.astimezone(dt.UTC)


def exchanged_local(instant: dt.datetime | None) -> dt.datetime | None:
    if instant is None:
        return None
    local: dt.datetime = timezone.localtime(instant, timezone.get_default_timezone())
    return local.replace(tzinfo=None)


def values(instance: Model, layout: Layout) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in layout.columns}
