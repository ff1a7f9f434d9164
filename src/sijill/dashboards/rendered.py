"""The dashboard's tiles as the page shows them, each rendered once per run where it can be.

A finished run's rows never change (retiring a run hides it; nothing rewrites it), so a tile
that reads only them is the same HTML for every reader of that run, territory and language:
it is rendered once and kept (`settings.CACHES["tiles"]`, each server process's memory, least
recently used dropped first). Nothing can go stale: the key names the run (its number and
when it finished: a number alone comes back in a test database), the territory, the
language, the script prefix and the tile's own variant (the children's sort; the trend's
covering runs, which change when a run finishes or is retired). A tile with no variant
(`Tile.variant` None: the latest daily notices) is computed for each page.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from sijill.dashboards import tiles
from sijill.dashboards.tiles import Tile
from sijill.runs.models import Figures, Run

CACHE = "tiles"


def _key(tile: Tile, run: Run, fig: Figures, variant: str) -> str:
    finished = run.finished_at.isoformat() if run.finished_at else ""
    parts = (tile.name, str(run.pk), finished, fig.code, get_language() or "", variant)
    named = "\x1f".join((*parts, get_script_prefix()))
    return f"tile:{tile.name}:{hashlib.sha256(named.encode()).hexdigest()}"


def tiles_html(
    fig: Figures, run: Run, request: HttpRequest, page: dict[str, Any]
) -> list[SafeString]:
    """Every tile of the page in order, as HTML: kept ones from memory, the others (and the
    kept ones not there yet) rendered with `page`, the context the page gives them."""
    keys: dict[str, str] = {}
    for tile in tiles.TILES:
        if tile.variant is not None:
            keys[tile.name] = _key(tile, run, fig, tile.variant(fig, request))
    kept = caches[CACHE].get_many(list(keys.values()))
    shown: list[SafeString] = []
    fresh: dict[str, str] = {}
    for tile in tiles.TILES:
        key = keys.get(tile.name)
        html = kept.get(key) if key else None
        if html is None:
            html = render_to_string(tile.template, {**page, **tile.reads(fig, request)}, request)
            if key:
                fresh[key] = str(html)
        shown.append(mark_safe(html))
    if fresh:
        caches[CACHE].set_many(fresh)
    return shown
