"""One register's copy of a set of persons, with that register's errors injected.

A copy holds indices and codes, not text: name forms and Latin spellings are indices into
the name sets, identifiers are digit matrices. Comparing two copies is then exact integer
arithmetic, which is how the generator knows the truth of every mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sijill.synth import digits
from sijill.synth.config import ErrorRates
from sijill.synth.households import EPOCH, People
from sijill.synth.namesets import Names, NameSet

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

SEX_TEXT = pa.array(["F", "M"], pa.string())
ID_OK, ID_MISSING, ID_TYPO, ID_NONE = range(4)  # ID_NONE: the person has no IDCS
ID_STATES = ("ok", "missing", "typo", "unregistered")


@dataclass(frozen=True)
class Copy:
    persons: Ints  # index into People for each row
    given_form: Ints
    family_form: Ints
    given_latin: Ints
    family_latin: Ints
    sex: Ints
    birth: Ints
    idcs: digits.Digits
    id_state: Ints  # ID_OK, ID_MISSING, ID_TYPO or ID_NONE
    name_error: Bools
    arabic_variant: Bools
    latin_variant: Bools
    birth_error: Bools
    sex_error: Bools

    @property
    def idcs_null(self) -> Bools:
        return np.asarray((self.id_state == ID_MISSING) | (self.id_state == ID_NONE))

    def id_codes(self) -> Ints:
        """Integer per row equal iff the written identifiers are equal; -1 for null."""
        return np.where(self.idcs_null, -1, digits.codes(self.idcs))

    def name_keys(self, names: Names) -> tuple[Ints, Ints]:
        return names.given.key[self.given_form], names.family.key[self.family_form]


def pick_forms(
    rng: np.random.Generator, ns: NameSet, name: Ints, variant: float, error: float
) -> tuple[Ints, Bools, Bools]:
    """Arabic form per row: the register spelling, a folding variant or a real misspelling."""
    u = rng.random(len(name))
    n_fold, n_err = ns.n_fold[name], ns.n_err[name]
    fold = (u < variant) & (n_fold > 0)
    err = (u >= variant) & (u < variant + error) & (n_err > 0)
    pick = rng.random(len(name))
    form = ns.start[name].copy()
    form[fold] += 1 + (pick[fold] * n_fold[fold]).astype(np.int64)
    form[err] += 1 + n_fold[err] + (pick[err] * n_err[err]).astype(np.int64)
    return form, fold, err


def card_spellings(rng: np.random.Generator, ns: NameSet, name: Ints) -> Ints:
    """The Latin spelling on each person's identity card: usually the most common one."""
    other = (rng.random(len(name)) * ns.latin_count[name]).astype(np.int64)
    return ns.latin_start[name] + np.where(rng.random(len(name)) < 0.6, 0, other)


def _respell(
    rng: np.random.Generator, ns: NameSet, name: Ints, card: Ints, rate: float
) -> tuple[Ints, Bools]:
    change = rng.random(len(name)) < rate
    other = ns.latin_start[name] + (rng.random(len(name)) * ns.latin_count[name]).astype(np.int64)
    spelled = np.where(change, other, card)
    return spelled, spelled != card


def wrong_dates(rng: np.random.Generator, days: Ints, latest: int | None = None) -> Ints:
    """Typical birth-date errors: day/month swapped, one digit of the year, year only.

    A wrong date after `latest` (the reference day) becomes the year before the true one:
    nobody writes a birth date in the future.
    """
    date = EPOCH + days.astype("timedelta64[D]")
    year = date.astype("datetime64[Y]").astype(np.int64) + 1970
    month = date.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (date - date.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    kind = rng.integers(0, 4, len(days))
    swap = (kind == 0) & (day <= 12) & (day != month)
    year_only = (kind == 2) & ~((day == 1) & (month == 1))
    day_digit = kind == 3
    new_year = np.where(kind == 1, year + rng.choice([-10, -1, 1, 10], len(days)), year)
    new_month = np.where(swap, day, np.where(year_only, 1, month))
    new_day = np.where(swap, month, np.where(year_only, 1, day))
    new_day = np.where(day_digit, np.where(day < 28, day + 1, day - 1), new_day)
    fallback = ~(swap | year_only | day_digit | (kind == 1))
    new_year = np.where(fallback, year + 1, new_year)
    wrong = _days(new_year, new_month, new_day)
    if latest is None:
        return wrong
    return np.where(wrong > latest, _days(year - 1, month, day), wrong)


def _days(year: Ints, month: Ints, day: Ints) -> Ints:
    months = (year - 1970) * 12 + (month - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    # Clip to the month's length so that 31 April never appears.
    last = (months + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
    date = np.minimum(first + (day - 1).astype("timedelta64[D]"), last)
    return np.asarray((date - EPOCH).astype(np.int64))


def make_copy(
    rng: np.random.Generator,
    people: People,
    persons: Ints,
    names: Names,
    card: tuple[Ints, Ints],
    idcs: digits.Digits,
    rates: ErrorRates,
    keep_id: Bools | None = None,
    latest: int | None = None,
) -> Copy:
    """Rows for `persons` as this register writes them. `keep_id` rows get no id error."""
    n = len(persons)
    given, g_var, g_err = pick_forms(
        rng, names.given, people.given[persons], rates.arabic_variant, rates.name_error / 2
    )
    family, f_var, f_err = pick_forms(
        rng, names.family, people.family[persons], rates.arabic_variant, rates.name_error / 2
    )
    g_lat, g_changed = _respell(
        rng, names.given, people.given[persons], card[0][persons], rates.latin_variant
    )
    f_lat, f_changed = _respell(
        rng, names.family, people.family[persons], card[1][persons], rates.latin_variant
    )
    sex_error = rng.random(n) < rates.sex_error
    birth_error = rng.random(n) < rates.birth_date_error
    birth = people.birth[persons]
    u = rng.random(n)
    registered = people.registered[persons]
    state = np.where(
        ~registered,
        ID_NONE,
        np.where(
            u < rates.idcs_missing,
            ID_MISSING,
            np.where(u < rates.idcs_missing + rates.idcs_typo, ID_TYPO, ID_OK),
        ),
    )
    if keep_id is not None:
        state = np.where(keep_id & registered, ID_OK, state)
    written = idcs[persons].copy()
    typo = state == ID_TYPO
    written[typo] = digits.typo(written[typo], rng)
    return Copy(
        persons=persons,
        given_form=given,
        family_form=family,
        given_latin=g_lat,
        family_latin=f_lat,
        sex=np.where(sex_error, 1 - people.sex[persons], people.sex[persons]),
        birth=np.where(birth_error, wrong_dates(rng, birth, latest), birth),
        idcs=written,
        id_state=state.astype(np.int64),
        name_error=g_err | f_err,
        arabic_variant=g_var | f_var,
        latin_variant=g_changed | f_changed,
        birth_error=birth_error,
        sex_error=sex_error,
    )


def person_columns(copy: Copy, names: Names) -> dict[str, pa.Array]:
    """The contract's person fields, as Arrow columns, in contract order."""
    return {
        "idcs": digits.to_strings(copy.idcs, copy.idcs_null),
        "first_name_ar": pc.take(names.given.text, copy.given_form),
        "last_name_ar": pc.take(names.family.text, copy.family_form),
        "first_name_lat": pc.take(names.given.latin, copy.given_latin),
        "last_name_lat": pc.take(names.family.latin, copy.family_latin),
        "sex": pc.take(SEX_TEXT, copy.sex),
        "birth_date": pa.array(copy.birth.astype(np.int32), pa.date32()),
    }


def mismatch(a: Copy, a_rows: Ints, b: Copy, b_rows: Ints, names: Names) -> Bools:
    """The contract's field mismatch between rows of two copies: sex, birth date, name key."""
    a_given, a_family = a.name_keys(names)
    b_given, b_family = b.name_keys(names)
    return np.asarray(
        (a.sex[a_rows] != b.sex[b_rows])
        | (a.birth[a_rows] != b.birth[b_rows])
        | (a_given[a_rows] != b_given[b_rows])
        | (a_family[a_rows] != b_family[b_rows])
    )
