"""The Unified Social Register's rows for one chunk: declared households, as declared.

A household is declared with the annex's coverage; deceased members usually leave it; in
split annexes some households are declared as one single-person household per member;
a few persons are also declared in a second household.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sijill.domain.contract import RSU_RELATIONS
from sijill.synth import digits
from sijill.synth.addresses import rewritten
from sijill.synth.context import Chunk
from sijill.synth.copies import ID_OK, Copy, make_copy, person_columns
from sijill.synth.households import HEAD, OTHER
from sijill.synth.timeline import DAY

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
RELATION_TEXT = pa.array(RSU_RELATIONS)


@dataclass(frozen=True)
class RsuPart:
    table: pa.Table
    copy: Copy
    unit: Ints  # row -> RSU household (index into the unit arrays)
    duplicate: Bools  # row is a person's second declaration
    relation: Ints  # row -> index into RSU_RELATIONS
    unit_hh: Ints  # unit -> true household
    unit_split: Bools
    unit_annex: Ints  # unit -> annex as written (index into Chunk.annex_text)
    unit_score: npt.NDArray[np.float64]
    household_id: pa.Array  # unit -> RSU household identifier
    number: Ints  # unit -> its country-wide number (see unit_numbers)


def _declared(chunk: Chunk) -> tuple[Ints, Bools]:
    """Persons declared in the RSU, and which true households are declared split."""
    people, rng, country = chunk.people, chunk.rng, chunk.country
    n_hh = len(people.hh_size)
    in_rsu = rng.random(n_hh) < country.rsu_coverage[people.hh_annex]
    stays = ~people.deceased | (rng.random(people.n_persons) < chunk.config.deceased_left_in_rsu)
    declared = np.flatnonzero(in_rsu[people.hh] & stays)
    counted = np.bincount(people.hh[declared], minlength=n_hh)
    split = (
        in_rsu
        & country.split[people.hh_annex]
        & (counted >= 2)
        & (rng.random(n_hh) < country.split_rate[people.hh_annex])
    )
    return declared, split


def _scores(chunk: Chunk) -> npt.NDArray[np.float64]:
    people, rng, config = chunk.people, chunk.rng, chunk.config
    n_hh = len(people.hh_size)
    raw = config.threshold + chunk.country.score_shift[people.hh_annex] + rng.normal(0, 0.7, n_hh)
    score = np.round(np.clip(raw, 2.0, 20.0), 7)
    return np.where(rng.random(n_hh) < config.threshold_ties, config.threshold, score)


def _duplicates(chunk: Chunk, declared: Ints, unit: Ints, n_units: int) -> tuple[Ints, Ints]:
    """Persons also declared in a second household, and that household."""
    people, rng = chunk.people, chunk.rng
    able = people.registered[declared] & ~people.deceased[declared] & (people.age[declared] >= 18)
    chosen = np.flatnonzero(able & (rng.random(len(declared)) < chunk.config.duplicate_member))
    if n_units < 2:
        chosen = chosen[:0]
    target = rng.integers(0, max(n_units, 1), len(chosen))
    target = np.where(target == unit[chosen], (target + 1) % max(n_units, 1), target)
    return chosen, target


def unit_numbers(chunk: Chunk, unit_key: Ints) -> Ints:
    """A number per RSU household, unique in the whole country whatever the chunking.

    A household is numbered by the global number of its first person, a split-off
    single-person household by its member's: no two units share that person.
    """
    people = chunk.people
    n_hh = len(people.hh_size)
    first = np.where(
        unit_key < n_hh, people.hh_start[np.minimum(unit_key, n_hh - 1)], unit_key - n_hh
    )
    return people.person_id[first]


def _household_ids(chunk: Chunk, numbers: Ints) -> pa.Array:
    return digits.prefixed("H", digits.scramble(numbers, chunk.config.seed + 11, 10**10), 10)


def _addresses(chunk: Chunk, unit_hh: Ints, unit_split: Bools, row_unit: Ints) -> pa.Array:
    by_unit = pc.take(chunk.hh_address, unit_hh)
    split_units = np.flatnonzero(unit_split)
    if len(split_units):
        text = by_unit.to_pylist()
        for u, new in zip(
            split_units, rewritten([text[u] for u in split_units], chunk.rng), strict=True
        ):
            text[u] = new
        by_unit = pa.array(text, pa.string())
    return pc.take(by_unit, row_unit)


def make_rsu(chunk: Chunk) -> RsuPart:
    people, rng, config = chunk.people, chunk.rng, chunk.config
    declared, split = _declared(chunk)
    key = np.where(split[people.hh[declared]], len(people.hh_size) + declared, people.hh[declared])
    unit_key, unit = np.unique(key, return_inverse=True)
    n_units = len(unit_key)
    dup_of, target = _duplicates(chunk, declared, unit, n_units)
    persons = np.concatenate([declared, declared[dup_of]])
    row_unit = np.concatenate([unit, target])
    duplicate = np.concatenate([np.zeros(len(declared), bool), np.ones(len(dup_of), bool)])
    keep_id = duplicate.copy()
    keep_id[dup_of] = True
    order = np.lexsort((duplicate, row_unit))
    persons, row_unit, duplicate, keep_id = (
        a[order] for a in (persons, row_unit, duplicate, keep_id)
    )
    copy = make_copy(
        rng,
        people,
        persons,
        chunk.names,
        chunk.card,
        chunk.idcs,
        config.rsu_errors,
        keep_id,
        latest=chunk.as_of_day,
    )
    unit_hh = np.where(
        unit_key < len(people.hh_size),
        unit_key,
        people.hh[np.maximum(unit_key - len(people.hh_size), 0)],
    )
    unit_split = unit_key >= len(people.hh_size)
    unit_annex = chunk.written_annex(people.hh_annex[unit_hh], config.unknown_annex)
    unit_score = _scores(chunk)[unit_hh]
    numbers = unit_numbers(chunk, unit_key)
    household_id = _household_ids(chunk, numbers)
    first = np.searchsorted(row_unit, np.arange(n_units))
    position = np.arange(len(persons)) - first[row_unit]
    relation = np.where(unit_split[row_unit], HEAD, people.relation[persons])
    relation = np.where(duplicate, OTHER, relation)
    declared_day = chunk.as_of_day - rng.integers(1, 3 * 365, n_units)
    declared_at = declared_day * DAY + rng.integers(8 * 3600, 17 * 3600, n_units)
    hh_text = pc.take(household_id, row_unit)
    columns = person_columns(copy, chunk.names)
    table = pa.table(
        {
            "member_id": pc.binary_join_element_wise(
                hh_text, digits.to_strings(digits.to_digits(position, 2)), "-"
            ),
            "household_id": hh_text,
            "idcs": columns.pop("idcs"),
            "relation": pc.take(RELATION_TEXT, relation),
            **columns,
            "annex_code": pc.take(chunk.annex_text, unit_annex[row_unit]),
            "address": _addresses(chunk, unit_hh, unit_split, row_unit),
            "score": pa.array(unit_score[row_unit], pa.float64()),
            "declared_at": pa.array(declared_at[row_unit], pa.timestamp("s")),
        }
    )
    return RsuPart(
        table,
        copy,
        row_unit,
        duplicate,
        relation,
        unit_hh,
        unit_split,
        unit_annex,
        unit_score,
        household_id,
        numbers,
    )


def id_ok(copy: Copy) -> Bools:
    return np.asarray(copy.id_state == ID_OK)
