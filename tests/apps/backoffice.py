"""A small back office for the tests: the contract test territories, staff and tokens.

Territories are tests.extract_files' Casablanca set (one commune, annexes ANNEX_1 and
ANNEX_2) on top of the shipped reference, so scoping is tested with real codes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model

from sijill.accounts import tokens
from sijill.accounts.models import User
from sijill.domain.territory import Territory, load_reference
from sijill.registry.imports import import_extracts
from sijill.registry.models import Person
from sijill.territories.loading import upsert
from tests.extract_files import (
    ANNEX_1,
    ANNEX_2,
    COMMUNE,
    PROVINCE,
    REGION,
    territories_rows,
    write_set,
)

__all__ = ["ANNEX_1", "ANNEX_2", "COMMUNE", "PROVINCE", "REGION"]
PASSWORD = "Tadamon-2026-counter!"


def contract_territories() -> list[Territory]:
    return [
        Territory(
            code=str(row["code"]),
            parent_code=str(row["parent_code"]) if row["parent_code"] else None,
            level=str(row["level"]),
            name_ar=str(row["name_ar"]),
            name_fr=str(row["name_fr"]),
        )
        for row in territories_rows()
    ]


def load_territories() -> None:
    upsert(load_reference(), actor="test")
    upsert(contract_territories(), actor="test")


def staff(username: str, role: str, territory: str | None) -> User:
    user: User = get_user_model().objects.create_user(
        username=username, password=PASSWORD, role=role, territory_id=territory
    )
    return user


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.issue(user)}"}


# --- registers and forms -------------------------------------------------------------------

# Socio-economic answers of a poor rural household (the derived ones are computed).
POOR_ANSWERS: dict[str, float] = {
    "head_education_years": 0,
    "head_employed": 0,
    "rooms_per_person": 0.33,
    "piped_water": 0,
    "electricity": 1,
    "sewer_or_septic": 0,
    "refrigerator": 0,
    "television": 1,
    "car": 0,
    "internet": 0,
    "owns_dwelling": 1,
}
RICH_ANSWERS: dict[str, float] = {
    **POOR_ANSWERS,
    "head_education_years": 16,
    "head_employed": 1,
    "rooms_per_person": 2,
    "piped_water": 1,
    "sewer_or_septic": 1,
    "refrigerator": 1,
    "car": 1,
    "internet": 1,
}


def import_sample(folder: Path) -> None:
    """The contract tests' five persons, three households and three AMO files."""
    import_extracts(write_set(folder), actor="test")


def person_payload(idcs: str, relation: str) -> dict[str, object]:
    person = Person.objects.get(idcs=idcs)
    return {
        "idcs": idcs,
        "relation": relation,
        "first_name_ar": person.first_name_ar,
        "last_name_ar": person.last_name_ar,
        "first_name_lat": person.first_name_lat,
        "last_name_lat": person.last_name_lat,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
    }


def add_person(idcs: str, first_ar: str, first_lat: str, sex: str, born: str, annex: str) -> None:
    Person.objects.create(
        idcs=idcs,
        first_name_ar=first_ar,
        last_name_ar="الفاسي",
        first_name_lat=first_lat,
        last_name_lat="EL FASSI",
        sex=sex,
        birth_date=dt.date.fromisoformat(born),
        nationality="MAR",
        annex_code=annex,
        address="Derb Sidi Bouloukat, Fès",
        registered_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )


def fassi_family(annex: str = ANNEX_1) -> list[dict[str, object]]:
    """Three RNP persons in no RSU household yet: a couple and their daughter."""
    # One family per annex, so that each annex can hold one.
    first = "1" if annex == ANNEX_1 else "4"
    father, mother, daughter = (f"{first}{n}{'0' * 7}{n}" for n in (1, 2, 3))
    add_person(father, "إدريس", "DRISS", "M", "1970-05-05", annex)
    add_person(mother, "نزهة", "NEZHA", "F", "1974-08-08", annex)
    add_person(daughter, "سلمى", "SALMA", "F", "2012-02-02", annex)
    return [
        person_payload(father, "head"),
        person_payload(mother, "spouse"),
        person_payload(daughter, "child"),
    ]


def household_payload(
    members: list[dict[str, object]], answers: dict[str, float] | None = None
) -> dict[str, object]:
    return {
        "household": {
            "address": "Derb Sidi Bouloukat, Fès",
            "area": "rural",
            "answers": answers if answers is not None else POOR_ANSWERS,
            "members": members,
        }
    }


REGISTRATION = {
    "person": {
        "first_name_ar": "ياسين",
        "last_name_ar": "الشرقاوي",
        "first_name_lat": "YASSINE",
        "last_name_lat": "CHERKAOUI",
        "sex": "M",
        "birth_date": "1995-10-10",
        "cin": "BK654321",
        "nationality": "MAR",
        "address": "Hay Mohammadi, Casablanca",
    }
}
