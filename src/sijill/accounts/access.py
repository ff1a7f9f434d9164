"""Who may see and do what: a user's territory subtree bounds every query, the role the acts.

Something outside a user's subtree does not exist for that user: it is reported exactly like
something that does not exist at all (NotVisible, a 404), so that nobody learns which
receipts or identifiers another annex holds.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

from sijill.accounts.models import User
from sijill.accounts.roles import may
from sijill.territories import scope

Q = TypeVar("Q", bound=QuerySet[Any])


class NotVisible(Exception):
    """Unknown, or outside the user's territory: the same answer for both."""


class NotAllowed(Exception):
    """Visible, but the user's role may not do this."""


def scoped(user: User, queryset: Q, field: str = "annex_code") -> Q:
    return scope.within(queryset, user.territory_code, field)


def require(user: User, action: str) -> None:
    if not may(user.role, action):
        raise NotAllowed(action)


def require_place(user: User, annex_code: str) -> None:
    """A user may only act on (deposit in, move things to) a place of their subtree."""
    if not scope.covers(user.territory_code, annex_code):
        raise NotVisible(annex_code)


def visible_one(
    user: User, queryset: QuerySet[Any], field: str = "annex_code", **lookup: Any
) -> Any:
    found = scoped(user, queryset, field).filter(**lookup).first()
    if found is None:
        raise NotVisible(str(lookup))
    return found
