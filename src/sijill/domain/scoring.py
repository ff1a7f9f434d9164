"""The RSU socio-economic index: a versioned proxy-means-test formula, explained term by term.

ILLUSTRATIVE ONLY. The RSU's real formula and coefficients are not public. The shipped
version, `illustrative-1`, has the published form of such indices (a predicted logarithm
of consumption per person: an intercept plus weighted household characteristics, with
separate urban and rural weights) and coefficients chosen to give plausible orders of
magnitude; it must not be used to decide anyone's eligibility. An authority that holds the
real coefficients adds a version to `data/pmt_coefficients.csv` and its thresholds to
`data/pmt_thresholds.csv`, and the words of any new `label` to the gettext catalogues
(labels are message ids, in English, like every word shown: `message_ids()` lists them).
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

CURRENT = "illustrative-1"
AREAS = ("urban", "rural")
INTERCEPT = "intercept"
_TRANSFORMS = {"identity": lambda x: x, "log": math.log}


@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    transform: str
    minimum: float
    maximum: float
    weights: Mapping[str, float]  # area -> coefficient
    label: str  # message id: what the variable is called


@dataclass(frozen=True, slots=True)
class Contribution:
    """One variable's share of a score: `points = coefficient * transform(value)`."""

    variable: str
    value: float
    coefficient: float
    points: float
    label: str  # message id


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    version: str
    area: str
    contributions: tuple[Contribution, ...]  # the intercept first, then the file's order


class InvalidAnswers(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("sijill.domain").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def _formulas() -> dict[str, tuple[Variable, ...]]:
    formulas: dict[str, list[Variable]] = {}
    for row in _read("pmt_coefficients.csv"):
        if row["transform"] not in _TRANSFORMS:
            raise ValueError(f"unknown transform {row['transform']!r} for {row['variable']}")
        formulas.setdefault(row["version"], []).append(
            Variable(
                name=row["variable"],
                transform=row["transform"],
                minimum=float(row["minimum"]),
                maximum=float(row["maximum"]),
                weights={area: float(row[area]) for area in AREAS},
                label=row["label"],
            )
        )
    return {version: tuple(variables) for version, variables in formulas.items()}


@functools.cache
def _thresholds() -> dict[tuple[str, str], float]:
    return {
        (r["version"], r["programme"]): float(r["threshold"]) for r in _read("pmt_thresholds.csv")
    }


def versions() -> list[str]:
    return list(_formulas())


def variables(version: str = CURRENT) -> tuple[Variable, ...]:
    """The formula's variables, intercept excluded: what an RSU declaration must answer."""
    try:
        return tuple(v for v in _formulas()[version] if v.name != INTERCEPT)
    except KeyError:
        raise KeyError(f"unknown scoring version {version!r}") from None


def message_ids() -> Iterator[str]:
    """Every variable's label, intercept included, in every version: the words the
    catalogues must hold (they live in a CSV file, where no extraction finds them)."""
    for formula in _formulas().values():
        yield from (v.label for v in formula)


def threshold(programme: str = "amo_tadamon", version: str = CURRENT) -> float:
    try:
        return _thresholds()[(version, programme)]
    except KeyError:
        raise KeyError(f"no threshold for {programme!r} in version {version!r}") from None


def eligible(score: float, programme: str = "amo_tadamon", version: str = CURRENT) -> bool:
    """The programme's rule: a household qualifies when its score is at most the threshold."""
    return score <= threshold(programme, version)


def score(answers: Mapping[str, float], area: str, version: str = CURRENT) -> Score:
    """The household's index and each variable's contribution; refuses incomplete answers."""
    formula = _formulas().get(version)
    if formula is None:
        raise InvalidAnswers([f"unknown scoring version {version!r}"])
    problems = _problems(answers, area, variables(version))
    if problems:
        raise InvalidAnswers(problems)
    contributions = tuple(_contribution(v, answers.get(v.name, 1.0), area) for v in formula)
    total = math.fsum(c.points for c in contributions)
    return Score(total, version, area, contributions)


def _contribution(variable: Variable, value: float, area: str) -> Contribution:
    coefficient = variable.weights[area]
    points = coefficient * _TRANSFORMS[variable.transform](value)
    return Contribution(variable.name, value, coefficient, points, variable.label)


def _problems(answers: Mapping[str, float], area: str, expected: tuple[Variable, ...]) -> list[str]:
    problems = [] if area in AREAS else [f"area must be one of {', '.join(AREAS)}, not {area!r}"]
    names = {v.name for v in expected}
    problems += [f"unknown variable {name!r}" for name in answers if name not in names]
    for variable in expected:
        value = answers.get(variable.name)
        if value is None:
            problems.append(f"{variable.name} is missing")
        elif not variable.minimum <= value <= variable.maximum:  # NaN fails too
            problems.append(
                f"{variable.name}={value} is outside [{variable.minimum:g}, {variable.maximum:g}]"
            )
    return problems
