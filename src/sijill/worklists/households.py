"""An annex's split suspects: single-person RSU households that look like one household
split in several, listed cluster by cluster with the person of each household, and one
cluster opened with its households side by side.

The clusters are the run's (`split_suspects`); the persons come from the run's RSU extract,
copied at import (engine.persons). Scoped like the work list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sijill import engine
from sijill.documents import downloads
from sijill.runs import selection
from sijill.runs.imports import splits_path
from sijill.worklists import tables
from sijill.worklists.views import annex_of


@dataclass(frozen=True, slots=True)
class Cluster:
    """A suspected original household: its number on the page and its households."""

    number: int
    cluster_id: str
    members: tuple[engine.SplitMember, ...]

    @property
    def first(self) -> engine.SplitMember:
        return self.members[0]

    @property
    def address(self) -> str | None:
        person = self.first.person
        return person.address if person is not None else None


def clusters(members: list[engine.SplitMember]) -> list[Cluster]:
    grouped: dict[str, list[engine.SplitMember]] = {}
    for member in members:
        grouped.setdefault(member.cluster_id, []).append(member)
    return [
        Cluster(number, cluster_id, tuple(found))
        for number, (cluster_id, found) in enumerate(grouped.items(), start=1)
    ]


def splits(request: HttpRequest, code: str) -> HttpResponse:
    """The annex's split suspects; `?cluster=` opens one of them."""
    run, fig = annex_of(request, code, request.GET.get("run"))
    members = engine.splits_of_annex(splits_path(run), code)
    export = downloads.if_asked(request, tables.splits_table(code, members))
    if export is not None:
        return export
    found = clusters(members)
    asked = request.GET.get("cluster")
    opened = next((c for c in found if c.cluster_id == asked), None)
    if asked and opened is None:
        raise Http404
    context = {
        "run": run,
        "fig": fig,
        "trail": selection.trail(request.user, fig),
        "clusters": found,
        "opened": opened,
    }
    return render(request, "worklists/splits.html", context)
