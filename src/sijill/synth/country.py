"""The synthetic country's territory and the character of each annex.

Regions and provinces are Morocco's real ones; communes and annexes are invented under
them, with opaque codes. Each annex draws its own coverage, poverty and validation habits,
and a few are "split annexes" where households were declared as single-person households.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sijill.domain.territory import Territory, load_reference
from sijill.synth.config import SynthConfig

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

ANNEXES_PER_COMMUNE = 2.5
# Codes no territory carries: the generator's "unknown annex" injections.
UNKNOWN_ANNEX_PREFIX = "AX9"


@dataclass(frozen=True)
class Country:
    territories: list[Territory]
    annex_codes: list[str]
    annex_province: Ints  # index into `provinces` for each annex
    provinces: list[str]
    weight: Floats  # share of the population living in each annex
    urban: Bools
    rnp_coverage: Floats
    rsu_coverage: Floats
    amo_uptake: Floats
    stale_validation: Floats
    score_shift: Floats  # mean of (score - threshold) in the annex
    split: Bools
    split_rate: Floats

    @property
    def size(self) -> int:
        return len(self.annex_codes)

    def annexes_by_province(self) -> list[Ints]:
        return [np.flatnonzero(self.annex_province == p) for p in range(len(self.provinces))]


def _uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> Floats:
    return rng.uniform(bounds[0], bounds[1], n)


def _communes_and_annexes(
    provinces: list[Territory], per_province: Ints
) -> tuple[list[Territory], list[str], Ints]:
    territories: list[Territory] = []
    annex_codes: list[str] = []
    annex_province: list[int] = []
    for p_index, (province, n_annex) in enumerate(zip(provinces, per_province, strict=True)):
        n_commune = max(1, round(int(n_annex) / ANNEXES_PER_COMMUNE))
        for c in range(n_commune):
            code = f"CM{len(territories):06d}"
            territories.append(
                Territory(
                    code,
                    province.code,
                    "commune",
                    f"{province.name_ar} - الجماعة {c + 1}",
                    f"{province.name_fr} - Commune {c + 1}",
                )
            )
            for a in range(c, int(n_annex), n_commune):
                annex = f"AX{len(annex_codes):06d}"
                annex_codes.append(annex)
                annex_province.append(p_index)
                territories.append(
                    Territory(
                        annex,
                        code,
                        "annex",
                        f"الملحقة الإدارية {a + 1} - {province.name_ar}",
                        f"Annexe administrative {a + 1} - {province.name_fr}",
                    )
                )
    return territories, annex_codes, np.array(annex_province, dtype=np.int64)


def build_country(config: SynthConfig) -> Country:
    rng = np.random.default_rng([config.seed, 1])
    reference = load_reference()
    provinces = [t for t in reference if t.level == "province"]
    n = config.annex_count
    share = rng.lognormal(0.0, 0.6, len(provinces))
    extra = rng.multinomial(n - len(provinces), share / share.sum())
    local, annex_codes, annex_province = _communes_and_annexes(provinces, extra + 1)
    urban = rng.random(n) < 0.6
    split = np.zeros(n, dtype=bool)
    n_split = max(1, round(n * config.split_annex_share))
    split[rng.choice(n, n_split, replace=False)] = True
    return Country(
        territories=[*reference, *local],
        annex_codes=annex_codes,
        annex_province=annex_province,
        provinces=[p.code for p in provinces],
        weight=_normalized(rng.lognormal(0.0, 0.35, n)),
        urban=urban,
        rnp_coverage=_uniform(rng, config.rnp_coverage, n),
        rsu_coverage=_uniform(rng, config.rsu_coverage, n),
        amo_uptake=_uniform(rng, config.amo_uptake, n),
        stale_validation=_uniform(rng, config.stale_validation, n),
        score_shift=np.where(urban, 0.35, -0.25) + rng.normal(0.0, 0.3, n),
        split=split,
        split_rate=np.where(split, _uniform(rng, config.split_rate, n), 0.0),
    )


def _normalized(values: Floats) -> Floats:
    return np.asarray(values / values.sum())
