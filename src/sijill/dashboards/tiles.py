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
from sijill.runs.selection import runs

__all__ = ["TILES", "Table", "Tile", "context", "table"]
from sijill.runs.models import Figures

Context = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Tile:
    name: str
    reads: Callable[[Figures, HttpRequest], dict[str, Any]]  # what its template reads
    table: Callable[[Figures, Context], Table] | None = None  # what it downloads
    printed: bool = True  # in the dashboard's PDF
    # What, beside the run, the territory and the language, the tile's HTML depends on: it
    # is then rendered once and kept (sijill.dashboards.rendered). None: computed each time.
    variant: Callable[[Figures, HttpRequest], str] | None = None

    @property
    def template(self) -> str:
        return f"dashboards/tiles/{self.name}.html"


def _funnel(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    steps = funnel.steps(fig)
    return {"steps": steps, "chart": charts.funnel_chart(steps, get_language_bidi())}


def _order(request: HttpRequest) -> tuple[str, bool]:
    """The children's sort column and direction asked for (`?sort=`, `?dir=`)."""
    sort = request.GET.get("sort", "gap_rsu")
    return (sort if sort in queries.SORTS else "gap_rsu"), request.GET.get("dir") != "asc"


def _children(fig: Figures, request: HttpRequest) -> dict[str, Any]:
    sort, descending = _order(request)
    return {
        "children": queries.children(fig, sort, descending),
        "sort": sort,
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


def _runs_covering(fig: Figures, request: HttpRequest) -> str:
    return ",".join(str(pk) for pk in runs(fig.code).values_list("pk", flat=True))


def _anomalies_table(fig: Figures, context: Context) -> Table:
    rows = [r["anomaly"] for r in context["anomalies"]]
    return tables.anomalies_table(fig, rows, context["anomaly_names"])


def _trend_table(fig: Figures, context: Context) -> Table:
    return tables.trend_table(fig, [row["fig"] for row in context["trend"]])


def _run_alone(fig: Figures, request: HttpRequest) -> str:
    return ""


TILES: tuple[Tile, ...] = (
    Tile(
        "funnel", _funnel, lambda fig, c: tables.funnel_table(fig, c["steps"]), variant=_run_alone
    ),
    Tile(
        "children",
        _children,
        lambda fig, c: tables.children_table(fig, c["children"]),
        variant=lambda fig, request: "{}:{}".format(*_order(request)),
    ),
    Tile("anomalies", _anomalies, _anomalies_table, variant=_run_alone),
    Tile("deadlines", _deadlines, variant=_run_alone),
    Tile("notices", _notices, printed=False),  # the latest daily notices: read each time
    Tile("trend", _trend, _trend_table, printed=False, variant=_runs_covering),
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
