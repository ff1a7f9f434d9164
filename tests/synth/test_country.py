"""The synthetic country's territory (engine/synth/country.py)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from sijill.domain.territory import Territory, hierarchy_errors
from sijill.synth.config import SynthConfig
from sijill.synth.context import annex_text
from sijill.synth.country import UNKNOWN_ANNEX_PREFIX, Country, build_country

SMALL = SynthConfig(persons=20_000, seed=4)


@pytest.fixture(scope="module")
def country() -> Country:
    return build_country(SMALL)


def by_code(country: Country) -> dict[str, Territory]:
    return {t.code: t for t in country.territories}


def test_small_config_uses_the_minimum_annex_count() -> None:
    assert SMALL.annex_count == SMALL.min_annexes == 150


def test_annex_count_scales_within_bounds() -> None:
    assert SynthConfig(persons=1).annex_count == 150
    assert SynthConfig(persons=1_000_000).annex_count == 1_000
    assert SynthConfig(persons=10**9).annex_count == 4_000


def test_levels(country: Country) -> None:
    levels = Counter(t.level for t in country.territories)
    assert levels["region"] == 12
    assert levels["province"] == 75
    assert levels["annex"] == SMALL.annex_count == country.size == len(country.annex_codes)
    assert 0 < levels["commune"] <= levels["annex"]
    assert set(levels) == {"region", "province", "commune", "annex"}


def test_codes_are_unique(country: Country) -> None:
    codes = [t.code for t in country.territories]
    assert len(set(codes)) == len(codes)
    assert all(codes)
    assert len(set(country.annex_codes)) == len(country.annex_codes)


def test_every_annex_sits_under_a_commune_under_a_province(country: Country) -> None:
    index = by_code(country)
    annexes = [t for t in country.territories if t.level == "annex"]
    assert [t.code for t in annexes] == country.annex_codes
    for i, annex in enumerate(annexes):
        assert annex.parent_code is not None
        commune = index[annex.parent_code]
        assert commune.level == "commune"
        assert commune.parent_code is not None
        province = index[commune.parent_code]
        assert province.level == "province"
        assert province.code == country.provinces[country.annex_province[i]]
        assert province.parent_code is not None
        assert index[province.parent_code].level == "region"
    assert hierarchy_errors(country.territories) == []


def test_no_empty_commune_or_province(country: Country) -> None:
    index = by_code(country)
    parents = Counter(t.parent_code for t in country.territories)
    for t in country.territories:
        if t.level != "annex":
            assert parents[t.code] > 0, t.code
    provinces = [t.code for t in country.territories if t.level == "province"]
    assert country.provinces == provinces
    assert (np.bincount(country.annex_province, minlength=75) >= 1).all()
    assert all(index[code].level == "province" for code in country.provinces)
    assert [len(a) for a in country.annexes_by_province()] == np.bincount(
        country.annex_province, minlength=75
    ).tolist()


def test_territories_have_names(country: Country) -> None:
    for t in country.territories:
        assert t.name_ar.strip()
        assert t.name_fr.strip()
    annex_names = [t.name_fr for t in country.territories if t.level == "annex"]
    assert len(set(annex_names)) == len(annex_names)


def test_at_least_one_split_annex(country: Country) -> None:
    assert country.split.sum() == max(1, round(country.size * SMALL.split_annex_share))
    assert country.split.sum() >= 1
    low, high = SMALL.split_rate
    assert ((country.split_rate >= low) & (country.split_rate <= high))[country.split].all()
    assert (country.split_rate[~country.split] == 0).all()
    tiny = build_country(SynthConfig(persons=10, split_annex_share=0.0))
    assert tiny.split.sum() == 1


def test_annex_characters_within_bounds(country: Country) -> None:
    n = country.size
    assert country.weight.shape == (n,)
    assert (country.weight > 0).all()
    assert country.weight.sum() == pytest.approx(1.0)
    for values, (low, high) in (
        (country.rnp_coverage, SMALL.rnp_coverage),
        (country.rsu_coverage, SMALL.rsu_coverage),
        (country.amo_uptake, SMALL.amo_uptake),
        (country.stale_validation, SMALL.stale_validation),
    ):
        assert values.shape == (n,)
        assert ((values >= low) & (values <= high)).all()
    assert country.urban.shape == country.score_shift.shape == (n,)
    assert 0.3 < country.urban.mean() < 0.9


def test_deterministic_for_a_seed(country: Country) -> None:
    again = build_country(SMALL)
    assert again.territories == country.territories
    assert again.annex_codes == country.annex_codes
    for field in ("annex_province", "weight", "urban", "rsu_coverage", "split", "split_rate"):
        assert np.array_equal(getattr(again, field), getattr(country, field)), field
    other = build_country(SynthConfig(persons=20_000, seed=5))
    assert not np.array_equal(other.weight, country.weight)
    assert not np.array_equal(other.annex_province, country.annex_province)


def test_large_country() -> None:
    big = build_country(SynthConfig(persons=10**9))
    assert big.size == 4_000
    assert Counter(t.level for t in big.territories)["annex"] == 4_000
    assert hierarchy_errors(big.territories) == []
    codes = [t.code for t in big.territories]
    assert len(set(codes)) == len(codes)


def test_unknown_annex_codes_are_carried_by_no_territory(country: Country) -> None:
    codes = {t.code for t in country.territories}
    assert not any(code.startswith(UNKNOWN_ANNEX_PREFIX) for code in codes)
    text = [str(v) for v in annex_text(country, SMALL.seed).to_pylist()]
    assert text[: country.size] == country.annex_codes
    unknown = text[country.size :]
    assert unknown
    assert len(set(unknown)) == len(unknown)
    assert not set(unknown) & codes
