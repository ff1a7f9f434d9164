"""sijill.domain.scoring: the illustrative PMT formula, its explanation and its thresholds."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijill import i18n
from sijill.domain import scoring
from sijill.domain.contract import DEFAULT_THRESHOLD
from tests.apps.backoffice import POOR_ANSWERS

POOR_RURAL = {"household_size": 6, "children_share": 0.5, **POOR_ANSWERS}
SALARIED_URBAN = {
    **POOR_RURAL,
    "household_size": 4,
    "children_share": 0.25,
    "head_education_years": 12,
    "head_employed": 1,
    "rooms_per_person": 1,
    "piped_water": 1,
    "sewer_or_septic": 1,
    "refrigerator": 1,
    "internet": 1,
}


def test_the_amo_threshold_is_the_contracts_default() -> None:
    assert scoring.threshold("amo_tadamon") == DEFAULT_THRESHOLD


def test_two_typical_households_fall_either_side_of_the_threshold() -> None:
    poor = scoring.score(POOR_RURAL, "rural")
    salaried = scoring.score(SALARIED_URBAN, "urban")
    assert poor.value == pytest.approx(8.7367, abs=1e-4) and scoring.eligible(poor.value)
    assert salaried.value == pytest.approx(10.1782, abs=1e-4)
    assert not scoring.eligible(salaried.value)
    assert (poor.version, poor.area) == ("illustrative-1", "rural")


def test_the_explanation_lists_every_term_and_adds_up_to_the_score() -> None:
    result = scoring.score(POOR_RURAL, "rural")
    names = [c.variable for c in result.contributions]
    assert names == ["intercept", *[v.name for v in scoring.variables()]]
    assert math.fsum(c.points for c in result.contributions) == result.value
    size = next(c for c in result.contributions if c.variable == "household_size")
    assert size.points == pytest.approx(-0.33 * math.log(6))
    assert size.label == "household size (logarithm)"


def test_incomplete_or_impossible_answers_are_refused_all_at_once() -> None:
    answers = {**POOR_RURAL, "children_share": 1.5, "camels": 3.0}
    del answers["car"]
    with pytest.raises(scoring.InvalidAnswers) as raised:
        scoring.score(answers, "suburban")
    assert raised.value.problems == [
        "area must be one of urban, rural, not 'suburban'",
        "unknown variable 'camels'",
        "children_share=1.5 is outside [0, 1]",
        "car is missing",
    ]


def test_unknown_versions_and_programmes_are_errors() -> None:
    with pytest.raises(scoring.InvalidAnswers, match="unknown scoring version"):
        scoring.score(POOR_RURAL, "urban", version="v0")
    with pytest.raises(KeyError, match="no threshold for 'asd'"):
        scoring.threshold("asd")


def test_every_version_weighs_both_areas_and_labels_every_variable() -> None:
    for version in scoring.versions():
        for variable in scoring.variables(version):
            assert set(variable.weights) == set(scoring.AREAS)
            assert variable.label
            assert variable.minimum <= variable.maximum


@pytest.mark.parametrize("language", i18n.codes())
def test_every_label_is_in_every_catalogue(language: str) -> None:
    assert sorted(set(scoring.message_ids()) - i18n.message_ids(language)) == []


def test_the_labels_keep_their_arabic_and_french_words() -> None:
    arabic, french = i18n.translator("ar"), i18n.translator("fr")
    assert french("household size (logarithm)", None) == "taille du ménage (logarithme)"
    assert arabic("refrigerator", None) == "ثلاجة" and french("constant", None) == "constante"


@given(st.sampled_from(scoring.AREAS), st.integers(1, 39))
def test_a_bigger_household_with_the_same_assets_scores_lower(area: str, size: int) -> None:
    smaller = scoring.score({**POOR_RURAL, "household_size": size}, area).value
    bigger = scoring.score({**POOR_RURAL, "household_size": size + 1}, area).value
    assert bigger < smaller


@given(st.sampled_from(scoring.AREAS), st.sampled_from(["refrigerator", "car", "internet"]))
def test_owning_an_asset_adds_exactly_its_coefficient(area: str, asset: str) -> None:
    without = scoring.score({**POOR_RURAL, asset: 0}, area).value
    with_it = scoring.score({**POOR_RURAL, asset: 1}, area).value
    weight = next(v for v in scoring.variables() if v.name == asset).weights[area]
    assert with_it - without == pytest.approx(weight)
