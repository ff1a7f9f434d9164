"""Which run, and which of its rows, a user sees.

One territory at a time, never wider than the user's scope: the national row (`ALL`) only
for national users, any other territory only inside the user's subtree (the territories'
closure table). Outside it, a territory answers like one that does not exist (NotVisible).

A territory is shown from the runs that cover it: national runs, and runs scoped to it or to
a territory above it. Retired runs are read by no page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sijill.accounts.access import NotVisible
from sijill.domain.contract import NATIONAL_CODE
from sijill.runs.models import SUCCEEDED, Figures, Run
from sijill.territories import scope

NATIONAL = NATIONAL_CODE


def home(user: Any) -> str:
    """The user's own territory, `ALL` for a national user."""
    code: str | None = user.territory_code
    return code or NATIONAL


def may_see(user: Any, code: str) -> bool:
    if code == NATIONAL:
        return user.territory_code is None
    return scope.covers(user.territory_code, code)


def runs(code: str) -> QuerySet[Run]:
    """The finished, unretired runs that cover the territory `code`, latest first."""
    found = Run.objects.filter(status=SUCCEEDED, retired_at__isnull=True)
    national = Q(territory__isnull=True)
    covering = national if code == NATIONAL else national | Q(territory__in=scope.above(code))
    return found.filter(covering).order_by("-as_of", "-id")


# The largest number a database's 64-bit integer holds: anything larger names nothing.
_BIGGEST = 2**63 - 1


def run_id(value: str | None) -> int | None:
    """A run (or page) number as given in a query string, None when absent, not a number,
    or larger than any row could have."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= _BIGGEST else None


def run_or_latest(asked: int | None, code: str) -> Run | None:
    """Run `asked` if it covers `code`, else None; without a number, the latest that does."""
    found: Run | None = runs(code).filter(pk=asked).first() if asked else runs(code).first()
    return found


def chosen(user: Any, code: str, asked: str | None) -> Run | None:
    """The run a page of territory `code` shows: the one asked for (`?run=`), or the latest
    covering it (None when there is none). NotVisible when the territory is outside the
    user's scope or the run asked for does not cover it."""
    if not may_see(user, code):
        raise NotVisible(code)
    number = run_id(asked)
    found = run_or_latest(number, code)
    if (asked and found is None) or (asked and number is None):
        raise NotVisible(str(asked))
    return found


def figures(user: Any, run: Run, code: str) -> Figures:
    """The territory's row in the run; NotVisible when absent or outside the user's scope."""
    if not may_see(user, code):
        raise NotVisible(code)
    found: Figures | None = Figures.objects.filter(run=run, code=code).first()
    if found is None:
        raise NotVisible(code)
    return found


def annex(user: Any, code: str, asked: str | None) -> tuple[Run, Figures]:
    """The run asked for (or the latest covering annex `code`) and the annex's row in it;
    NotVisible when out of scope, when no run covers it, or when `code` is no annex."""
    run = chosen(user, code, asked)
    if run is None:
        raise NotVisible(code)
    fig = figures(user, run, code)
    if fig.level != "annex":
        raise NotVisible(code)
    return run, fig


LAST_PAGE = 10_000_000  # a page number past any list's end, kept within the database's integers


def page(value: str | None) -> int:
    """A page number as given in a query string: 1 when absent or not a number."""
    return min(max(run_id(value) or 1, 1), LAST_PAGE)


def trail(user: Any, fig: Figures) -> list[Figures]:
    """The territory's ancestors from the user's home down to it (never above the home)."""
    chain = [fig]
    stop = home(user)
    while chain[0].code != stop and chain[0].parent_code:
        parent = Figures.objects.filter(run_id=fig.run_id, code=chain[0].parent_code).first()
        if parent is None:
            break
        chain.insert(0, parent)
    return chain
