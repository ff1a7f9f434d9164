"""Scoping: everything a user sees lies in the subtree of the user's territory.

`None` is the national scope. Rows whose annex is no known territory are only visible
nationally: nobody below can be responsible for a place the hierarchy does not know.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

from sijill.territories.models import TerritoryLink

Q = TypeVar("Q", bound=QuerySet[Any])


def within(queryset: Q, territory_code: str | None, field: str = "annex_code") -> Q:
    if territory_code is None:
        return queryset
    subtree = TerritoryLink.objects.filter(ancestor_id=territory_code).values("descendant_id")
    filtered: Q = queryset.filter(**{f"{field}__in": subtree})
    return filtered


def covers(territory_code: str | None, code: str) -> bool:
    """Whether `code` lies in the subtree of `territory_code`."""
    if territory_code is None:
        return True
    links = TerritoryLink.objects.filter(ancestor_id=territory_code, descendant_id=code)
    return bool(links.exists())


def above(code: str) -> QuerySet[Any]:
    """The codes of `code` and of every territory above it, as a subquery."""
    links = TerritoryLink.objects.filter(descendant_id=code)
    return links.values("ancestor_id")
