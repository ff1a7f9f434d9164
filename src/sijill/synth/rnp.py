"""The National Population Register's rows for one chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sijill.synth.context import Chunk
from sijill.synth.copies import Copy, make_copy, person_columns
from sijill.synth.timeline import DAY

Ints = npt.NDArray[np.int64]
NATIONALITIES = pa.array(["MAR", "DZA", "SEN", "FRA", "ESP", "SYR"])
_REGISTER_OPENED = int((np.datetime64("2009-01-01") - np.datetime64("1970-01-01")).astype(int))


@dataclass(frozen=True)
class RnpPart:
    table: pa.Table
    copy: Copy
    annex: Ints  # per row, index into Chunk.annex_text
    row_of_person: Ints  # person -> rnp row, -1 when not registered


def _movers(chunk: Chunk, annex: Ints) -> Ints:
    """Some persons are registered at an address in another annex of the same province."""
    country, rng = chunk.country, chunk.rng
    order = np.argsort(country.annex_province, kind="stable")
    count = np.bincount(country.annex_province, minlength=len(country.provinces))
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    province = country.annex_province[annex]
    other = order[start[province] + (rng.random(len(annex)) * count[province]).astype(np.int64)]
    return np.where(rng.random(len(annex)) < chunk.config.mover_rate, other, annex)


def _cin(rng: np.random.Generator, adult: npt.NDArray[np.bool_]) -> pa.Array:
    n = len(adult)
    letters = rng.integers(1, 3, n)[:, None]
    width = rng.integers(4, 7, n)[:, None]
    col = np.arange(8)[None, :]
    chars = np.where(
        col < letters,
        rng.integers(65, 91, (n, 8)),
        np.where(col < letters + width, rng.integers(48, 58, (n, 8)), 0),
    )
    raw = np.ascontiguousarray(chars.astype(np.uint8)).view("S8").ravel()
    has_card = adult & (rng.random(n) < 0.97)
    return pa.array(raw, mask=~has_card).cast(pa.string())


def _registered_at(chunk: Chunk, birth: Ints) -> pa.Array:
    rng = chunk.rng
    day = np.maximum(
        birth + rng.integers(1, 90, len(birth)),
        _REGISTER_OPENED + rng.integers(0, 3 * 365, len(birth)),
    )
    day = np.minimum(day, chunk.as_of_day - 1)
    seconds = day * DAY + rng.integers(8 * 3600, 17 * 3600, len(birth))
    return pa.array(seconds, pa.timestamp("s"))


def make_rnp(chunk: Chunk) -> RnpPart:
    people, rng, config = chunk.people, chunk.rng, chunk.config
    rows = np.flatnonzero(people.registered)
    copy = make_copy(
        rng,
        people,
        rows,
        chunk.names,
        chunk.card,
        chunk.idcs,
        config.rnp_errors,
        latest=chunk.as_of_day,
    )
    home = _movers(chunk, people.hh_annex[people.hh[rows]])
    moved = home != people.hh_annex[people.hh[rows]]
    annex = chunk.written_annex(home, config.unknown_annex)
    address_of = np.where(moved, rng.integers(0, len(people.hh_size), len(rows)), people.hh[rows])
    columns = person_columns(copy, chunk.names)
    table = pa.table(
        {
            "idcs": columns.pop("idcs"),
            "cin": _cin(rng, people.age[rows] >= 18),
            **columns,
            "nationality": pc.take(
                NATIONALITIES,
                np.where(rng.random(len(rows)) < 0.995, 0, rng.integers(1, 6, len(rows))),
            ),
            "annex_code": pc.take(chunk.annex_text, annex),
            "address": pc.take(chunk.hh_address, address_of),
            "registered_at": _registered_at(chunk, people.birth[rows]),
            "deceased": pa.array(people.deceased[rows]),
        }
    )
    row_of_person = np.full(people.n_persons, -1, dtype=np.int64)
    row_of_person[rows] = np.arange(len(rows))
    return RnpPart(table, copy, annex, row_of_person)
