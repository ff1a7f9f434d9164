"""Morocco's administrative hierarchy: the shipped reference and a navigable tree.

Codes are opaque strings. Nothing here derives a parent, a level or a region from the
characters of a code: every relation comes from `parent_code` and `level`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

LEVELS: tuple[str, ...] = ("region", "province", "commune", "annex")
PARENT_LEVEL: dict[str, str | None] = {
    "region": None,
    "province": "region",
    "commune": "province",
    "annex": "commune",
}

_REFERENCE_PACKAGE = "sijill.domain"
_REFERENCE_FILE = "data/territories_ma.csv"
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(frozen=True, slots=True)
class Territory:
    code: str
    parent_code: str | None
    level: str
    name_ar: str
    name_fr: str


def load_reference() -> list[Territory]:
    """The 12 regions and 75 prefectures/provinces shipped with sijill."""
    resource = resources.files(_REFERENCE_PACKAGE).joinpath(_REFERENCE_FILE)
    text = resource.read_text(encoding="utf-8")
    rows = [_territory_from_record(record) for record in csv.DictReader(io.StringIO(text))]
    # A stable sort keeps file order within a level while guaranteeing regions come first.
    return sorted(rows, key=lambda t: _LEVEL_RANK.get(t.level, len(LEVELS)))


def _territory_from_record(record: dict[str, str]) -> Territory:
    return Territory(
        code=record["code"],
        # csv gives "" for an empty field; the contract says that means "no parent".
        parent_code=record["parent_code"] or None,
        level=record["level"],
        name_ar=record["name_ar"],
        name_fr=record["name_fr"],
    )


class TerritoryTree:
    """Parent/child navigation over a set of territories, keyed by code."""

    def __init__(self, territories: Iterable[Territory]) -> None:
        self._by_code: dict[str, Territory] = {}
        self._children: dict[str, list[Territory]] = {}
        for territory in territories:
            if territory.code in self._by_code:
                # Silently keeping one of two rows would make every count ambiguous.
                raise ValueError(f"duplicate territory code {territory.code!r}")
            self._by_code[territory.code] = territory
            if territory.parent_code:
                self._children.setdefault(territory.parent_code, []).append(territory)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Territory]:
        return iter(self._by_code.values())

    def get(self, code: str) -> Territory:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown territory code {code!r}") from None

    def children(self, code: str) -> list[Territory]:
        self.get(code)
        return list(self._children.get(code, ()))

    def ancestors(self, code: str) -> list[Territory]:
        """Parent first, region last; stops at a parent missing from the tree."""
        chain: list[Territory] = []
        seen = {code}
        parent_code = self.get(code).parent_code
        while parent_code and parent_code in self._by_code:
            if parent_code in seen:
                # Unvalidated input can loop; an endless walk would hang the caller.
                raise ValueError(f"cycle in territory hierarchy at {parent_code!r}")
            seen.add(parent_code)
            parent = self._by_code[parent_code]
            chain.append(parent)
            parent_code = parent.parent_code
        return chain

    def subtree_codes(self, code: str) -> set[str]:
        self.get(code)
        found = {code}
        pending = [code]
        while pending:
            for child in self._children.get(pending.pop(), ()):
                if child.code not in found:
                    found.add(child.code)
                    pending.append(child.code)
        return found

    def annex_codes(self) -> list[str]:
        return [t.code for t in self.by_level("annex")]

    def by_level(self, level: str) -> list[Territory]:
        if level not in PARENT_LEVEL:
            raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
        return [t for t in self._by_code.values() if t.level == level]


def hierarchy_errors(rows: Iterable[Territory]) -> list[str]:
    """Every way `rows` breaks the contract's hierarchy rules; empty when consistent."""
    territories = list(rows)
    errors = _duplicate_code_errors(territories)
    level_of: dict[str, str] = {}
    for territory in territories:
        level_of.setdefault(territory.code, territory.level)
    problems = (_row_problem(territory, level_of) for territory in territories)
    errors.extend(problem for problem in problems if problem is not None)
    return errors


def _duplicate_code_errors(territories: list[Territory]) -> list[str]:
    counts = Counter(t.code for t in territories)
    return [f"duplicate code {code!r} ({n} rows)" for code, n in counts.items() if n > 1]


def _row_problem(territory: Territory, level_of: dict[str, str]) -> str | None:
    code, level, parent_code = territory.code, territory.level, territory.parent_code
    if not code.strip():
        return f"{level} named {territory.name_fr!r} has an empty code"
    if level not in PARENT_LEVEL:
        return f"territory {code!r}: unknown level {level!r} (expected one of {', '.join(LEVELS)})"
    expected = PARENT_LEVEL[level]
    if expected is None and parent_code:
        return f"region {code!r} has a parent ({parent_code!r}); regions have none"
    if expected is None:
        return None
    if not parent_code:
        return f"{level} {code!r} has no parent; expected a {expected}"
    parent_level = level_of.get(parent_code)
    if parent_level is None:
        return f"{level} {code!r}: unknown parent {parent_code!r}"
    if parent_level != expected:
        return f"{level} {code!r}: parent {parent_code!r} is a {parent_level}, not a {expected}"
    return None
