"""The true population (engine/synth/households.py): sizes, relations, ages, names."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pytest

from sijill.synth.config import HOUSEHOLD_SIZE_WEIGHTS, SynthConfig
from sijill.synth.country import build_country
from sijill.synth.households import (
    CHILD,
    EPOCH,
    GRANDCHILD,
    HEAD,
    MALE,
    PARENT,
    SIBLING,
    SPOUSE,
    People,
    draw_sizes,
    make_people,
)
from sijill.synth.namesets import names

Ints = npt.NDArray[np.int64]

CONFIG = SynthConfig(persons=20_000, seed=5, as_of=dt.date(2026, 6, 30))
OFFSET = 1_000_000


def age_on(birth: Ints, as_of: dt.date) -> Ints:
    """Completed years on `as_of` of persons born on `birth` (days since 1970-01-01)."""
    date = EPOCH + birth.astype("timedelta64[D]")
    year = date.astype("datetime64[Y]").astype(np.int64) + 1970
    month = date.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (date - date.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    later = (month > as_of.month) | ((month == as_of.month) & (day > as_of.day))
    return np.asarray(as_of.year - year - later.astype(np.int64))


def build_people(config: SynthConfig, n_households: int, seed: int) -> People:
    rng = np.random.default_rng(seed)
    sizes = draw_sizes(rng, n_households, 10**9)
    return make_people(rng, config, build_country(config), names(), sizes, OFFSET)


@pytest.fixture(scope="module")
def people() -> People:
    return build_people(CONFIG, 50_000, 12)


def per_household(p: People, mask: npt.NDArray[np.bool_]) -> Ints:
    return np.bincount(p.hh[mask], minlength=len(p.hh_size))


# --------------------------------------------------------------------------------------
# draw_sizes


def test_draw_sizes_sums_exactly_to_remaining_when_cut() -> None:
    rng = np.random.default_rng(0)
    for remaining in [1, 2, 3, 7, 10, 11, 99, 1_000, 3_901, 12_345]:
        sizes = draw_sizes(rng, 5_000, remaining)
        assert sizes.dtype == np.int64
        assert int(sizes.sum()) == remaining
        assert sizes.min() >= 1
        assert sizes.max() <= len(HOUSEHOLD_SIZE_WEIGHTS)


def test_draw_sizes_uncut_keeps_every_household() -> None:
    sizes = draw_sizes(np.random.default_rng(1), 5_000, 10**9)
    assert len(sizes) == 5_000
    assert sizes.min() >= 1
    assert sizes.max() <= len(HOUSEHOLD_SIZE_WEIGHTS)


def test_draw_sizes_exact_total_is_not_cut() -> None:
    full = draw_sizes(np.random.default_rng(2), 1_000, 10**9)
    again = draw_sizes(np.random.default_rng(2), 1_000, int(full.sum()))
    assert np.array_equal(full, again)
    one_less = draw_sizes(np.random.default_rng(2), 1_000, int(full.sum()) - 1)
    assert int(one_less.sum()) == int(full.sum()) - 1
    assert np.array_equal(one_less[:-1], full[: len(one_less) - 1])


def test_draw_sizes_match_the_census() -> None:
    sizes = draw_sizes(np.random.default_rng(3), 200_000, 10**9)
    assert sizes.mean() == pytest.approx(3.9, abs=0.1)
    assert (sizes == 1).mean() == pytest.approx(0.111, abs=0.005)
    observed = np.bincount(sizes, minlength=11)[1:] / len(sizes)
    assert np.allclose(observed, HOUSEHOLD_SIZE_WEIGHTS, atol=0.005)


# --------------------------------------------------------------------------------------
# make_people


def test_people_arrays_line_up(people: People) -> None:
    n = people.n_persons
    assert n == int(people.hh_size.sum())
    for column in (
        people.person_id,
        people.relation,
        people.sex,
        people.age,
        people.birth,
        people.given,
        people.family,
        people.registered,
        people.deceased,
    ):
        assert len(column) == n
    assert np.array_equal(people.person_id, OFFSET + np.arange(n))
    assert np.array_equal(np.bincount(people.hh), people.hh_size)
    assert np.array_equal(people.hh_start, np.concatenate([[0], np.cumsum(people.hh_size)[:-1]]))
    assert (np.diff(people.hh) >= 0).all()
    assert people.hh_annex.min() >= 0
    assert people.hh_annex.max() < CONFIG.annex_count


def test_exactly_one_head_per_household_first(people: People) -> None:
    head = people.relation == HEAD
    assert (per_household(people, head) == 1).all()
    assert (people.relation[people.hh_start] == HEAD).all()


def test_at_most_one_spouse_right_after_the_head(people: People) -> None:
    spouse = people.relation == SPOUSE
    assert per_household(people, spouse).max() == 1
    pos = np.arange(people.n_persons) - people.hh_start[people.hh]
    assert (pos[spouse] == 1).all()
    # Most couples with children: a good share of households have a spouse.
    assert 0.5 < spouse.sum() / len(people.hh_size) < 0.9


def test_spouse_has_opposite_sex_and_is_adult(people: People) -> None:
    spouse = np.flatnonzero(people.relation == SPOUSE)
    head = people.hh_start[people.hh[spouse]]
    assert (people.sex[spouse] != people.sex[head]).all()
    assert set(np.unique(people.sex).tolist()) == {0, 1}
    assert (people.age[spouse] >= 18).all()


def test_children_are_at_least_18_years_younger_than_head_and_spouse(people: People) -> None:
    child = people.relation == CHILD
    head_age = people.age[people.hh_start[people.hh]]
    assert (people.age[child] <= head_age[child] - 18).all()
    spouse = np.flatnonzero(people.relation == SPOUSE)
    spouse_age = np.full(len(people.hh_size), 10**6)
    spouse_age[people.hh[spouse]] = people.age[spouse]
    assert (people.age[child] <= spouse_age[people.hh[child]] - 18).all()
    assert (people.age >= 0).all()
    assert (people.age <= 100).all()
    assert child.sum() > len(people.hh_size)


def test_parents_are_older_than_the_head(people: People) -> None:
    parent = people.relation == PARENT
    head_age = people.age[people.hh_start[people.hh]]
    assert parent.any()
    assert (people.age[parent] > head_age[parent]).all()


def test_spouse_keeps_her_family_name(people: People) -> None:
    spouse = np.flatnonzero(people.relation == SPOUSE)
    head = people.hh_start[people.hh[spouse]]
    assert (people.family[spouse] != people.family[head]).all()


def test_children_of_a_male_head_carry_his_family_name(people: People) -> None:
    head = people.hh_start[people.hh]
    male_head = people.sex[head] == MALE
    child = (people.relation == CHILD) & male_head
    assert child.sum() > 10_000
    assert (people.family[child] == people.family[head[child]]).all()
    grandchild = (people.relation == GRANDCHILD) & male_head
    assert (people.family[grandchild] == people.family[head[grandchild]]).all()


def test_children_of_a_female_head_with_a_husband_carry_his_name(people: People) -> None:
    spouse = np.flatnonzero(people.relation == SPOUSE)
    husband = np.full(len(people.hh_size), -1)
    female_head = people.sex[people.hh_start[people.hh[spouse]]] != MALE
    husband[people.hh[spouse[female_head]]] = spouse[female_head]
    child = np.flatnonzero((people.relation == CHILD) & (husband[people.hh] >= 0))
    assert len(child) > 0
    assert (people.family[child] == people.family[husband[people.hh[child]]]).all()


def test_siblings_share_the_head_family_name(people: People) -> None:
    sibling = people.relation == SIBLING
    head = people.hh_start[people.hh]
    assert sibling.any()
    assert (people.family[sibling] == people.family[head[sibling]]).all()


def test_given_names_match_the_sex(people: People) -> None:
    nameset = names()
    male = people.sex == MALE
    assert np.isin(people.given[male], nameset.male).all()
    assert np.isin(people.given[~male], nameset.female).all()
    assert people.family.min() >= 0
    assert people.family.max() < len(nameset.family.weight)


def test_birth_dates_give_the_stated_age(people: People) -> None:
    assert np.array_equal(age_on(people.birth, CONFIG.as_of), people.age)
    as_of_day = (np.datetime64(CONFIG.as_of, "D") - EPOCH).astype(np.int64)
    assert (people.birth < as_of_day).all()


@pytest.mark.parametrize(
    "as_of", [dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2025, 1, 1), dt.date(2025, 12, 31)]
)
def test_birth_dates_give_the_stated_age_on_other_days(as_of: dt.date) -> None:
    config = SynthConfig(persons=20_000, seed=5, as_of=as_of)
    p = build_people(config, 5_000, 3)
    assert np.array_equal(age_on(p.birth, as_of), p.age)


def test_deceased_are_registered(people: People) -> None:
    assert not (people.deceased & ~people.registered).any()
    assert people.deceased.any()
    assert 0.9 < people.registered.mean() < 1.0


def test_make_people_is_deterministic() -> None:
    a = build_people(CONFIG, 2_000, 77)
    b = build_people(CONFIG, 2_000, 77)
    for field in ("hh_annex", "relation", "sex", "age", "birth", "given", "family", "deceased"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
