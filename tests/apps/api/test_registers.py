"""sijill.api.registers: the registers read and edited over HTTP, every edit audited."""

from __future__ import annotations

import json

import pytest

from sijill.audit.models import Entry
from sijill.registry.models import Household, Person
from tests.apps.api.test_forms_ledger import Api, as_user
from tests.apps.backoffice import ANNEX_1, bearer, staff
from tests.conftest import Staff

pytestmark = pytest.mark.django_db


def test_a_person_reads_as_in_the_rnp(registers: Staff) -> None:
    status, person = as_user(registers, "clerk").call("get", "/persons/0012345674")
    assert status == 200
    assert person == {
        "idcs": "0012345674",
        "cin": "BE123456",
        "first_name_ar": "محمد",
        "last_name_ar": "العلوي",
        "first_name_lat": "MOHAMMED",
        "last_name_lat": "ALAOUI",
        "sex": "M",
        "birth_date": "1982-01-02",
        "nationality": "MAR",
        "annex_code": ANNEX_1,
        "address": "12, Rue Ibnou Sina, Maârif",
        "registered_at": "2019-03-04T08:15:00Z",  # 09:15 in Casablanca, as an instant
        "deceased": False,
    }


def test_a_household_comes_with_its_members_and_a_file_with_its_beneficiaries(
    registers: Staff,
) -> None:
    clerk = as_user(registers, "clerk")
    _, household = clerk.call("get", "/households/H001")
    assert household["score"] == 7.5
    assert [m["relation"] for m in household["members"]] == ["head", "spouse", "child"]
    _, amo_file = clerk.call("get", "/amo-files/F001")
    assert (amo_file["status"], len(amo_file["beneficiaries"])) == ("accepted", 3)


def test_lists_are_paginated(registers: Staff) -> None:
    _, page = as_user(registers, "cnss").call("get", "/persons?limit=2&offset=1")
    assert page["count"] == 5 and [p["idcs"] for p in page["items"]] == ["0012345674", "0012345682"]


def test_an_address_change_is_saved_and_audited_without_the_address(registers: Staff) -> None:
    supervisor = as_user(registers, "supervisor")
    status, person = supervisor.call("patch", "/persons/0012345674", {"address": "3, Bd Zerktouni"})
    assert (status, person["address"]) == (200, "3, Bd Zerktouni")
    entry = Entry.objects.filter(target="registry.person", action="update").get()
    assert entry.actor == "supervisor" and "Zerktouni" not in entry.after
    status, _ = supervisor.call("patch", "/households/H001", {"address": "Hay Nour"})
    assert status == 200 and Household.objects.get(household_id="H001").address == "Hay Nour"


def test_clerks_read_but_do_not_edit_registers(registers: Staff) -> None:
    status, problem = as_user(registers, "clerk").call(
        "patch", "/persons/0012345674", {"address": "x"}
    )
    assert status == 403 and problem["type"].endswith("/forbidden")


def test_edits_are_checked(registers: Staff) -> None:
    supervisor = as_user(registers, "supervisor")
    assert supervisor.call("patch", "/persons/0012345674", {"cin": "be1"})[0] == 422
    assert supervisor.call("patch", "/persons/0012345674", {"annex_code": "0007302"})[0] == 400
    assert supervisor.call("patch", "/persons/0012345674", {"idcs": "0000000000"})[0] == 200
    assert Person.objects.filter(idcs="0012345674").exists()  # unknown fields are ignored


def test_admins_edit_nationally(registers: Staff) -> None:
    admin = Api(bearer(staff("root", "admin", None)))
    status, _ = admin.call("patch", "/persons/0000000017", {"cin": "J45679"})
    assert status == 200 and Person.objects.get(idcs="0000000017").cin == "J45679"
    assert json.loads(json.dumps(admin.call("get", "/amo-files")[1]))["count"] == 3
