"""sijill.dashboards.threshold and its page: who would become eligible, or stop being, per
territory, from the run's scores; for the roles that may run reconciliations."""

from __future__ import annotations

import pytest
from django.test import Client

from sijill.accounts.models import User
from sijill.dashboards.threshold import compute
from sijill.engine import Shift
from sijill.runs.models import Figures, Run
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, ANNEX_3, COMMUNE, PROVINCE, REGION

pytestmark = pytest.mark.django_db


def fig(run: Run, code: str) -> Figures:
    found: Figures = Figures.objects.get(run=run, code=code)
    return found


def test_rising_sums_each_annex_up_the_tree(monitored: Run) -> None:
    found = compute(monitored, fig(monitored, COMMUNE), 12.0)
    assert found is not None and found.rising and found.moved
    # H07 (10.0, two members) in ANNEX_2; H02 (12.0, one member, its file rejected) in ANNEX_1.
    assert found.shown.shift == Shift(2, 3, 0, 0)
    assert {r.figures.code: r.shift for r in found.children} == {
        ANNEX_2: Shift(1, 2, 0, 0),
        ANNEX_1: Shift(1, 1, 0, 0),
    }
    assert [r.figures.code for r in found.children] == [ANNEX_2, ANNEX_1]  # most persons first
    assert found.households_then == fig(monitored, COMMUNE).counts["eligible_households"] + 2


def test_falling_counts_those_holding_a_file(monitored: Run) -> None:
    national = compute(monitored, fig(monitored, "ALL"), 7.0)
    assert national is not None and not national.rising
    # H01 (7.5, three members, an accepted file), H06 (8.0, in ANNEX_3) and H03 (exactly
    # at the threshold, one member, a pending file) stop.
    assert national.shown.shift == Shift(3, 5, 2, 4)
    assert {r.figures.code: r.shift for r in national.children} == {REGION: Shift(3, 5, 2, 4),
                                                                    "04": Shift()}  # fmt: skip
    province = compute(monitored, fig(monitored, PROVINCE), 7.0)
    assert province is not None and province.shown.shift == Shift(3, 5, 2, 4)
    annex = compute(monitored, fig(monitored, ANNEX_3), 7.0)
    assert annex is not None and annex.shown.shift == Shift(1, 1, 0, 0) and annex.children == []
    same = compute(monitored, fig(monitored, COMMUNE), float(monitored.parameters["threshold"]))
    assert same is not None and not same.moved and same.shown.shift == Shift()


def client_of(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_page_reads_the_threshold_as_the_reader_writes_it(
    monitored: Run, people: Staff
) -> None:
    client = client_of(people.supervisor)
    html = client.get("/monitoring/threshold/?threshold=12,0").content.decode()
    assert 'value="12,0"' in html or 'value="12"' in html
    table = html.split('id="shifts-table"', 1)[1].split("</table>", 1)[0]
    assert table.index(ANNEX_2) < table.index(ANNEX_1)
    assert 'type="range"' in html and 'min="5.00"' in html and 'max="12.00"' in html
    partial = client.get("/monitoring/threshold/?threshold=7", HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<section id="shifts"')
    wrong = client.get("/monitoring/threshold/?threshold=abc").content.decode()
    assert 'class="errors"' in wrong and "Le seuil du traitement lui-même" in wrong


def test_the_page_is_for_those_who_run_and_within_their_scope(
    monitored: Run, people: Staff, admin: User
) -> None:
    assert client_of(people.clerk).get("/monitoring/threshold/").status_code == 403
    assert client_of(people.validator).get("/monitoring/threshold/").status_code == 403
    supervisor = client_of(people.supervisor)
    assert supervisor.get(f"/monitoring/threshold/?code={ANNEX_3}").status_code == 404
    assert supervisor.get(f"/monitoring/threshold/?code={ANNEX_1}").status_code == 200
    national = client_of(admin, "ar").get("/monitoring/threshold/?threshold=7").content.decode()
    assert "Casablanca" not in national.split('id="shifts-table"', 1)[1].split("</table>")[0]
    dashboard = client_of(people.supervisor).get("/").content.decode()
    assert "/monitoring/threshold/?code=" in dashboard


def test_a_run_without_scores_says_so(monitored: Run, people: Staff) -> None:
    from sijill.runs.imports import scores_path

    scores_path(monitored).unlink()
    html = client_of(people.supervisor).get("/monitoring/threshold/").content.decode()
    assert "n'a pas gardé les scores RSU" in html
    assert compute(monitored, fig(monitored, COMMUNE), 7.0) is None
    assert ANNEX_2  # the commune's other annex, for the reader
