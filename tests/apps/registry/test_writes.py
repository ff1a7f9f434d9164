"""sijill.registry.writes: the back office's own changes to the registers, each audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sijill.audit.chain import verify
from sijill.audit.models import Entry
from sijill.domain.rules import PersonRow
from sijill.registry import writes
from sijill.registry.models import Household
from tests.apps.backoffice import import_sample
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def row(idcs: str, relation: str, first: str, born: dt.date) -> PersonRow:
    return PersonRow(first, "العلوي", "X", "ALAOUI", "M", born, idcs, relation)


def test_a_registered_person_gets_a_fresh_ten_digit_idcs(people: Staff) -> None:
    person = writes.register_person(
        row("", "", "ياسين", dt.date(1995, 1, 1)), "A-00931", "Hay Mohammadi", "clerk_a"
    )
    assert len(person.idcs) == 10 and person.idcs.isdigit()
    assert Entry.objects.get(target="registry.person").actor == "clerk_a"


def test_an_update_replaces_members_and_keeps_their_first_declaration(registers: Staff) -> None:
    household = Household.objects.get(household_id="H001")
    first_declared = household.members.get(idcs="0012345674").declared_at
    members = [
        row("0012345674", "head", "محمد", dt.date(1982, 1, 2)),
        row("5555555555", "child", "ريم", dt.date(2024, 4, 4)),
    ]
    writes.save_household("H001", household.annex_code, household.address, 7.1, members, "v")
    household.refresh_from_db()
    assert household.score == 7.1
    kept = household.members.get(idcs="0012345674")
    newborn = household.members.get(idcs="5555555555")
    assert kept.declared_at == first_declared and newborn.declared_at > first_declared
    assert household.members.count() == 2
    entry = Entry.objects.filter(target="registry.household", action="update").get()
    assert '"members"' in entry.before and verify().ok


def test_amo_status_changes_stamp_their_time_and_each_beneficiary_reason(
    registers: Staff,
) -> None:
    from sijill.registry.models import AmoFile

    amo_file = AmoFile.objects.get(amo_file_id="F003")
    at = dt.datetime(2026, 2, 1, 10, 0, tzinfo=dt.UTC)
    writes.set_amo_status(amo_file, "transmitted", at, "validator_a")
    with pytest.raises(ValueError, match="decide_amo_file"):
        writes.set_amo_status(amo_file, "rejected", at, "cnss")
    people = list(amo_file.beneficiaries.values_list("beneficiary_id", flat=True))
    with pytest.raises(ValueError, match="every beneficiary"):
        writes.decide_amo_file(amo_file, {**dict.fromkeys(people), "B-nobody": None}, at, "cnss")
    reasons = {key: "doublon" for key in people}
    writes.decide_amo_file(amo_file, reasons, at + dt.timedelta(days=3), "cnss")
    amo_file.refresh_from_db()
    assert amo_file.status == "rejected"
    assert set(amo_file.beneficiaries.values_list("decision", "rejection_reason")) == {
        ("rejected", "doublon")
    }
    assert amo_file.transmitted_at == at and amo_file.decided_at == at + dt.timedelta(days=3)


def test_only_place_and_card_are_editable_directly(registers: Staff) -> None:
    from sijill.registry.models import Person

    person = Person.objects.get(idcs="0012345674")
    with pytest.raises(ValueError, match="not editable: birth_date"):
        writes.edit_person(person, {"birth_date": dt.date(1980, 1, 1)}, "sup")


@pytest.mark.parametrize(
    ("changes", "broken"),
    [
        ({"address": ""}, [("required", "address")]),
        ({"address": " \t\u00a0"}, [("required", "address")]),
        ({"cin": "be123"}, [("cin_format", "cin")]),
        ({"address": "\n", "cin": "123456"}, [("required", "address"), ("cin_format", "cin")]),
    ],
)
def test_an_edit_breaking_the_captures_rules_is_refused_and_changes_nothing(
    registers: Staff, changes: dict[str, str], broken: list[tuple[str, str]]
) -> None:
    """Issue 16, item 9: the registers accept what export accepts, whoever writes."""
    from sijill.registry.models import Person

    person = Person.objects.get(idcs="0012345674")
    with pytest.raises(writes.Refused) as refused:
        writes.edit_person(person, changes, "sup")
    assert [(v.rule, v.field) for v in refused.value.violations] == broken
    household = Household.objects.get(household_id="H001")
    with pytest.raises(writes.Refused):
        writes.edit_household(household, "  ", "sup")
    assert Person.objects.get(idcs="0012345674").address == "12, Rue Ibnou Sina, Maârif"
    assert Household.objects.get(household_id="H001").address == household.address
    assert not Entry.objects.filter(target__startswith="registry.", action="update").exists()


@pytest.mark.django_db(transaction=True)
def test_writes_that_lock_a_row_open_their_own_transaction(
    committed: None, people: Staff, tmp_path: Path
) -> None:
    """Issue 16, item 3: a row read to be changed is locked (`select_for_update`), which
    PostgreSQL allows only in a transaction: each write opens its own, called from none."""
    from sijill.registry.models import Person

    import_sample(tmp_path / "sample")
    person = writes.edit_person(Person.objects.get(idcs="0012345674"), {"cin": "J1"}, "sup")
    assert Person.objects.get(idcs="0012345674").cin == person.cin == "J1"
    household = Household.objects.get(household_id="H001")
    assert writes.edit_household(household, "Hay Nour", "sup").address == "Hay Nour"
    members = [row("0012345674", "head", "محمد", dt.date(1982, 1, 2))]
    writes.save_household("H001", household.annex_code, "Hay Nour", 7.0, members, "v")
    assert Household.objects.get(household_id="H001").members.count() == 1
    assert verify().ok
