"""sijill.engine.worklist and its page: an annex's findings, by kind in words, with what to do."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.utils.html import escape

from sijill.accounts.models import User
from sijill.engine.worklist import findings_of_annex as of_annex
from sijill.i18n import translator
from sijill.runs.imports import findings_path
from sijill.runs.models import Run
from tests.apps.reconciled import Reconciled
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, COMMUNE

pytestmark = pytest.mark.django_db


def expected(country: Reconciled, annex: str, kind: str | None = None) -> list[tuple[str, ...]]:
    rows = pq.read_table(country.out / "findings.parquet").to_pylist()
    return sorted(
        (str(r["kind"]), str(r["source"]), str(r["row_id"] or ""))
        for r in rows
        if r["annex_code"] == annex and kind in (None, r["kind"])
    )


def test_an_annex_reads_its_findings_only(monitored: Run, country: Reconciled) -> None:
    found = of_annex(findings_path(monitored), ANNEX_1, limit=None)
    assert sorted((f.kind, f.source, f.row_id or "") for f in found) == expected(country, ANNEX_1)
    kind = of_annex(findings_path(monitored), ANNEX_1, "RNP_NOT_IN_RSU", limit=None)
    assert [f.kind for f in kind] == ["RNP_NOT_IN_RSU"]
    assert of_annex(findings_path(monitored), ANNEX_1, "NO_SUCH_KIND", limit=None) == found


def test_pages_cut_the_list_in_order(monitored: Run) -> None:
    whole = of_annex(findings_path(monitored), ANNEX_1, limit=None)
    first = of_annex(findings_path(monitored), ANNEX_1, limit=2)
    rest = of_annex(findings_path(monitored), ANNEX_1, limit=100, offset=2)
    assert first + rest == whole and len(first) == 2


def said(message_id: str, language: str = "fr") -> str:
    """A vocabulary message id as the page writes it (HTML-escaped) in that language."""
    return str(escape(translator(language)(message_id, None)))


UNKNOWN_ID = "RSU member without a valid IDCS"
FILL_IN_ID = "Complete or correct the IDCS from the identity card or the birth certificate."


def page(user: User, url: str, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_work_list_page_filters_by_kind(monitored: Run, people: Staff) -> None:
    client = page(people.clerk, "")
    html = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?kind=RSU_ID_UNKNOWN").content
    text = html.decode()
    table = text.split('id="findings"', 1)[1]
    # the kind in words, its code in the cell's title; what to do beside it
    assert table.count(f'<td title="RSU_ID_UNKNOWN">{said(UNKNOWN_ID)}</td>') == 1
    assert "RNP_NOT_IN_RSU" not in table and said(FILL_IN_ID) in table
    kinds = text.split("<caption>", 1)[1].split("</table>", 1)[0]
    assert f"{said('RNP person not in the RSU')}</a>" in kinds
    assert ">RNP_NOT_IN_RSU</small>" in kinds
    arabic = page(people.clerk, "", "ar").get(f"/monitoring/annex/{ANNEX_1}/findings/")
    assert said(FILL_IN_ID, "ar") in arabic.content.decode()


def test_the_work_list_exports_the_whole_annex(
    monitored: Run, people: Staff, country: Reconciled
) -> None:
    client = page(people.clerk, "")
    response = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Type de constat", "Code", "Registre"] and rows[0][-1] == "Que faire"
    assert sorted((r[1], r[2], r[3]) for r in rows[1:]) == expected(country, ANNEX_1)
    unknown = next(r for r in rows[1:] if r[1] == "RSU_ID_UNKNOWN")
    fr = translator("fr")
    assert (unknown[0], unknown[-1]) == (fr(UNKNOWN_ID, None), fr(FILL_IN_ID, None))


def test_a_work_list_outside_scope_or_not_an_annex_is_404(monitored: Run, people: Staff) -> None:
    client = page(people.clerk, "")
    assert client.get(f"/monitoring/annex/{ANNEX_2}/findings/").status_code == 404
    assert client.get(f"/monitoring/annex/{ANNEX_2}/findings/?format=csv").status_code == 404
    supervisor = page(people.supervisor, "")
    assert supervisor.get(f"/monitoring/annex/{COMMUNE}/findings/").status_code == 404
    assert supervisor.get(f"/monitoring/annex/{ANNEX_2}/findings/").status_code == 200


def test_numbers_no_database_holds_answer_without_an_error(monitored: Run, admin: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(admin)
    huge = str(2**63)
    assert client.get(f"/?run={huge}").status_code == 404
    assert client.get(f"/monitoring/annex/{ANNEX_1}/findings/?run={huge}").status_code == 404
    found = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?page={huge}")
    assert found.status_code == 200
    assert client.get(f"/monitoring/annex/{ANNEX_1}/findings/?page=٣").status_code == 200
