"""sijill.worklists.views: an annex's work list, each finding with who it is about, what
differs, its kind and detail in words, what to do and its handling; filters and downloads."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils.html import escape

from sijill.accounts.models import User
from sijill.i18n import translator
from sijill.runs.models import Run
from sijill.worklists.handling import handle
from sijill.worklists.models import RESOLVED
from tests.apps.reconciled import Reconciled
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, ANNEX_3, COMMUNE

pytestmark = pytest.mark.django_db


def said(message_id: str, language: str = "fr") -> str:
    """A vocabulary message id as the page writes it (HTML-escaped) in that language."""
    return str(escape(translator(language)(message_id, None)))


def client_of(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def cases(html: str) -> list[str]:
    """The page's findings, one HTML fragment each."""
    if '<ol class="cases"' not in html:
        return []
    listed = html.split('aria-labelledby="cases-title"', 1)[1].split("</ol>", 1)[0]
    return listed.split('<article class="case')[1:]


UNKNOWN_ID = "RSU member without a valid IDCS"
FILL_IN_ID = "Complete or correct the IDCS from the identity card or the birth certificate."


def test_each_finding_says_who_it_is_about(monitored: Run, people: Staff) -> None:
    html = client_of(people.clerk).get(f"/monitoring/annex/{ANNEX_1}/findings/").content.decode()
    (unknown,) = [c for c in cases(html) if "RSU_ID_UNKNOWN" in c]
    # names in both scripts, birth date, household, address; kind and what to do in words
    assert '<span lang="ar" dir="rtl">رشيد بنجلون</span>' in unknown
    assert "RACHID BENJELLOUN" in unknown and "03/12/1971" in unknown
    assert "H02" in unknown and "Hay Al Amal, rue 5, n° 17" in unknown
    assert said(UNKNOWN_ID) in unknown and said(FILL_IN_ID) in unknown
    assert said("idcs missing") in unknown and "Masculin" in unknown
    assert "idcs missing" not in unknown  # the detail in French, not the contract's English
    arabic = client_of(people.clerk, "ar").get(f"/monitoring/annex/{ANNEX_1}/findings/")
    assert said(FILL_IN_ID, "ar") in arabic.content.decode()


def test_a_mismatch_marks_both_values(monitored: Run, admin: User) -> None:
    html = client_of(admin).get(f"/monitoring/annex/{ANNEX_1}/findings/?kind=AMO_MISMATCH")
    (mismatch,) = cases(html.content.decode())
    table = mismatch.split('<table class="compare">', 1)[1].split("</table>", 1)[0]
    differs = [row for row in table.split("<tr")[1:] if 'class="differs"' in row]
    assert len(differs) == 1  # the birth date, and only it
    assert "<mark>16/06/1985</mark>" in differs[0] and "<mark>15/06/1985</mark>" in differs[0]
    assert "<mark>" not in table.replace(differs[0], "")
    assert ">AMO Tadamon</th>" in table and ">RSU</th>" in table
    arabic = client_of(admin, "ar").get(f"/monitoring/annex/{ANNEX_3}/findings/")
    (name,) = [c for c in cases(arabic.content.decode()) if "RSU_MISMATCH" in c]
    assert '<td lang="ar" dir="rtl"><mark>حسين</mark></td>' in name
    assert '<td lang="ar" dir="rtl"><mark>حسن</mark></td>' in name


def test_filters_by_kind_and_by_status(monitored: Run, people: Staff) -> None:
    client = client_of(people.supervisor)
    url = f"/monitoring/annex/{ANNEX_1}/findings/"
    every = cases(client.get(url).content.decode())
    unknown = cases(client.get(f"{url}?kind=RSU_ID_UNKNOWN").content.decode())
    assert len(unknown) == 1 and len(every) > 1
    key = unknown[0].split('id="case-', 1)[1].split('"', 1)[0]
    handle(people.supervisor, monitored, ANNEX_1, key, RESOLVED, "corrigé sur pièce")
    resolved = cases(client.get(f"{url}?status=resolved").content.decode())
    assert len(resolved) == 1 and key in resolved[0] and "corrigé sur pièce" in resolved[0]
    still_open = cases(client.get(f"{url}?status=open").content.decode())
    assert len(still_open) == len(every) - 1 and all(key not in c for c in still_open)
    assert cases(client.get(f"{url}?status=not_an_error").content.decode()) == []
    both = client.get(f"{url}?kind=RSU_ID_UNKNOWN&status=resolved").content.decode()
    assert len(cases(both)) == 1
    counts = both.split('id="counts"', 1)[1].split("</table>", 1)[0]
    row = counts.split("RSU_ID_UNKNOWN", 1)[1].split("</tr>", 1)[0]
    assert row.count('<td class="num">') == 5
    assert 'status=resolved">1</a></td>' in row and row.count("</a></td>") == 1


def test_a_household_filter_lists_its_findings_only(monitored: Run, admin: User) -> None:
    html = client_of(admin).get(f"/monitoring/annex/{ANNEX_1}/findings/?household=H02")
    found = cases(html.content.decode())
    assert found and all("H02" in c for c in found)
    assert "H01" not in "".join(found)


def test_the_work_list_exports_who_and_the_handling(
    monitored: Run, people: Staff, country: Reconciled
) -> None:
    client = client_of(people.supervisor)
    response = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?kind=RSU_ID_UNKNOWN&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Type de constat", "Code", "Registre"]
    assert rows[0][-2:] == ["Traitement", "Note"]
    (row,) = rows[1:]
    header = rows[0]
    assert row[header.index("Prénom en lettres latines")] == "RACHID"
    assert row[header.index("Date de naissance")] == "1971-12-03"
    assert row[header.index("Que faire")] == translator("fr")(FILL_IN_ID, None)
    assert row[-2] == "Ouvert"


def test_a_work_list_outside_scope_or_not_an_annex_is_404(monitored: Run, people: Staff) -> None:
    client = client_of(people.clerk)
    assert client.get(f"/monitoring/annex/{ANNEX_2}/findings/").status_code == 404
    assert client.get(f"/monitoring/annex/{ANNEX_2}/findings/?format=csv").status_code == 404
    supervisor = client_of(people.supervisor)
    assert supervisor.get(f"/monitoring/annex/{COMMUNE}/findings/").status_code == 404
    assert supervisor.get(f"/monitoring/annex/{ANNEX_2}/findings/").status_code == 200


def test_numbers_no_database_holds_answer_without_an_error(monitored: Run, admin: User) -> None:
    client = client_of(admin)
    huge = str(2**63)
    assert client.get(f"/?run={huge}").status_code == 404
    assert client.get(f"/monitoring/annex/{ANNEX_1}/findings/?run={huge}").status_code == 404
    found = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?page={huge}")
    assert found.status_code == 200
    assert client.get(f"/monitoring/annex/{ANNEX_1}/findings/?page=٣").status_code == 200
    assert client.get(f"/monitoring/annex/{ANNEX_1}/findings/?status=nope").status_code == 200
