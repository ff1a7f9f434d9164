"""Everything one chunk of the generator reads: configuration, country, names, population."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from sijill.synth import digits
from sijill.synth.config import SynthConfig
from sijill.synth.country import UNKNOWN_ANNEX_PREFIX, Country
from sijill.synth.households import EPOCH, People
from sijill.synth.namesets import Names

Ints = npt.NDArray[np.int64]
N_UNKNOWN_CODES = 50


@dataclass(frozen=True)
class Chunk:
    config: SynthConfig
    country: Country
    names: Names
    people: People
    rng: np.random.Generator
    idcs: digits.Digits  # issued identifier of every person (used only if registered)
    card: tuple[Ints, Ints]  # Latin spelling on the identity card: given, family
    hh_address: pa.Array
    annex_text: pa.Array  # annex codes, then the unknown codes
    index: int  # chunk number, for ids that must not collide between chunks

    @property
    def as_of_day(self) -> int:
        return int((np.datetime64(self.config.as_of, "D") - EPOCH).astype(np.int64))

    def written_annex(self, annex: Ints, rate: float) -> Ints:
        """Annex index as a register writes it: now and then a code no territory carries."""
        unknown = self.rng.random(len(annex)) < rate
        bogus = self.country.size + self.rng.integers(0, N_UNKNOWN_CODES, len(annex))
        return np.where(unknown, bogus, annex)

    def known(self, annex: Ints) -> npt.NDArray[np.bool_]:
        return np.asarray(annex < self.country.size)


def annex_text(country: Country, seed: int) -> pa.Array:
    rng = np.random.default_rng([seed, 2])
    bogus = rng.choice(10**5, N_UNKNOWN_CODES, replace=False)
    unknown = [f"{UNKNOWN_ANNEX_PREFIX}{b:05d}" for b in bogus]
    return pa.array([*country.annex_codes, *unknown], pa.string())
