"""What a reconciliation or a linkage did, as typed values; JSON only where it is written.

`summary.json` and `linkage.json` are these values written out (`as_json`), with the
contract's English codes: programs read them, people read what the command line shows. A
warning's detail is written in English, with its message id and parameters beside it
(`Problem.as_json`) for a page that words it in its reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sijill.engine.extracts.problems import Problem
from sijill.engine.params import Parameters


@dataclass(frozen=True, slots=True)
class Linkage:
    """Rows to resolve, RNP persons compared, pairs scored, candidates found."""

    rows: int = 0
    register: int = 0
    pool: int = 0
    pairs: int = 0
    links: int = 0
    confident: int = 0  # rows whose candidate reaches 0.5
    prior: float = 0.0
    timings: Mapping[str, float] = field(default_factory=dict)
    inputs: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()

    def as_json(self) -> dict[str, object]:
        found = {
            name: getattr(self, name)
            for name in ("rows", "register", "pool", "pairs", "links", "confident", "prior")
        }
        return {
            "inputs": dict(self.inputs),
            "warnings": [w.as_json() for w in self.warnings],
            **found,
            "timings": dict(self.timings),
        }


@dataclass(frozen=True, slots=True)
class Summary:
    """A reconciliation: its parameters, its national funnel row, rows read and written,
    the warnings of its extracts, the linkage and the time each stage took."""

    engine: str
    parameters: Parameters
    links: bool
    national: Mapping[str, Any]
    inputs: Mapping[str, int]
    outputs: Mapping[str, int]
    warnings: tuple[Problem, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    linkage: Linkage | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "parameters": self.parameters.as_dict(),
            "links": self.links,
            "linkage": {} if self.linkage is None else _stats(self.linkage),
            "national": dict(self.national),
            "inputs": dict(self.inputs),
            "outputs": dict(self.outputs),
            "warnings": [w.as_json() for w in self.warnings],
            "timings": dict(self.timings),
        }


def _stats(linkage: Linkage) -> dict[str, object]:
    """The linkage inside a reconciliation's summary: its figures, no inputs of its own."""
    found = linkage.as_json()
    for name in ("inputs", "warnings"):
        found.pop(name)
    return found
