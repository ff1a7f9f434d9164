"""sijill.engine.worklist and its page: an annex's findings, by kind, with what to do."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from django.test import Client

from sijill.accounts.models import User
from sijill.engine.report import LABELS
from sijill.engine.worklist import of_annex, what_to_do
from sijill.runs.imports import findings_path
from sijill.runs.models import Run
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, COMMUNE
from tests.monitoring.conftest import Reconciled

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


def test_what_to_do_is_said_in_both_languages() -> None:
    fr, ar = LABELS["RSU_ID_UNKNOWN"]
    assert what_to_do("RSU_ID_UNKNOWN", "fr") == fr
    assert what_to_do("RSU_ID_UNKNOWN", "ar") == ar


def page(user: User, url: str, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_work_list_page_filters_by_kind(monitored: Run, people: Staff) -> None:
    client = page(people.clerk, "")
    html = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?kind=RSU_ID_UNKNOWN").content
    text = html.decode()
    table = text.split('id="findings"', 1)[1]
    assert table.count("<td>RSU_ID_UNKNOWN</td>") == 1 and "RNP_NOT_IN_RSU</td>" not in table
    assert "compléter ou corriger l&#x27;IDCS" in text
    arabic = page(people.clerk, "", "ar").get(f"/monitoring/annex/{ANNEX_1}/findings/")
    assert "إتمام المعرف أو تصحيحه" in arabic.content.decode()


def test_the_work_list_exports_the_whole_annex(
    monitored: Run, people: Staff, country: Reconciled
) -> None:
    client = page(people.clerk, "")
    response = client.get(f"/monitoring/annex/{ANNEX_1}/findings/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Type de constat" and rows[0][-1] == "Que faire"
    assert sorted((r[0], r[1], r[2]) for r in rows[1:]) == expected(country, ANNEX_1)


def test_a_work_list_outside_scope_or_not_an_annex_is_404(monitored: Run, people: Staff) -> None:
    client = page(people.clerk, "")
    assert client.get(f"/monitoring/annex/{ANNEX_2}/findings/").status_code == 404
    assert client.get(f"/monitoring/annex/{ANNEX_2}/findings/?format=csv").status_code == 404
    supervisor = page(people.supervisor, "")
    assert supervisor.get(f"/monitoring/annex/{COMMUNE}/findings/").status_code == 404
    assert supervisor.get(f"/monitoring/annex/{ANNEX_2}/findings/").status_code == 200
