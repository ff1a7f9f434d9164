"""A link candidate as a person reviews it: the row and the RNP person proposed, side by
side — names in both scripts, birth date, sex, annex — with every field that differs
marked, its probability as people read it, and its decision."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sijill import engine
from sijill.runs.models import Candidate
from sijill.territories.models import Territory

DECIMALS = 3


def rounded_down(probability: float) -> float:
    """A probability cut (never rounded up) to DECIMALS places: below 1 it never reads 1,
    and 0.999 means at least 0.999 and below 1."""
    if probability >= 1:
        return 1.0
    step = 10**DECIMALS
    return float(math.floor(probability * step) / step)


@dataclass(frozen=True, slots=True)
class Review:
    link: Candidate
    lines: tuple[engine.Line, ...]  # the persons' fields, then the annex

    @property
    def differing(self) -> int:
        return sum(1 for line in self.lines if line.differs)


def _annex_line(pair: engine.Pair, names: dict[str, Territory]) -> engine.Line:
    mine, theirs = pair.row_annex, pair.candidate_annex
    return engine.Line(
        "annex_code", names.get(mine or "", mine), names.get(theirs or "", theirs),
        mine != theirs, False,
    )  # fmt: skip


def reviews(links: Iterable[Candidate], pairs: dict[tuple[str, str], engine.Pair]) -> list[Review]:
    """Each candidate with its persons compared (no lines when the run kept no persons)."""
    chosen = list(links)
    found = [pairs.get((link.source, link.row_id)) for link in chosen]
    codes = {c for p in found if p is not None for c in (p.row_annex, p.candidate_annex) if c}
    names = {t.code: t for t in Territory.objects.filter(code__in=codes)}
    return [
        Review(link, () if pair is None else
               (*engine.compared(pair.row, pair.candidate), _annex_line(pair, names)))
        for link, pair in zip(chosen, found, strict=True)
    ]  # fmt: skip
