"""sijill.demand.views: the demand page, scoped to the user's territory, its period and its
downloads (escaped like every export)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from sijill.accounts.models import User
from sijill.intake.models import Form
from tests.apps.demand.ledger import draw, write
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, COMMUNE

pytestmark = pytest.mark.django_db


def client_of(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def table(response: object) -> list[list[str]]:
    content = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content)))


def test_a_clerk_sees_the_own_annex_only(people: Staff) -> None:
    today = timezone.localdate()
    forms = draw(people.clerk, [ANNEX_1, ANNEX_2], 120, today)
    mine = sum(1 for f in forms if f.annex_code == ANNEX_1
               and (today - timezone.localtime(f.deposited_at).date()).days < 365)  # fmt: skip
    client = client_of(people.clerk)
    html = client.get("/monitoring/demand/").content.decode()
    assert f'<span class="figure" id="total">{mine}</span>' in html
    assert client.get(f"/monitoring/demand/?code={ANNEX_2}").status_code == 404
    assert client.get("/monitoring/demand/?code=ALL").status_code == 404
    rows = table(client.get("/monitoring/demand/?table=deposits&format=csv"))
    assert rows[0][0] == "Type de formulaire" and rows[-1][0] == "Total"
    assert int(rows[-1][-1]) == mine


def test_a_supervisor_sees_the_annexes_of_the_commune(people: Staff) -> None:
    today = timezone.localdate()
    draw(people.clerk, [ANNEX_1, ANNEX_2], 60, today)
    client = client_of(people.supervisor, "ar")
    html = client.get("/monitoring/demand/").content.decode()
    places = html.split('id="places"', 1)[1].split("</table>", 1)[0]
    assert f"?code={ANNEX_1}" in places and f"?code={ANNEX_2}" in places
    rows = table(client.get(f"/monitoring/demand/?code={COMMUNE}&table=territories&format=csv"))
    assert {r[0] for r in rows[1:]} == {ANNEX_1, ANNEX_2}
    assert sum(int(r[2]) for r in rows[1:]) == Form.objects.count()


def test_the_period_is_chosen_and_checked(people: Staff) -> None:
    client = client_of(people.supervisor)
    deposited = timezone.make_aware(dt.datetime(2024, 2, 3, 10, 0))
    write(receipt="P1", kind="other", channel="counter", annex_code=ANNEX_1,
          clerk=people.clerk, status="deposited", deposited_at=deposited)  # fmt: skip
    found = client.get("/monitoring/demand/?first=2024-02-01&last=2024-02-29").content.decode()
    assert '<span class="figure" id="total">1</span>' in found
    wrong = client.get("/monitoring/demand/?first=2024-03-01&last=2024-02-01").content.decode()
    assert "Le premier jour est après le dernier." in wrong
    assert client.get("/monitoring/demand/?first=nope").status_code == 200


def test_a_reason_that_looks_like_a_formula_is_exported_as_text(people: Staff) -> None:
    write(receipt="R1", kind="other", channel="counter", annex_code=ANNEX_1,
          clerk=people.clerk, status="rejected", rejection_reason="=HYPERLINK(1)",
          deposited_at=timezone.now(), rejected_at=timezone.now())  # fmt: skip
    client = client_of(people.supervisor)
    rows = table(client.get("/monitoring/demand/?table=reasons&format=csv"))
    assert rows[1][2] == "'=HYPERLINK(1)" and rows[1][3] == "1"
    xlsx = client.get("/monitoring/demand/?table=reasons&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
    for name in ("backlog", "delays", "territories"):
        assert client.get(f"/monitoring/demand/?table={name}&format=csv").status_code == 200
    assert client.get("/monitoring/demand/?format=pdf").status_code == 404


def test_the_menu_offers_the_pages_to_the_roles_that_use_them(people: Staff) -> None:
    clerk = client_of(people.clerk).get("/monitoring/demand/").content.decode()
    menu = clerk.split('aria-label="Menu principal"', 1)[1].split("</nav>", 1)[0]
    assert "/monitoring/demand/" in menu and "/monitoring/threshold/" not in menu
    supervisor = client_of(people.supervisor).get("/monitoring/demand/").content.decode()
    menu = supervisor.split('aria-label="Menu principal"', 1)[1].split("</nav>", 1)[0]
    assert "/monitoring/demand/" in menu and "/monitoring/threshold/" in menu


def test_the_page_counts_again_once_the_ledger_moves(registers: Staff) -> None:
    """Kept until a form moves: a step of a form (audited) or a new form shows at once."""
    from sijill.intake import approval, counter
    from tests.apps.backoffice import REGISTRATION

    client = client_of(registers.supervisor)

    def shares() -> tuple[str, str]:
        html = client.get("/monitoring/demand/").content.decode()
        total = html.split('id="total">', 1)[1].split("<", 1)[0]
        due = html.split('id="validation-share">', 1)[1].split("<", 1)[0]
        return total, due

    assert shares() == ("0", "—")
    form, _ = counter.deposit(registers.clerk, kind="rnp_registration", channel="counter",
                              annex_code=ANNEX_1, citizen_id="BK654321")  # fmt: skip
    counter.capture(registers.clerk, form.receipt, REGISTRATION)
    assert shares() == ("1", "—")  # captured today: not due yet
    approval.validate(registers.validator, form.receipt)  # opens the RSU declaration
    assert shares() == ("2", "100,0 %")
