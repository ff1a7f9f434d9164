"""sijill.dashboards.views: the dashboard of a territory within the user's scope, its tables
as CSV/XLSX, the PDF, and the annex's work lists."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zlib

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.template import engines
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from sijill.accounts.models import User
from sijill.domain.vocabulary import FINDINGS, INDICATORS, PARAMETERS, RUN_STATUSES
from sijill.engine import band_upper
from sijill.i18n import translator
from sijill.runs.models import Anomaly, Figures, Run
from tests.apps.reconciled import Reconciled, import_country, set_counts
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, ANNEX_3, COMMUNE, PROVINCE, REGION

pytestmark = pytest.mark.django_db


def client_of(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def funnel_cells(html: str) -> list[str]:
    table = html.split('id="funnel-table"', 1)[1].split("</table>", 1)[0]
    return [row.split('class="num">', 1)[1].split("<", 1)[0] for row in table.split("<tr>")[2:]]


def embedded_fonts(pdf: bytes) -> set[bytes]:
    """Names of the fonts a PDF embeds (WeasyPrint compresses its objects)."""
    found: set[bytes] = set()
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            found |= set(re.findall(rb"/BaseFont\s*/([\w+-]+)", zlib.decompress(stream[1])))
    return found


def test_a_national_user_lands_on_the_national_funnel(monitored: Run, admin: User) -> None:
    page = client_of(admin).get("/")
    assert page.status_code == 200
    html = page.content.decode()
    national = Figures.objects.get(run=monitored, code="ALL")
    assert funnel_cells(html) == [
        str(national.rnp_persons), str(national.rnp_in_rsu), str(national.eligible_persons),
        str(national.amo_beneficiaries), "7", "7", "3",
    ]  # fmt: skip
    assert "Maroc" in html and f"?code={REGION}&amp;run={monitored.pk}" in html


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_counts_are_grouped_as_people_read_them(monitored: Run, admin: User, language: str) -> None:
    set_counts(monitored, "ALL", rnp_persons=35_761_392, amo_pending_stale=12_345)
    html = client_of(admin, language).get("/").content.decode()
    assert funnel_cells(html)[0] == "35\u202f761\u202f392"
    assert '<td class="num">12\u202f345</td>' in html
    # what machines read keeps plain digits: the CSV export of the same table
    exported = client_of(admin).get("/?code=ALL&table=funnel&format=csv").content.decode()
    assert "35761392" in exported


def test_a_clerk_sees_the_own_annex_and_nothing_wider(monitored: Run, people: Staff) -> None:
    client = client_of(people.clerk)
    page = client.get("/")
    assert page.status_code == 200 and "Annexe Maârif" in page.content.decode()
    for code in ("ALL", REGION, COMMUNE, ANNEX_2, ANNEX_3, "NO-SUCH-CODE"):
        assert client.get(f"/?code={code}").status_code == 404, code


def test_a_supervisor_drills_down_within_the_commune(monitored: Run, people: Staff) -> None:
    client = client_of(people.supervisor)
    html = client.get("/").content.decode()
    assert "Commune de Casablanca" in html
    assert f"?code={ANNEX_1}&amp;" in html and f"?code={ANNEX_2}&amp;" in html
    assert client.get(f"/?code={ANNEX_2}").status_code == 200
    assert client.get(f"/?code={PROVINCE}").status_code == 404


def rows_of(table: str, html: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r.split("?code=", 1)[1].split("&", 1)[0] for r in body.split("<tr")[1:]]


def test_children_sort_by_any_gap_through_htmx(monitored: Run, admin: User) -> None:
    client = client_of(admin)
    by_rsu = client.get(f"/?code={PROVINCE}&sort=gap_rsu&dir=desc&partial=children",
                        HTTP_HX_REQUEST="true")  # fmt: skip
    html = by_rsu.content.decode()
    assert html.lstrip().startswith('<section id="children"') and "<html" not in html
    # COMMUNE loses 1 person (ANNEX_1's living person on no RSU row), COMMUNE_2 none.
    assert rows_of("children", html) == [COMMUNE, "0007319"]
    ascending = client.get(f"/?code={PROVINCE}&sort=gap_rsu&dir=asc&partial=children",
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert rows_of("children", ascending.content.decode()) == ["0007319", COMMUNE]


def test_tables_export_as_csv_and_right_to_left_xlsx(monitored: Run, admin: User) -> None:
    page = client_of(admin).get(f"/?code={COMMUNE}&format=csv")
    assert page["Content-Type"].startswith("text/csv")
    text = page.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Code", "Territoire", "Personnes vivantes au RNP"]
    assert sorted(r[0] for r in rows[1:]) == [ANNEX_1, ANNEX_2]
    arabic = client_of(admin, "ar").get(f"/?code={COMMUNE}&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(arabic.content))
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    assert sheet.cell(1, 2).value == "الوحدة الترابية"
    assert {sheet.cell(r, 1).value for r in (2, 3)} == {ANNEX_1, ANNEX_2}
    assert client_of(admin).get("/?format=pdf").status_code == 404
    funnel = client_of(admin).get(f"/?code={ANNEX_1}&table=funnel&format=csv")
    steps = list(csv.reader(io.StringIO(funnel.content.decode("utf-8-sig"))))
    annex = Figures.objects.get(run=monitored, code=ANNEX_1)
    assert [r[1] for r in steps[1:]] == [
        str(annex.rnp_persons), str(annex.rnp_in_rsu), str(annex.eligible_persons),
        str(annex.amo_beneficiaries), "5", "5", "3",
    ]  # fmt: skip


def test_anomalies_of_an_annex_and_the_band(monitored: Run, admin: User) -> None:
    html = client_of(admin).get(f"/?code={ANNEX_1}").content.decode()
    single = Anomaly.objects.get(run=monitored, annex_code=ANNEX_1, indicator="SINGLE_PERSON_SHARE")
    upper = band_upper(single.expected)
    assert upper is not None and single.expected is not None
    assert upper == max(single.expected + 0.05, 1.5 * single.expected)
    # the indicator in words, its code beside it in small text
    assert 'Ménages d&#x27;une personne <small class="code" dir="ltr">SINGLE_PERSON_SHARE' in html
    assert f"0 – {100 * upper:.1f} %".replace(".", ",") in html
    csv_text = client_of(admin).get(f"/?code={ANNEX_1}&table=anomalies&format=csv")
    rows = list(csv.reader(io.StringIO(csv_text.content.decode("utf-8-sig"))))
    assert rows[0][2:4] == ["Indicateur", "Code"] and rows[0][-1] == "Signification"
    assert sorted(r[3] for r in rows[1:]) == [
        "AMO_RSU_DISCREPANCY_RATE", "SINGLE_PERSON_SHARE", "STALE_PENDING_SHARE",
    ]  # fmt: skip
    single_row = next(r for r in rows[1:] if r[3] == "SINGLE_PERSON_SHARE")
    assert not single.flagged  # what an indicator means is said of a flagged annex only
    assert (single_row[2], single_row[-1]) == ("Ménages d'une personne", "")


def test_a_flagged_indicator_says_what_it_means(monitored: Run, admin: User) -> None:
    Anomaly.objects.filter(run=monitored, annex_code=ANNEX_1).update(flagged=False)
    Anomaly.objects.filter(
        run=monitored, annex_code=ANNEX_1, indicator="SINGLE_PERSON_SHARE"
    ).update(flagged=True)
    html = client_of(admin).get(f"/?code={ANNEX_1}").content.decode()
    fr = translator("fr")
    meaning = fr(INDICATORS["SINGLE_PERSON_SHARE"].meaning, None)
    assert escape(meaning) in html
    assert escape(fr(INDICATORS["STALE_PENDING_SHARE"].meaning, None)) not in html
    exported = client_of(admin).get(f"/?code={ANNEX_1}&table=anomalies&format=csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {r[3]: r[-1] for r in rows[1:]}["SINGLE_PERSON_SHARE"] == meaning


def test_template_filters_read_the_vocabulary() -> None:
    template = engines["django"].from_string(
        '{% load figures %}{{ kind|words:"findings" }}|{{ kind|action }}|{{ indicator|meaning }}|'
        '{{ "queued"|words:"run_statuses" }}|{{ "as_of"|words }}|{{ "NO_SUCH"|words }}|'
        "{{ nothing|words }}"
    )
    with translation.override("fr"):
        shown = template.render({"kind": "RSU_MISMATCH", "indicator": "SINGLE_PERSON_SHARE"})
    fr = translator("fr")
    expected = [
        fr(FINDINGS["RSU_MISMATCH"].words, None),
        fr(FINDINGS["RSU_MISMATCH"].action, None),
        fr(INDICATORS["SINGLE_PERSON_SHARE"].meaning, None),
        fr(RUN_STATUSES["queued"].words, None),
        fr(PARAMETERS["as_of"].words, None),  # without a group: the first that has the code
        "NO_SUCH",
        "",
    ]
    assert shown.split("|") == [escape(e) for e in expected]


def test_the_trend_lists_every_run_of_the_territory(
    monitored: Run, admin: User, country: Reconciled
) -> None:
    second = import_country(country)
    html = client_of(admin).get(f"/?code={ANNEX_1}").content.decode()
    trend = html.split('id="trend"', 1)[1].split("</table>", 1)[0]
    assert f"(#{monitored.pk})" in trend and f"(#{second.pk})" in trend
    choice = html.split('id="run-select"', 1)[1].split("</select>", 1)[0]
    assert f'value="{second.pk}" selected' in choice  # the latest run is shown
    assert f'value="{monitored.pk}">' in choice


def test_without_a_run_the_dashboard_says_so(people: Staff, admin: User) -> None:
    page = client_of(admin).get("/")
    assert page.status_code == 200
    assert "Aucune exécution du rapprochement" in page.content.decode()


def test_the_dashboard_as_a_pdf_embeds_an_arabic_font(monitored: Run, admin: User) -> None:
    page = client_of(admin, "ar").get(f"/monitoring/dashboard.pdf?code={COMMUNE}")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert page.content.startswith(b"%PDF")
    # Debian's Arabic fonts (Amiri, or Noto's Arabic faces) shape the text, embedded.
    assert any(b"Amiri" in name or b"Arabic" in name for name in embedded_fonts(page.content))
    assert client_of(admin).get("/monitoring/dashboard.pdf?code=NOPE").status_code == 404


def test_downloaded_tables_carry_no_live_formula(monitored: Run, admin: User) -> None:
    attack = '=HYPERLINK("http://evil.example","clic")'
    Figures.objects.filter(run=monitored, code=ANNEX_1).update(name_fr=attack, name_ar=attack)
    client = client_of(admin)
    text = client.get(f"/?code={COMMUNE}&format=csv").content.decode("utf-8-sig")
    names = {row[0]: row[1] for row in csv.reader(io.StringIO(text))}
    assert names[ANNEX_1] == "'" + attack
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/?code={COMMUNE}&format=xlsx").content))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == attack]
    assert cells and {c.data_type for c in cells} == {"s"}
