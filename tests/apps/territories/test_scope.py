"""Territorial scope, end to end: annex A's staff get 404 for anything of annex B, by URL or API.

The 404 for something that exists elsewhere is byte for byte the 404 for something that
does not exist at all, so that nobody can probe another annex's receipts or identifiers.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sijill.intake import counter
from sijill.registry.models import AmoFile
from tests.apps.api.test_forms_ledger import Api, as_user
from tests.apps.backoffice import ANNEX_1, ANNEX_2
from tests.conftest import Staff

pytestmark = pytest.mark.django_db

MINE = {"persons": "0012345674", "households": "H001", "amo-files": "F001"}
THEIRS = {"persons": "0000000017", "households": "H002", "amo-files": "F002"}
KEY = {"persons": "idcs", "households": "household_id", "amo-files": "amo_file_id"}
# Keys of the right form that name no row (a malformed IDCS is refused before any look-up).
NOWHERE = {"persons": "9999999999", "households": "NO-SUCH-ROW", "amo-files": "NO-SUCH-ROW"}


def forms(people: Staff) -> tuple[str, str]:
    mine, _ = counter.deposit(people.clerk, kind="other", channel="counter", annex_code=ANNEX_1)
    theirs, _ = counter.deposit(people.clerk_b, kind="other", channel="counter", annex_code=ANNEX_2)
    return mine.receipt, theirs.receipt


@pytest.mark.parametrize("register", sorted(MINE))
def test_a_register_row_of_another_annex_is_not_found(registers: Staff, register: str) -> None:
    # The sample's AMO files were all deposited in annex 1; F002 moves to annex 2 here.
    AmoFile.objects.filter(amo_file_id="F002").update(annex_code=ANNEX_2)
    clerk = as_user(registers, "clerk")
    assert clerk.call("get", f"/{register}/{MINE[register]}")[0] == 200
    elsewhere = clerk.client.get(f"/api/v1/{register}/{THEIRS[register]}", headers=clerk.headers)
    nowhere = clerk.client.get(f"/api/v1/{register}/{NOWHERE[register]}", headers=clerk.headers)
    assert elsewhere.status_code == nowhere.status_code == 404
    assert elsewhere.content == nowhere.content
    _, page = clerk.call("get", f"/{register}")
    keys = {row[KEY[register]] for row in page["items"]}
    assert MINE[register] in keys and THEIRS[register] not in keys


def test_every_form_endpoint_hides_another_annexs_forms(registers: Staff) -> None:
    mine, theirs = forms(registers)
    clerk, validator = as_user(registers, "clerk"), as_user(registers, "validator")
    assert clerk.call("get", f"/forms/{mine}")[0] == 200
    calls: list[tuple[Api, str, str, dict[str, object] | None]] = [
        (clerk, "get", f"/forms/{theirs}", None),
        (clerk, "put", f"/forms/{theirs}/payload", {"payload": {}}),
        (validator, "post", f"/forms/{theirs}/validation", None),
        (validator, "post", f"/forms/{theirs}/rejection", {"reason": "x"}),
    ]
    for api, method, path, body in calls:
        assert api.call(method, path, body)[0] == 404, path
    listed = [f["receipt"] for f in clerk.call("get", "/forms")[1]["items"]]
    assert listed == [mine]


def test_edits_cannot_reach_or_move_into_another_annex(registers: Staff) -> None:
    supervisor_a = Api(as_user(registers, "supervisor").headers)
    from tests.apps.backoffice import bearer, staff

    annex_supervisor = Api(bearer(staff("sup_a", "supervisor", ANNEX_1)))
    assert annex_supervisor.call("patch", "/persons/0000000017", {"address": "x"})[0] == 404
    assert annex_supervisor.call("patch", "/households/H002", {"address": "x"})[0] == 404
    moved = annex_supervisor.call("patch", "/persons/0012345674", {"annex_code": ANNEX_2})
    assert moved[0] == 404
    # The commune's supervisor covers both annexes and may move people between them.
    status, person = supervisor_a.call("patch", "/persons/0012345674", {"annex_code": ANNEX_2})
    assert (status, person["annex_code"]) == (200, ANNEX_2)


def test_wider_territories_see_their_whole_subtree(registers: Staff) -> None:
    mine, theirs = forms(registers)
    for name in ("supervisor", "cnss"):
        api = as_user(registers, name)
        assert {f["receipt"] for f in api.call("get", "/forms")[1]["items"]} == {mine, theirs}
        assert api.call("get", "/households/H002")[0] == 200


def test_a_form_of_another_annex_is_not_found_by_url(registers: Staff) -> None:
    mine, theirs = forms(registers)
    browser = Client()
    browser.force_login(registers.clerk)
    assert browser.get(f"/forms/{mine}/").status_code == 200
    assert browser.get(f"/forms/{theirs}/").status_code == 404
    assert browser.get("/forms/NOT-A-RECEIPT/").status_code == 404
    supervisor = Client()
    supervisor.force_login(registers.supervisor)
    assert supervisor.get(f"/forms/{theirs}/").status_code == 200
