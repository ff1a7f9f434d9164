"""The validator's evidence (sijill.intake.evidence), a form's timeline
(sijill.intake.timeline), and the capture that starts from the RSU household."""

from __future__ import annotations

import pytest
from django.test import Client

from sijill.intake import approval, counter, evidence, gates, timeline
from sijill.intake.ledger import GateFailed
from sijill.intake.models import Form
from tests.apps.backoffice import ANNEX_1, REGISTRATION, person_payload
from tests.conftest import Staff

pytestmark = pytest.mark.django_db
FR = {"Accept-Language": "fr"}


def amo_request(people: Staff) -> Form:
    form, _ = counter.deposit(
        people.clerk, kind="amo_request", channel="counter", annex_code=ANNEX_1,
        citizen_id="BE123456",
    )  # fmt: skip
    return form


def client_of(user: object) -> Client:
    client = Client(headers=FR)
    client.force_login(user)
    return client


def h001(**first: str) -> list[dict[str, object]]:
    return [
        {**person_payload("0012345674", "insured"), **first},
        person_payload("0012345682", "spouse"),
        person_payload("0098765432", "child"),
    ]


def test_the_capture_of_an_amo_request_starts_from_the_rsu_household(registers: Staff) -> None:
    form = amo_request(registers)
    clerk = client_of(registers.clerk)
    data = {"household_id": "H001", "load_household": "1"}
    html = clerk.post(f"/forms/{form.receipt}/capture/", data).content.decode()
    assert html.count('name="beneficiaries-') > 3 * 9  # three members, every field
    assert 'value="محمد"' in html and 'value="0098765432"' in html
    assert 'id="id_beneficiaries-2-beneficiary" checked' in html


def rows(
    names: dict[str, str], ticked: tuple[bool, bool, bool] = (True, True, True)
) -> dict[str, str]:
    data: dict[str, str] = {
        "household_id": "H001", "beneficiaries-TOTAL_FORMS": "3",
        "beneficiaries-INITIAL_FORMS": "0", "capture": "1",
    }  # fmt: skip
    for n, person in enumerate(h001()):
        for key, value in person.items():
            data[f"beneficiaries-{n}-{key}"] = str(value)
        if ticked[n]:
            data[f"beneficiaries-{n}-beneficiary"] = "on"
    return data | names


def test_every_problem_is_shown_at_once_and_eastern_digits_are_digits(registers: Staff) -> None:
    form = amo_request(registers)
    clerk = client_of(registers.clerk)
    data = rows(
        {
            "beneficiaries-0-idcs": "12345",  # malformed: it hides nothing else
            "beneficiaries-1-first_name_lat": "فاطمة",  # Arabic letters in a Latin name
            "beneficiaries-1-idcs": "٠٠١٢٣٤٥٦٨٢",  # Eastern Arabic digits
        },
        ticked=(True, True, False),
    )
    answer = clerk.post(f"/forms/{form.receipt}/capture/", data)
    assert answer.status_code == 422
    form.refresh_from_db()
    found = {(v["rule"], v["field"], v["row"]) for v in form.violations}
    assert {("idcs_format", "idcs", 1), ("latin_script", "first_name_lat", 2)} <= found
    assert ("member_missing", "members", 3) in found
    assert ("not_a_member", "idcs", 2) not in found  # ٠٠١٢٣٤٥٦٨٢ is 0012345682
    html = answer.content.decode()
    assert 'id="error-summary"' in html and "data-focus-first" in html
    assert 'id="id_beneficiaries-2-beneficiary_error"' in html


def test_a_corrected_spelling_is_captured_and_shown_to_the_validator(registers: Staff) -> None:
    form = amo_request(registers)
    clerk = client_of(registers.clerk)
    data = rows({"beneficiaries-0-first_name_lat": "MOHAMED"})
    assert clerk.post(f"/forms/{form.receipt}/capture/", data).status_code == 302
    form.refresh_from_db()
    assert form.status == "captured"
    assert form.payload["beneficiaries"][0]["first_name_lat"] == "MOHAMED"
    # Back on the capture page, the difference is marked beside its field.
    html = clerk.get(f"/forms/{form.receipt}/capture/").content.decode()
    assert 'id="id_beneficiaries-0-first_name_lat_rsu"' in html and "MOHAMMED" in html

    sheet = evidence.sheet(form)
    assert sheet is not None and sheet.columns == ("rsu", "rnp")
    first = sheet.people[0]
    line = next(line for line in first.lines if line.field == "first_name_lat")
    assert (line.captured, line.rsu and line.rsu.differs, line.rnp and line.rnp.differs) == (
        "MOHAMED", True, True,
    )  # fmt: skip
    assert [p.differences for p in sheet.people] == [2, 0, 0]
    assert sheet.household is not None and sheet.household.known

    page = client_of(registers.validator).get(f"/forms/{form.receipt}/").content.decode()
    assert 'class="differs"' in page and "Toutes les règles sont respectées." in page
    assert "Historique" in page and "Déposé au guichet" in page


def test_a_member_left_out_is_listed_beside_the_file(registers: Staff) -> None:
    form = amo_request(registers)
    assert evidence.sheet(form) is None  # nothing captured yet
    form.payload = {"household_id": "H001", "beneficiaries": h001()[:2]}
    form.status = "captured"
    form.save()
    sheet = evidence.sheet(form)
    assert sheet is not None
    assert [(p.number, p.left_out) for p in sheet.people] == [(1, False), (2, False), (0, True)]
    assert [str(v.rule) for v in gates.check(form).violations] == ["member_missing"]


def test_the_timeline_tells_every_step_from_the_ledger_and_the_audit_log(people: Staff) -> None:
    form, _ = counter.deposit(
        people.clerk, kind="rnp_registration", channel="counter", annex_code=ANNEX_1,
        citizen_id="BK654321",
    )  # fmt: skip
    with pytest.raises(GateFailed):
        counter.capture(people.clerk, form.receipt, {"person": {}})
    counter.capture(people.clerk, form.receipt, REGISTRATION)
    done, opened = approval.validate(people.validator, form.receipt)
    events = timeline.of(done)
    assert [(e.action, e.actor, e.status) for e in events if e.actor] == [
        ("deposit", "clerk_a", "deposited"),
        ("capture_refused", "clerk_a", "deposited"),
        ("capture", "clerk_a", "captured"),
        ("validate", "validator_a", "validated"),
    ]
    assert next(e for e in events if e.action == "capture_refused").broken > 0
    assert opened is not None and ("opened", opened.receipt) in [
        (e.action, e.receipt) for e in events
    ]
    assert {e.action for e in timeline.of(opened)} == {"open_step", "opened_by"}
    page = client_of(people.validator).get(f"/forms/{form.receipt}/").content.decode()
    assert "BK654321" not in page.split('id="timeline"')[1]  # pseudonyms stay pseudonyms
    assert "validator_a" in page and "Saisie refusée" in page


def test_an_rsu_update_starts_from_the_household_as_the_rsu_holds_it(registers: Staff) -> None:
    form, _ = counter.deposit(
        registers.clerk, kind="rsu_update", channel="counter", annex_code=ANNEX_1,
        citizen_id="BE123456",
    )  # fmt: skip
    data = {"household_id": "H001", "load_household": "1"}
    html = client_of(registers.clerk).post(f"/forms/{form.receipt}/capture/", data)
    text = html.content.decode()
    assert 'name="members-2-idcs"' in text and 'value="0098765432"' in text
    assert '<option value="head" selected>' in text and "beneficiary" not in text
