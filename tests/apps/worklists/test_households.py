"""sijill.worklists.households: an annex's split suspects, cluster by cluster, with the
person of each household; one cluster opened; the download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape

from sijill.accounts.models import User
from sijill.runs.models import Run
from tests.apps.reconciled import import_country, load_wide_territories, reconciled, with_a_split
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, country_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_run(people: Staff, tmp_path: Path) -> Run:
    load_wide_territories()
    return import_country(reconciled(tmp_path / "split", with_a_split(country_rows())))


def client_of(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_annex_lists_its_suspected_households(split_run: Run, people: Staff) -> None:
    html = client_of(people.clerk).get(f"/monitoring/annex/{ANNEX_1}/splits/").content.decode()
    table = html.split('id="clusters"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr") == 2  # the header and one suspected household
    assert "Groupe suspect 1" in table and "Derb 3, n° 7" in table
    assert escape("Ménages d'une personne à la même adresse : 2. Couples : 1") in table
    assert 'id="opened"' not in html


def test_a_suspected_household_opens_with_its_households(split_run: Run, people: Staff) -> None:
    client = client_of(people.clerk, "ar")
    listed = client.get(f"/monitoring/annex/{ANNEX_1}/splits/").content.decode()
    link = listed.split('id="clusters"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    opened = client.get(f"/monitoring/annex/{ANNEX_1}/splits/{link.replace('&amp;', '&')}")
    html = opened.content.decode()
    section = html.split('id="opened"', 1)[1].split("</section>", 1)[0]
    assert section.count('<article class="case"') == 2
    assert "حسن الفاسي" in section and "نادية التازي" in section and "H20" in section
    assert "household=H21" in section  # each household's findings, one link away


def test_the_split_list_downloads_and_is_scoped(split_run: Run, people: Staff) -> None:
    client = client_of(people.clerk)
    response = client.get(f"/monitoring/annex/{ANNEX_1}/splits/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["H20", "H21"]
    assert rows[1][-1].startswith("Ménages d'une personne à la même adresse : 2.")
    assert client.get(f"/monitoring/annex/{ANNEX_2}/splits/").status_code == 404
    assert client.get(f"/monitoring/annex/{ANNEX_1}/splits/?cluster=NONE").status_code == 404
    other = client_of(people.clerk_b).get(f"/monitoring/annex/{ANNEX_2}/splits/")
    assert "Aucun ménage suspect de scission" in other.content.decode()


def test_the_dashboard_leads_to_the_split_suspects(split_run: Run, people: Staff) -> None:
    client = client_of(people.supervisor)
    annex = client.get(f"/?code={ANNEX_1}").content.decode()
    assert f"/monitoring/annex/{ANNEX_1}/splits/?run={split_run.pk}" in annex
    commune = client.get("/").content.decode()
    assert "sort=split_households&amp;dir=desc#children" in commune
