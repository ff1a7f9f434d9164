"""AMO Tadamon enrollment files for one chunk, and the exact truth of each beneficiary row.

Eligible RSU households deposit a file with the annex's uptake (a few ineligible ones do
too); the file lists the living members as the citizen wrote them, sometimes with a
beneficiary who is not on the RSU household. Each row is then compared with the RSU rows
of the file's household exactly as the contract defines, on the written values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sijill.domain.contract import AMO_RELATIONS, AMO_STATUSES
from sijill.synth import digits
from sijill.synth.context import Chunk
from sijill.synth.copies import Copy, make_copy, mismatch, person_columns
from sijill.synth.households import CHILD, HEAD, SPOUSE
from sijill.synth.rsu import RsuPart
from sijill.synth.timeline import REJECTION_REASONS, Timeline, make_timeline

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_KEY_SHIFT = np.int64(2**37)  # written-identifier codes stay below this


@dataclass(frozen=True)
class AmoPart:
    table: pa.Table
    copy: Copy
    file: Ints  # row -> file
    extra: Bools  # row added although the person is not on the RSU household
    file_unit: Ints  # file -> RSU unit
    file_annex: Ints  # file -> annex as written
    timeline: Timeline
    not_in_rsu: Bools
    mismatch: Bools
    ineligible: Bools


def _files(chunk: Chunk, rsu: RsuPart) -> Ints:
    rng, config = chunk.rng, chunk.config
    eligible = rsu.unit_score <= config.threshold
    uptake = chunk.country.amo_uptake[chunk.people.hh_annex[rsu.unit_hh]]
    u = rng.random(len(eligible))
    deposits = np.where(eligible, u < uptake, u < config.ineligible_deposit)
    # Nobody deposits for a household whose declared members have all died.
    living = ~chunk.people.deceased[rsu.copy.persons]
    has_living = np.bincount(rsu.unit[living], minlength=len(eligible)) > 0
    return np.flatnonzero(deposits & has_living)


def _beneficiaries(chunk: Chunk, rsu: RsuPart, files: Ints) -> tuple[Ints, Ints, Ints]:
    """(person, file, RSU row or -1 for an extra) per row, sorted by file.

    A file lists the living members of its household, plus now and then an extra person
    who is not on the RSU household.
    """
    people, rng = chunk.people, chunk.rng
    file_of_unit = np.full(len(rsu.unit_hh), -1, dtype=np.int64)
    file_of_unit[files] = np.arange(len(files))
    persons = rsu.copy.persons
    rows = np.flatnonzero((file_of_unit[rsu.unit] >= 0) & ~people.deceased[persons])
    living = np.flatnonzero(~people.deceased)
    extra_files = np.flatnonzero(rng.random(len(files)) < chunk.config.amo_extra_beneficiary)
    extra_persons = living[rng.integers(0, len(living), len(extra_files))]
    person = np.concatenate([persons[rows], extra_persons])
    file = np.concatenate([file_of_unit[rsu.unit[rows]], extra_files])
    source = np.concatenate([rows, np.full(len(extra_files), -1, dtype=np.int64)])
    order = np.lexsort((source < 0, file))
    return person[order], file[order], source[order]


def _match(rsu: RsuPart, amo: Copy, row_unit: Ints) -> Ints:
    """For each AMO row, the RSU row of the file's household with the same written IDCS."""
    rsu_codes = rsu.copy.id_codes()
    rsu_key = np.where(rsu_codes >= 0, rsu.unit * _KEY_SHIFT + rsu_codes, -1)
    order = np.argsort(rsu_key, kind="stable")
    sorted_keys = rsu_key[order]
    amo_codes = amo.id_codes()
    key = row_unit * _KEY_SHIFT + amo_codes
    at = np.minimum(np.searchsorted(sorted_keys, key), len(sorted_keys) - 1)
    found = (amo_codes >= 0) & (len(sorted_keys) > 0) & (sorted_keys[at] == key)
    return np.where(found, order[at], -1)


def _relations(rsu: RsuPart, source: Ints) -> pa.Array:
    rel = np.where(source >= 0, rsu.relation[np.maximum(source, 0)], CHILD)
    mapped = np.select([rel == HEAD, rel == SPOUSE, rel == CHILD], [0, 1, 2], 3)
    return pc.take(pa.array(AMO_RELATIONS), mapped)


def _faults(n_files: int, file: Ints, not_in_rsu: Bools, bad: Bools, ineligible: Bools) -> Ints:
    """Why a careful CNSS would reject each file (index into REJECTION_REASONS, -1: none)."""
    fault = np.full(n_files, -1, dtype=np.int64)
    for reason, flag in ((2, ineligible), (1, bad), (0, not_in_rsu)):
        fault[np.unique(file[flag])] = reason
    return fault


def _timestamps(seconds: Ints) -> pa.Array:
    return pa.array(seconds, pa.timestamp("s"), mask=seconds < 0)


def make_amo(chunk: Chunk, rsu: RsuPart) -> AmoPart:
    people, rng, config = chunk.people, chunk.rng, chunk.config
    files = _files(chunk, rsu)
    person, file, source = _beneficiaries(chunk, rsu, files)
    extra = source < 0
    copy = make_copy(
        rng,
        people,
        person,
        chunk.names,
        chunk.card,
        chunk.idcs,
        config.amo_errors,
        latest=chunk.as_of_day,
    )
    unit = files[file]
    matched = _match(rsu, copy, unit)
    not_in_rsu = matched < 0
    rows = np.flatnonzero(~not_in_rsu)
    bad = np.zeros(len(person), bool)
    bad[rows] = mismatch(copy, rows, rsu.copy, matched[rows], chunk.names)
    ineligible = rsu.unit_score[unit] > config.threshold
    true_annex = people.hh_annex[rsu.unit_hh[files]]
    timeline = make_timeline(
        rng,
        chunk.as_of_day,
        chunk.country.stale_validation[true_annex],
        _faults(len(files), file, not_in_rsu, bad, ineligible),
    )
    file_annex = chunk.written_annex(true_annex, config.unknown_annex)
    counter = rsu.number[files]  # one file per household: the household's number is unique
    file_id = pc.take(
        digits.prefixed("F", digits.scramble(counter, config.seed + 13, 10**10), 10), file
    )
    first = np.searchsorted(file, np.arange(len(files)))
    position = np.arange(len(person)) - first[file]
    reason = timeline.reason[file]
    columns = person_columns(copy, chunk.names)
    table = pa.table(
        {
            "beneficiary_id": pc.binary_join_element_wise(
                file_id, digits.to_strings(digits.to_digits(position, 2)), "-"
            ),
            "amo_file_id": file_id,
            "household_id": pc.take(rsu.household_id, unit),
            "idcs": columns.pop("idcs"),
            "relation": _relations(rsu, source),
            **columns,
            "annex_code": pc.take(chunk.annex_text, file_annex[file]),
            "status": pc.take(pa.array(AMO_STATUSES), timeline.status[file]),
            "rejection_reason": pc.if_else(
                pa.array(reason >= 0),
                pc.take(pa.array(REJECTION_REASONS), np.maximum(reason, 0)),
                pa.scalar(None, pa.string()),
            ),
            "deposited_at": _timestamps(timeline.deposited[file]),
            "validated_at": _timestamps(timeline.validated[file]),
            "transmitted_at": _timestamps(timeline.transmitted[file]),
            "decided_at": _timestamps(timeline.decided[file]),
        }
    )
    return AmoPart(
        table, copy, file, extra, files, file_annex, timeline, not_in_rsu, bad, ineligible
    )
