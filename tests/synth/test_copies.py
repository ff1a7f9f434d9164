"""A register's copy of persons (synth/copies.py): forms, dates, ids, mismatches."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest

from sijill.domain.names import name_key, normalize_arabic
from sijill.synth import digits
from sijill.synth.config import ErrorRates, SynthConfig
from sijill.synth.copies import (
    ID_MISSING,
    ID_NONE,
    ID_OK,
    ID_TYPO,
    Copy,
    card_spellings,
    make_copy,
    mismatch,
    person_columns,
    pick_forms,
    wrong_dates,
)
from sijill.synth.country import build_country
from sijill.synth.households import EPOCH, People, draw_sizes, make_people
from sijill.synth.namesets import Names, names

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

CONFIG = SynthConfig(persons=20_000, seed=3)
NO_ERRORS = ErrorRates(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
MANY_ERRORS = ErrorRates(0.1, 0.1, 0.2, 0.1, 0.3, 0.1, 0.05)


def ymd(days: Ints) -> tuple[Ints, Ints, Ints]:
    date = EPOCH + days.astype("timedelta64[D]")
    year = date.astype("datetime64[Y]").astype(np.int64) + 1970
    month = date.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (date - date.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def day_number(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def is_leap(year: Ints) -> Bools:
    return np.asarray((year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0)))


@pytest.fixture(scope="module")
def nameset() -> Names:
    return names()


@pytest.fixture(scope="module")
def people(nameset: Names) -> People:
    rng = np.random.default_rng(8)
    sizes = draw_sizes(rng, 5_000, 10**9)
    return make_people(rng, CONFIG, build_country(CONFIG), nameset, sizes, 0)


@pytest.fixture(scope="module")
def card(people: People, nameset: Names) -> tuple[Ints, Ints]:
    rng = np.random.default_rng(9)
    return (
        card_spellings(rng, nameset.given, people.given),
        card_spellings(rng, nameset.family, people.family),
    )


@pytest.fixture(scope="module")
def idcs(people: People) -> digits.Digits:
    return digits.issued_idcs(people.person_id, CONFIG.seed)


def copy_of(
    people: People,
    nameset: Names,
    card: tuple[Ints, Ints],
    idcs: digits.Digits,
    rates: ErrorRates,
    seed: int,
    keep_id: Bools | None = None,
) -> Copy:
    persons = np.arange(people.n_persons, dtype=np.int64)
    rng = np.random.default_rng(seed)
    return make_copy(rng, people, persons, nameset, card, idcs, rates, keep_id)


# --------------------------------------------------------------------------------------
# wrong_dates


@pytest.fixture(scope="module")
def birth_days() -> Ints:
    rng = np.random.default_rng(21)
    random = rng.integers(
        day_number(dt.date(1920, 1, 1)), day_number(dt.date(2026, 6, 30)), 100_000
    )
    edges = [
        day_number(dt.date(y, m, d))
        for y in range(1924, 2025, 4)
        for m, d in ((2, 29), (12, 31), (1, 1), (2, 28), (3, 1), (4, 30), (1, 31), (12, 12))
    ]
    days = np.concatenate([random, np.repeat(np.array(edges, dtype=np.int64), 40)])
    return days.astype(np.int64)


def test_wrong_dates_never_return_the_input(birth_days: Ints) -> None:
    wrong = wrong_dates(np.random.default_rng(1), birth_days)
    assert wrong.dtype == np.int64
    assert len(wrong) == len(birth_days)
    assert (wrong != birth_days).all()


def test_wrong_dates_are_typical_errors_and_valid_dates(birth_days: Ints) -> None:
    """Each result is a day/month swap, another year, 1 January or a neighbouring day."""
    wrong = wrong_dates(np.random.default_rng(2), birth_days)
    y, m, d = ymd(birth_days)
    wy, wm, wd = ymd(wrong)
    # Going through datetime.date round-trips every result (a real calendar date).
    for value in wrong[::101].tolist():
        assert day_number(dt.date(1970, 1, 1) + dt.timedelta(days=value)) == value
    assert (wy >= 1900).all()
    assert (wy <= 2040).all()
    swap = (wy == y) & (wm == d) & (wd == m) & (d <= 12) & (d != m)
    same_day = (wd == d) | ((m == 2) & (d == 29) & (wd == 28) & ~is_leap(wy))
    year = np.isin(wy - y, [-10, -1, 1, 10]) & (wm == m) & same_day
    january = (wy == y) & (wm == 1) & (wd == 1) & ~((m == 1) & (d == 1))
    neighbour = (wy == y) & (wm == m) & (np.abs(wd - d) == 1)
    kinds = np.stack([swap, year, january, neighbour])
    assert kinds.any(axis=0).all()
    assert (kinds.mean(axis=1) > 0.05).all()


def test_wrong_dates_on_leap_day_and_new_year_eve() -> None:
    leap = np.full(5_000, day_number(dt.date(2000, 2, 29)), dtype=np.int64)
    eve = np.full(5_000, day_number(dt.date(1999, 12, 31)), dtype=np.int64)
    for days in (leap, eve):
        assert (wrong_dates(np.random.default_rng(3), days) != days).all()
    # 29 February moved to a non-leap year becomes 28 February, never 1 March.
    y, m, d = ymd(wrong_dates(np.random.default_rng(3), leap))
    assert np.isin(m, [1, 2]).all()
    assert ((d != 29) | is_leap(y)).all()
    assert ((m == 2) & (d == 28)).any()
    y, m, d = ymd(wrong_dates(np.random.default_rng(3), eve))
    dec = (m == 12) & np.isin(d, [30, 31])
    assert (dec | ((y == 1999) & (m == 1) & (d == 1))).all()


def test_wrong_dates_depend_on_the_generator(birth_days: Ints) -> None:
    a = wrong_dates(np.random.default_rng(4), birth_days)
    b = wrong_dates(np.random.default_rng(4), birth_days)
    c = wrong_dates(np.random.default_rng(5), birth_days)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


# --------------------------------------------------------------------------------------
# pick_forms


def test_pick_forms_without_errors_is_the_register_spelling(nameset: Names) -> None:
    ns = nameset.given
    name = np.random.default_rng(0).integers(0, len(ns.start), 20_000)
    form, fold, err = pick_forms(np.random.default_rng(1), ns, name, 0.0, 0.0)
    assert np.array_equal(form, ns.start[name])
    assert not fold.any()
    assert not err.any()


@pytest.mark.parametrize("which", ["given", "family"])
def test_pick_forms_with_error_rate_one_changes_the_key(nameset: Names, which: str) -> None:
    ns = nameset.given if which == "given" else nameset.family
    name = np.tile(np.arange(len(ns.start), dtype=np.int64), 20)
    form, fold, err = pick_forms(np.random.default_rng(2), ns, name, 0.0, 1.0)
    has_errors = ns.n_err[name] > 0
    assert np.array_equal(err, has_errors)
    assert not fold.any()
    register_key = ns.key[ns.start[name]]
    assert (ns.key[form[has_errors]] != register_key[has_errors]).all()
    assert np.array_equal(form[~has_errors], ns.start[name[~has_errors]])
    # The form is one of the name's error variants.
    offset = form - ns.start[name] - 1 - ns.n_fold[name]
    assert ((offset >= 0) & (offset < ns.n_err[name]))[has_errors].all()
    text = ns.text.to_pylist()
    for f, n in zip(form[:2_000].tolist(), name[:2_000].tolist(), strict=True):
        if ns.n_err[n]:
            assert normalize_arabic(str(text[f])) != normalize_arabic(str(text[ns.start[n]]))


def test_pick_forms_with_variant_rate_one_keeps_the_key(nameset: Names) -> None:
    ns = nameset.family
    name = np.tile(np.arange(len(ns.start), dtype=np.int64), 200)
    form, fold, err = pick_forms(np.random.default_rng(3), ns, name, 1.0, 0.0)
    assert not err.any()
    assert np.array_equal(fold, ns.n_fold[name] > 0)
    assert (ns.key[form] == ns.key[ns.start[name]]).all()
    assert (form[fold] != ns.start[name[fold]]).all()
    # Every folding variant gets picked at some point.
    picked = np.unique(form[fold])
    assert len(picked) == int(ns.n_fold.sum())


# --------------------------------------------------------------------------------------
# make_copy


def test_copy_without_errors_is_the_truth(
    people: People, nameset: Names, card: tuple[Ints, Ints], idcs: digits.Digits
) -> None:
    c = copy_of(people, nameset, card, idcs, NO_ERRORS, 1)
    assert np.array_equal(c.given_form, nameset.given.start[people.given])
    assert np.array_equal(c.family_form, nameset.family.start[people.family])
    assert np.array_equal(c.given_latin, card[0])
    assert np.array_equal(c.family_latin, card[1])
    assert np.array_equal(c.sex, people.sex)
    assert np.array_equal(c.birth, people.birth)
    assert np.array_equal(c.id_state, np.where(people.registered, ID_OK, ID_NONE))
    assert np.array_equal(c.idcs, idcs)
    assert np.array_equal(c.idcs_null, ~people.registered)


def test_make_copy_with_keep_id_keeps_ids(
    people: People, nameset: Names, card: tuple[Ints, Ints], idcs: digits.Digits
) -> None:
    id_errors = ErrorRates(0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0)
    keep = np.random.default_rng(0).random(people.n_persons) < 0.5
    c = copy_of(people, nameset, card, idcs, id_errors, 2, keep_id=keep)
    kept = keep & people.registered
    assert (c.id_state[kept] == ID_OK).all()
    assert np.array_equal(c.idcs[kept], idcs[kept])
    assert (c.id_state[~people.registered] == ID_NONE).all()
    # Without keep_id every registered person's id is missing or mistyped.
    other = ~keep & people.registered
    assert np.isin(c.id_state[other], [ID_MISSING, ID_TYPO]).all()
    assert (c.id_state[other] == ID_MISSING).mean() == pytest.approx(0.5, abs=0.03)
    typo = c.id_state == ID_TYPO
    assert (digits.codes(c.idcs[typo]) != digits.codes(idcs[typo])).all()
    ten = (c.idcs[typo] != 255).all(axis=1)
    assert not digits.luhn_valid(c.idcs[typo][ten]).any()
    assert np.array_equal(c.id_codes() == -1, c.idcs_null)


def test_copy_flags_describe_the_injected_errors(
    people: People, nameset: Names, card: tuple[Ints, Ints], idcs: digits.Digits
) -> None:
    c = copy_of(people, nameset, card, idcs, MANY_ERRORS, 3)
    assert np.array_equal(c.sex != people.sex, c.sex_error)
    assert np.array_equal(c.birth != people.birth, c.birth_error)
    given_key, family_key = c.name_keys(nameset)
    true_given = nameset.given.key[nameset.given.start[people.given]]
    true_family = nameset.family.key[nameset.family.start[people.family]]
    key_differs = (given_key != true_given) | (family_key != true_family)
    assert np.array_equal(key_differs, c.name_error)
    latin_differs = (c.given_latin != card[0]) | (c.family_latin != card[1])
    assert np.array_equal(latin_differs, c.latin_variant)
    for flag in (c.sex_error, c.birth_error, c.name_error, c.arabic_variant, c.latin_variant):
        assert flag.any()
        assert not flag.all()


def test_person_columns_follow_the_contract(
    people: People, nameset: Names, card: tuple[Ints, Ints], idcs: digits.Digits
) -> None:
    c = copy_of(people, nameset, card, idcs, MANY_ERRORS, 4)
    cols = person_columns(c, nameset)
    assert list(cols) == [
        "idcs",
        "first_name_ar",
        "last_name_ar",
        "first_name_lat",
        "last_name_lat",
        "sex",
        "birth_date",
    ]
    assert cols["birth_date"].type == pa.date32()
    assert set(cols["sex"].to_pylist()) == {"F", "M"}
    ids = cols["idcs"].to_pylist()
    assert [v is None for v in ids] == c.idcs_null.tolist()
    state = c.id_state.tolist()
    assert all(len(str(v)) == 10 for v, s in zip(ids, state, strict=True) if s == ID_OK)


# --------------------------------------------------------------------------------------
# mismatch


def contract_mismatch(a: dict[str, pa.Array], b: dict[str, pa.Array]) -> list[bool]:
    """The contract's field mismatch, from the written text alone."""
    out = []
    for row in range(len(a["sex"])):
        key_a = name_key(a["first_name_ar"][row].as_py(), a["last_name_ar"][row].as_py())
        key_b = name_key(b["first_name_ar"][row].as_py(), b["last_name_ar"][row].as_py())
        out.append(
            a["sex"][row].as_py() != b["sex"][row].as_py()
            or a["birth_date"][row].as_py() != b["birth_date"][row].as_py()
            or key_a != key_b
        )
    return out


def test_mismatch_is_sex_birth_or_name_key(
    people: People, nameset: Names, card: tuple[Ints, Ints], idcs: digits.Digits
) -> None:
    a = copy_of(people, nameset, card, idcs, ErrorRates(0, 0, 0.05, 0, 0, 0, 0), 5)
    b = copy_of(people, nameset, card, idcs, MANY_ERRORS, 6)
    rows = np.arange(people.n_persons, dtype=np.int64)
    found = mismatch(a, rows, b, rows, nameset)
    expected = contract_mismatch(person_columns(a, nameset), person_columns(b, nameset))
    assert found.tolist() == expected
    assert 0.05 < found.mean() < 0.6
    # Only the fields of the contract count: Latin spellings and ids do not.
    flags = a.sex_error | b.sex_error | a.birth_error | b.birth_error | a.name_error
    assert np.array_equal(found, flags | b.name_error)


def test_mismatch_ignores_folding_variants_and_latin(
    people: People, nameset: Names, card: tuple[Ints, Ints], idcs: digits.Digits
) -> None:
    a = copy_of(people, nameset, card, idcs, NO_ERRORS, 7)
    b = copy_of(people, nameset, card, idcs, ErrorRates(0.3, 0.3, 1.0, 0, 1.0, 0, 0), 8)
    rows = np.arange(people.n_persons, dtype=np.int64)
    assert b.arabic_variant.mean() > 0.9
    assert not mismatch(a, rows, b, rows, nameset).any()


def test_mismatch_pairs_rows_by_index(
    people: People, nameset: Names, card: tuple[Ints, Ints], idcs: digits.Digits
) -> None:
    a = copy_of(people, nameset, card, idcs, NO_ERRORS, 9)
    rows = np.arange(people.n_persons, dtype=np.int64)
    shifted = np.roll(rows, 1)
    found = mismatch(a, rows, a, shifted, nameset)
    expected = contract_mismatch(
        person_columns(a, nameset),
        {k: v.take(pa.array(shifted)) for k, v in person_columns(a, nameset).items()},
    )
    assert found.tolist() == expected
    assert found.mean() > 0.9


def test_wrong_dates_never_fall_after_the_reference_day() -> None:
    latest = day_number(dt.date(2026, 6, 30))
    recent = np.arange(latest - 400, latest + 1, dtype=np.int64).repeat(50)
    wrong = wrong_dates(np.random.default_rng(4), recent, latest)
    assert (wrong <= latest).all()
    assert (wrong != recent).all()
