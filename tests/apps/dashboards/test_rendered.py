"""sijill.dashboards.rendered: the tiles that follow from a run are rendered once and kept,
and never shown stale: another run, language, sort or set of covering runs is another tile."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sijill.accounts.models import User
from sijill.runs.models import Run
from tests.apps.dashboards.test_views import client_of
from tests.apps.reconciled import Reconciled, import_country
from tests.extract_files import ANNEX_1, COMMUNE

pytestmark = pytest.mark.django_db


HEADINGS = {"funnel": "funnel-heading", "children": "children-title",
            "anomalies": "anomalies-title", "deadlines": "deadlines-title",
            "notices": "notices-title", "trend": "trend-title"}  # fmt: skip


def section(html: str, name: str) -> str:
    """The tile's section, from its heading to its end."""
    return html.split(f'id="{HEADINGS[name]}"', 1)[1].split("</section>", 1)[0]


def test_a_second_view_reads_no_tile_again_and_shows_the_same_tiles(
    monitored: Run, admin: User
) -> None:
    client = client_of(admin)
    with CaptureQueriesContext(connection) as first:
        once = client.get(f"/?code={COMMUNE}").content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(f"/?code={COMMUNE}").content.decode()
    for name in HEADINGS:
        assert section(again, name) == section(once, name), name
    # Kept: the funnel, children, anomalies and deadlines tiles (their rows are not read);
    # the trend's covering runs and the notices are read each time.
    read_again = [q["sql"] for q in second.captured_queries]
    assert len(read_again) < len(first.captured_queries)
    assert not [sql for sql in read_again if "monitoring_anomaly" in sql]


def test_each_language_has_its_own_tiles(monitored: Run, admin: User) -> None:
    french = client_of(admin, "fr").get(f"/?code={COMMUNE}").content.decode()
    arabic = client_of(admin, "ar").get(f"/?code={COMMUNE}").content.decode()
    assert section(french, "children") != section(arabic, "children")
    assert section(arabic, "children") == section(
        client_of(admin, "ar").get(f"/?code={COMMUNE}").content.decode(), "children"
    )


def test_each_sort_of_the_children_is_its_own_tile(monitored: Run, admin: User) -> None:
    client = client_of(admin)
    down = section(client.get(f"/?code={COMMUNE}&sort=code&dir=desc").content.decode(), "children")
    up = section(client.get(f"/?code={COMMUNE}&sort=code&dir=asc").content.decode(), "children")
    assert down != up
    assert 'aria-sort="descending"' in down and 'aria-sort="ascending"' in up


def test_a_run_finished_or_retired_shows_in_the_trend_at_once(
    monitored: Run, admin: User, country: Reconciled
) -> None:
    client = client_of(admin)
    before = section(client.get(f"/?code={ANNEX_1}&run={monitored.pk}").content.decode(), "trend")
    second = import_country(country)
    after = section(client.get(f"/?code={ANNEX_1}&run={monitored.pk}").content.decode(), "trend")
    assert f"(#{second.pk})" not in before and f"(#{second.pk})" in after
    Run.objects.filter(pk=second.pk).update(retired_at=timezone.now())
    retired = section(client.get(f"/?code={ANNEX_1}&run={monitored.pk}").content.decode(), "trend")
    assert retired == before
