"""The true population of one chunk: households, their members, ages, sexes and names.

Sizes follow the 2024 census; ages are consistent with relations (a child is at least 18
years younger than both parents); spouses keep their own family names and children carry
their father's, as in Morocco.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sijill.domain.contract import RSU_RELATIONS
from sijill.synth.config import HOUSEHOLD_SIZE_WEIGHTS, SynthConfig
from sijill.synth.country import Country
from sijill.synth.namesets import Names

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

HEAD, SPOUSE, CHILD, PARENT, SIBLING, GRANDCHILD, OTHER = range(len(RSU_RELATIONS))
FEMALE, MALE = 0, 1
EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class People:
    """Arrays over the chunk's persons (index p) and households (index h)."""

    hh_annex: Ints  # h -> annex index
    hh_start: Ints  # h -> first person
    hh_size: Ints
    person_id: Ints  # p -> global person number (stable across chunks)
    hh: Ints  # p -> household
    relation: Ints  # p -> index into RSU_RELATIONS
    sex: Ints
    age: Ints
    birth: Ints  # p -> birth date, days since 1970-01-01
    given: Ints  # p -> index into Names.given
    family: Ints  # p -> index into Names.family
    registered: Bools  # in the RNP
    deceased: Bools

    @property
    def n_persons(self) -> int:
        return len(self.hh)


def draw_sizes(rng: np.random.Generator, n_households: int, remaining: int) -> Ints:
    """Household sizes, cut so that they add up to at most `remaining` persons."""
    sizes = rng.choice(
        np.arange(1, len(HOUSEHOLD_SIZE_WEIGHTS) + 1), n_households, p=HOUSEHOLD_SIZE_WEIGHTS
    ).astype(np.int64)
    total = np.cumsum(sizes)
    if total[-1] <= remaining:
        return sizes
    last = int(np.searchsorted(total, remaining))
    sizes = sizes[: last + 1].copy()
    sizes[-1] -= int(total[last] - remaining)
    return sizes[sizes > 0]


def _relations(rng: np.random.Generator, pos: Ints, has_spouse: Bools, head_age: Ints) -> Ints:
    rel = np.full(len(pos), CHILD, dtype=np.int64)
    rel[pos == 0] = HEAD
    rel[(pos == 1) & has_spouse] = SPOUSE
    r = rng.random(len(pos))
    free = rel == CHILD
    rel[free & (r < 0.06) & (head_age <= 60)] = PARENT
    rel[free & (r >= 0.06) & (r < 0.10)] = SIBLING
    rel[free & (r >= 0.10) & (r < 0.13) & (head_age >= 50)] = GRANDCHILD
    rel[free & (r >= 0.13) & (r < 0.15)] = OTHER
    return rel


def _ages(rng: np.random.Generator, rel: Ints, head_age: Ints, spouse_age: Ints) -> Ints:
    n = len(rel)
    youngest_parent = np.minimum(head_age, spouse_age)
    child_max = np.clip(youngest_parent - 18, 0, 45)
    by_relation = {
        HEAD: head_age,
        SPOUSE: spouse_age,
        CHILD: (rng.random(n) * (child_max + 1)).astype(np.int64),
        PARENT: np.minimum(head_age + rng.integers(20, 36, n), 100),
        SIBLING: np.clip(head_age + rng.integers(-10, 11, n), 0, 100),
        GRANDCHILD: (rng.random(n) * np.clip(head_age - 37, 1, 20)).astype(np.int64),
        OTHER: rng.integers(0, 81, n),
    }
    age = np.zeros(n, dtype=np.int64)
    for code, values in by_relation.items():
        age = np.where(rel == code, values, age)
    return age


def _sample_given(rng: np.random.Generator, names: Names, sex: Ints) -> Ints:
    given = np.empty(len(sex), dtype=np.int64)
    for code, ids in ((MALE, names.male), (FEMALE, names.female)):
        mask = sex == code
        given[mask] = rng.choice(ids, int(mask.sum()), p=names.given_probabilities(ids))
    return given


def _families(
    rng: np.random.Generator,
    names: Names,
    rel: Ints,
    sex: Ints,
    hh: Ints,
    head_male: Bools,
    has_spouse: Bools,
    n_hh: int,
) -> Ints:
    def draw(n: int) -> Ints:
        return rng.choice(len(names.family.weight), n, p=names.family.weight).astype(np.int64)

    head_family, spouse_family, absent_father = draw(n_hh), draw(n_hh), draw(n_hh)
    clash = spouse_family == head_family
    spouse_family[clash] = (spouse_family[clash] + 1) % len(names.family.weight)
    father = np.where(head_male, head_family, np.where(has_spouse, spouse_family, absent_father))
    own = draw(len(rel))
    family = own.copy()
    family[rel == HEAD] = head_family[hh[rel == HEAD]]
    family[rel == SPOUSE] = spouse_family[hh[rel == SPOUSE]]
    paternal = (rel == CHILD) | (rel == GRANDCHILD)
    family[paternal] = father[hh[paternal]]
    same_as_head = (rel == SIBLING) | ((rel == PARENT) & (sex == MALE))
    family[same_as_head] = head_family[hh[same_as_head]]
    return family


def _birth_days(rng: np.random.Generator, age: Ints, as_of_days: int) -> Ints:
    return as_of_days - age * 365 - rng.integers(1, 365, len(age)) - age // 4


def make_people(
    rng: np.random.Generator,
    config: SynthConfig,
    country: Country,
    names: Names,
    sizes: Ints,
    person_offset: int,
) -> People:
    n_hh = len(sizes)
    hh_annex = rng.choice(country.size, n_hh, p=country.weight).astype(np.int64)
    hh_start = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    hh = np.repeat(np.arange(n_hh, dtype=np.int64), sizes)
    pos = np.arange(len(hh), dtype=np.int64) - hh_start[hh]
    has_spouse = (sizes >= 2) & (rng.random(n_hh) < np.where(sizes == 2, 0.7, 0.85))
    head_male = np.where(
        has_spouse, rng.random(n_hh) < 0.95, rng.random(n_hh) < np.where(sizes == 1, 0.5, 0.4)
    )
    head_age = np.where(sizes == 1, rng.integers(20, 86, n_hh), rng.integers(25, 76, n_hh))
    gap = np.clip(np.rint(rng.normal(5, 4, n_hh)), -5, 15).astype(np.int64)
    spouse_age = np.where(
        has_spouse, np.maximum(head_age - np.where(head_male, gap, -gap), 18), head_age
    )
    rel = _relations(rng, pos, has_spouse[hh], head_age[hh])
    age = _ages(rng, rel, head_age[hh], spouse_age[hh])
    sex = rng.integers(0, 2, len(hh)).astype(np.int64)
    sex[rel == HEAD] = head_male[hh[rel == HEAD]]
    sex[rel == SPOUSE] = ~head_male[hh[rel == SPOUSE]]
    annex = hh_annex[hh]
    coverage = country.rnp_coverage[annex] - np.where(age < 5, 0.08, 0.0)
    registered = rng.random(len(hh)) < coverage
    death = config.deceased_rate * np.where(age >= 65, 4.0, 0.5)
    as_of_days = int((np.datetime64(config.as_of, "D") - EPOCH).astype(np.int64))
    return People(
        hh_annex=hh_annex,
        hh_start=hh_start,
        hh_size=sizes,
        person_id=person_offset + np.arange(len(hh), dtype=np.int64),
        hh=hh,
        relation=rel,
        sex=sex,
        age=age,
        birth=_birth_days(rng, age, as_of_days),
        given=_sample_given(rng, names, sex),
        family=_families(rng, names, rel, sex, hh, head_male, has_spouse, n_hh),
        registered=registered,
        deceased=registered & (rng.random(len(hh)) < death),
    )
