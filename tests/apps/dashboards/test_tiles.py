"""sijill.dashboards.tiles: the dashboard is its tiles, each with its template and table."""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.template.loader import get_template
from django.test import Client

from sijill.accounts.models import User
from sijill.dashboards import tiles
from sijill.runs.models import Run
from tests.extract_files import COMMUNE

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def test_every_tile_has_its_template() -> None:
    names = ["funnel", "children", "anomalies", "deadlines", "notices", "trend"]
    assert [t.name for t in tiles.TILES] == names
    for tile in tiles.TILES:
        assert get_template(tile.template)


@pytest.mark.parametrize("name", [t.name for t in tiles.TILES if t.table is not None])
def test_every_table_of_a_tile_downloads(monitored: Run, admin: User, name: str) -> None:
    page = client_of(admin).get(f"/?code={COMMUNE}&table={name}&format=csv")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(page.content.decode("utf-8-sig"))))
    # The commune has no flagged annex: its anomalies table is its header alone.
    assert len(rows) >= (1 if name == "anomalies" else 2), name


def test_a_tile_added_is_shown_and_downloaded_with_nothing_else_changed(
    monitored: Run, admin: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    folder = tmp_path / "templates" / "dashboards" / "tiles"
    folder.mkdir(parents=True)
    (folder / "probe.html").write_text(
        '<section id="probe">{{ probe_files }}</section>', encoding="utf-8"
    )
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    probe = tiles.Tile(
        "probe",
        lambda fig, request: {"probe_files": fig.amo_files},
        lambda fig, context: tiles.Table("probe", ("amo_files",), ("n",), [(fig.amo_files,)]),
    )
    monkeypatch.setattr(tiles, "TILES", (*tiles.TILES, probe))
    monkeypatch.setitem(tiles.BY_NAME, "probe", probe)
    client = client_of(admin)
    html = client.get(f"/?code={COMMUNE}").content.decode()
    amo_files = monitored.figures.get(code=COMMUNE).amo_files
    assert f'<section id="probe">{amo_files}</section>' in html
    exported = client.get(f"/?code={COMMUNE}&table=probe&format=csv").content.decode("utf-8-sig")
    assert exported.splitlines() == ["n", str(amo_files)]
