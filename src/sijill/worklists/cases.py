"""A finding as a person works it: who it is about, what the registers hold, what differs,
what to do, and what has been done (its handling).

The engine's detail names the fields it compared; here every field of the two rows is
laid side by side and each one whose values differ is marked, both values, so that the
reader sees the difference rather than reads about it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from sijill.engine import Finding, Line, compared
from sijill.worklists.models import OPEN, Handling


@dataclass(frozen=True, slots=True)
class Case:
    finding: Finding
    handling: Handling | None
    lines: tuple[Line, ...]  # empty when the finding compares no two rows

    @property
    def status(self) -> str:
        return self.handling.status if self.handling is not None else OPEN

    @property
    def anchor(self) -> str:
        """The finding's id on the page: its key (a run written before keys: its row)."""
        f = self.finding
        if f.key:
            return f.key
        what = f"{f.kind}|{f.source}|{f.row_id or f.amo_file_id or f.idcs}"
        return hashlib.md5(what.encode(), usedforsecurity=False).hexdigest()

    @property
    def differing(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.differs)


def case(finding: Finding, handling: Handling | None) -> Case:
    return Case(finding, handling, compared(finding.person, finding.other))


def split_reason(member: Any) -> str:
    """Why a split suspect's households were grouped, in the page's language, from the
    counts the engine's reason gives (its English when they cannot be read)."""
    counts = (member.households, member.couples, member.parent_child, member.mothers)
    if any(n is None for n in counts):
        return str(member.reason)
    text = gettext(
        "Single-person households at the same address: {households}. Couples: {couples}; "
        "parent and child by family name: {parent_child}; possible mothers: {mothers}."
    )
    return str(text).format(
        households=member.households, couples=member.couples,
        parent_child=member.parent_child, mothers=member.mothers,
    )  # fmt: skip
