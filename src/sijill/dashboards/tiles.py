"""The dashboard's tiles, in the order the page shows them.

A tile is what the dashboard of a territory shows about it in one place: its template
(`dashboards/tiles/<name>.html`), what that template reads, and the table it downloads with
`?table=<name>&format=csv|xlsx`. The page and its PDF show every tile; adding one is adding
it here with its template (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language_bidi

from sijill import engine
from sijill.dashboards import charts, funnel, queries, tables
from sijill.documents.downloads import Table
from sijill.domain.contract import NATIONAL_CODE
from sijill.operations import notices

__all__ = ["TILES", "Table", "Tile", "context", "table"]
from sijill.runs.models import Figures

Context = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Tile:
    name: str
    reads: Callable[[Figures, HttpRequest], dict[str, Any]]  # what its template reads
    table: Callable[[Figures, Context], Table] | None = None  # what it downloads
    printed: bool = True  # in the dashboard's PDF

    @property
    def template(self) -> str:
        return f"dashboards/tiles/{self.name}.html"


def _funnel(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    steps = funnel.steps(fig)
    return {"steps": steps, "chart": charts.funnel_chart(steps, get_language_bidi())}


def _children(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    sort = request.GET.get("sort", "gap_rsu")
    descending = request.GET.get("dir", "desc") != "asc"
    return {
        "children": queries.children(fig, sort, descending),
        "sort": sort if sort in queries.SORTS else "gap_rsu",
        "descending": descending,
        "headers": tables.child_headers(),
        "gap_keys": funnel.GAP_KEYS,
    }


def _anomalies(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    found = queries.anomalies(fig)
    names = queries.annex_names(fig.run_id, {a.annex_code for a in found})
    rtl = get_language_bidi()
    rows = []
    for a in found:
        upper = engine.band_upper(a.expected)
        band = charts.share_band(a.observed, a.expected, upper, rtl)
        rows.append({"anomaly": a, "place": names.get(a.annex_code), "upper": upper, "band": band})
    return {"anomalies": rows, "anomaly_names": names}


def _deadlines(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    return {
        "stale": queries.late_children(fig, "amo_pending_stale"),
        "breached": queries.late_children(fig, "amo_sla_breached"),
    }


NOTICES_SHOWN = 50  # the annexes with the most late files first


def _notices(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    """The latest `sijill daily`'s late files in the annexes of the territory."""
    day, found = notices.for_territory(None if fig.code == NATIONAL_CODE else fig.code)
    return {"notices_day": day, "notices": notices.rows(found[:NOTICES_SHOWN])}


def _trend(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    keys = [s.key for s in funnel.STEPS]
    rows = [{"fig": t, "values": [getattr(t, k) for k in keys]} for t in queries.trend(fig.code)]
    return {"trend": rows}


def _anomalies_table(fig: Figures, context: Context) -> Table:
    rows = [r["anomaly"] for r in context["anomalies"]]
    return tables.anomalies_table(fig, rows, context["anomaly_names"])


def _trend_table(fig: Figures, context: Context) -> Table:
    return tables.trend_table(fig, [row["fig"] for row in context["trend"]])


TILES: tuple[Tile, ...] = (
    Tile("funnel", _funnel, lambda fig, c: tables.funnel_table(fig, c["steps"])),
    Tile("children", _children, lambda fig, c: tables.children_table(fig, c["children"])),
    Tile("anomalies", _anomalies, _anomalies_table),
    Tile("deadlines", _deadlines),
    Tile("notices", _notices, printed=False),
    Tile("trend", _trend, _trend_table, printed=False),
)
BY_NAME = {tile.name: tile for tile in TILES}
DOWNLOADED = "children"  # the table a download names none of


def context(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    """What every tile's template reads, and the tiles themselves."""
    found: dict[str, Any] = {"tiles": TILES}
    for tile in TILES:
        found.update(tile.reads(fig, request))
    return found


def table(fig: Figures, context: Context, name: str) -> Table:
    """The table of tile `name` (the territories below when it names no tile's table)."""
    tile = BY_NAME.get(name)
    if tile is None or tile.table is None:
        tile = BY_NAME[DOWNLOADED]
    assert tile.table is not None
    return tile.table(fig, context)
