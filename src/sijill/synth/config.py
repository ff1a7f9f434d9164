"""What the synthetic country looks like, and how often each kind of error is injected.

Every rate here is a probability per row (or per household/file where named), documented in
docs/synth.md. Defaults aim at the situation the Ministry of the Interior describes: a
registration funnel that leaks, data that disagrees between registers, and a few annexes
with suspiciously many single-person households.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# 2024 census: mean household size 3.9, 11.1 % single-person households.
PROVINCES = 75  # Morocco's prefectures and provinces; each gets at least one annex
HOUSEHOLD_SIZE_WEIGHTS = (0.111, 0.150, 0.185, 0.200, 0.155, 0.095, 0.052, 0.025, 0.017, 0.010)


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """Errors in one register's copy of a person, relative to the truth."""

    idcs_missing: float  # identifier left empty
    idcs_typo: float  # one digit changed, two swapped or one dropped: never a valid IDCS
    arabic_variant: float  # spelling variant the contract's name key folds (hamza, ة, ى, ...)
    name_error: float  # a different spelling the name key does NOT fold: a real mismatch
    latin_variant: float  # another Latin spelling of the same name
    birth_date_error: float  # day/month swap, one digit, year only
    sex_error: float


@dataclass(frozen=True, slots=True)
class SynthConfig:
    persons: int
    seed: int = 1
    as_of: dt.date = dt.date(2026, 6, 30)
    threshold: float = 9.3264284
    households_per_chunk: int = 50_000

    # Territory: annexes scale with the population, within these bounds.
    persons_per_annex: int = 1_000
    min_annexes: int = 150
    max_annexes: int = 4_000
    split_annex_share: float = 0.03  # annexes where households were split into singles
    split_rate: tuple[float, float] = (0.25, 0.45)  # share of multi-person households split

    # Coverage, drawn per annex from these ranges.
    rnp_coverage: tuple[float, float] = (0.96, 0.995)
    rsu_coverage: tuple[float, float] = (0.35, 0.90)
    amo_uptake: tuple[float, float] = (0.40, 0.95)  # eligible RSU households that deposit
    ineligible_deposit: float = 0.03  # ineligible RSU households that deposit anyway
    stale_validation: tuple[float, float] = (0.0, 0.25)  # files left pending for days

    deceased_rate: float = 0.02
    deceased_left_in_rsu: float = 0.30
    mover_rate: float = 0.04  # RNP address in another annex of the same province
    duplicate_member: float = 0.004  # person also declared in a second household
    amo_extra_beneficiary: float = 0.02  # files with a beneficiary absent from the RSU household
    unknown_annex: float = 0.002  # rows (rnp) / households (rsu) / files (amo)
    threshold_ties: float = 0.002  # households whose score is exactly the threshold

    rnp_errors: ErrorRates = field(
        default_factory=lambda: ErrorRates(0.0, 0.0, 0.02, 0.0, 0.0, 0.0, 0.0)
    )
    rsu_errors: ErrorRates = field(
        default_factory=lambda: ErrorRates(0.02, 0.015, 0.10, 0.01, 0.25, 0.015, 0.004)
    )
    amo_errors: ErrorRates = field(
        default_factory=lambda: ErrorRates(0.01, 0.01, 0.08, 0.008, 0.25, 0.01, 0.003)
    )

    def __post_init__(self) -> None:
        if self.persons < 1:
            raise ValueError("persons must be at least 1")
        if self.min_annexes < PROVINCES:
            raise ValueError(f"min_annexes must be at least {PROVINCES}: one per province")
        if self.households_per_chunk < 1:
            raise ValueError("households_per_chunk must be at least 1")

    @property
    def annex_count(self) -> int:
        wanted = self.persons // self.persons_per_annex
        return max(self.min_annexes, min(self.max_annexes, wanted))
