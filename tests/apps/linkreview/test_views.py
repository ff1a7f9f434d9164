"""sijill.linkreview.views: an annex's link candidates side by side, their probability as
people read it, filtered by decision, downloaded."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import translation

from sijill.accounts.models import User
from sijill.linkreview.candidates import decide
from sijill.linkreview.pairs import rounded_down
from sijill.linkreview.templatetags.linkreview import probability
from sijill.runs.models import CONFIRMED, Candidate, Run
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2

pytestmark = pytest.mark.django_db


def client_of(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def articles(html: str) -> list[str]:
    if '<ol class="cases" id="links"' not in html:
        return []
    return (
        html.split('<ol class="cases" id="links"', 1)[1]
        .split("</ol>", 1)[0]
        .split('<article class="case')[1:]
    )


def test_both_persons_side_by_side_differences_marked(monitored: Run, people: Staff) -> None:
    html = client_of(people.clerk).get(f"/monitoring/annex/{ANNEX_1}/links/").content.decode()
    m04, b03 = articles(html)  # 0.93 before 0.88
    assert "M04" in m04 and "B03" in b03
    # RACHID BENJELLOUN's row against FATIMA ZAHRA ALAOUI: every name, the sex and the
    # birth date differ; the annex does not.
    table = m04.split('<table class="compare">', 1)[1].split("</table>", 1)[0]
    assert table.count('class="differs"') == 6
    assert "<mark>RACHID</mark>" in table and "<mark>FATIMA ZAHRA</mark>" in table
    assert '<td lang="ar" dir="rtl"><mark>رشيد</mark></td>' in table
    assert "<mark>Masculin</mark>" in table and "<mark>03/12/1971</mark>" in table
    annex = table.rsplit("<tr", 1)[1]
    assert "<mark>" not in annex and annex.count("Annexe Maârif") == 2
    assert "0,930" in m04 and "Confirmer" not in html  # a clerk may not decide
    assert "M07" not in html and "M10" not in html  # ANNEX_2's


def test_a_probability_below_one_never_reads_one(monitored: Run, people: Staff) -> None:
    assert rounded_down(0.9996) == 0.999 and rounded_down(1.0) == 1.0
    assert rounded_down(0.12345) == 0.123
    with translation.override("fr"):
        assert probability(0.99999) == "0,999" and probability(1.0) == "1"
    with translation.override("ar"):
        assert probability(0.99999) != "1"
    Candidate.objects.filter(run=monitored, row_id="M04").update(match_probability=0.99995)
    html = client_of(people.clerk).get(f"/monitoring/annex/{ANNEX_1}/links/").content.decode()
    assert "0,999" in articles(html)[0] and "1,000" not in html
    assert "tronquée, jamais arrondie vers le haut, à trois décimales" in html


def test_candidates_filter_to_the_undecided(monitored: Run, people: Staff) -> None:
    decide(people.supervisor, Candidate.objects.get(run=monitored, row_id="M04").pk, CONFIRMED)
    client = client_of(people.supervisor)
    undecided = articles(client.get(f"/monitoring/annex/{ANNEX_1}/links/?decision=undecided")
                         .content.decode())  # fmt: skip
    assert len(undecided) == 1 and "B03" in undecided[0]
    confirmed = articles(client.get(f"/monitoring/annex/{ANNEX_1}/links/?decision=confirmed")
                         .content.decode())  # fmt: skip
    assert len(confirmed) == 1 and "Confirmé par supervisor" in confirmed[0]
    assert "Annuler la décision" in confirmed[0]
    every = client.get(f"/monitoring/annex/{ANNEX_1}/links/?decision=nope").content.decode()
    assert len(articles(every)) == 2
    assert "Sans décision (1)" in every and "Confirmé (1)" in every


def test_the_list_downloads_with_its_filter(monitored: Run, people: Staff) -> None:
    decide(people.supervisor, Candidate.objects.get(run=monitored, row_id="M04").pk, CONFIRMED)
    response = client_of(people.supervisor).get(
        f"/monitoring/annex/{ANNEX_1}/links/?decision=confirmed&format=csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["RSU", "M04"] and rows[1][-1] == "Confirmé" and len(rows) == 2
    assert float(rows[1][4]) == 0.93  # the engine's probability, for programs


def test_links_outside_scope_are_404(monitored: Run, people: Staff) -> None:
    client = client_of(people.clerk)
    assert client.get(f"/monitoring/annex/{ANNEX_2}/links/").status_code == 404
    assert client.get(f"/monitoring/annex/{ANNEX_1}/links/?page=99").status_code == 200
