"""sijill.api.scoring: the illustrative formula and a score explained over HTTP."""

from __future__ import annotations

import pytest

from tests.apps.api.test_forms_ledger import as_user
from tests.conftest import Staff
from tests.domain.test_scoring import POOR_RURAL

pytestmark = pytest.mark.django_db


def test_the_formula_is_published_with_its_notice(people: Staff) -> None:
    status, formula = as_user(people, "clerk").call("get", "/scoring")
    assert status == 200 and "illustrative" in formula["notice"]
    assert formula["thresholds"] == {"amo_tadamon": 9.3264284}
    assert {v["name"] for v in formula["variables"]} >= {"household_size", "car"}
    car = next(v for v in formula["variables"] if v["name"] == "car")
    assert (car["label"], car["label_ar"], car["label_fr"]) == ("car", "سيارة", "voiture")


def test_a_score_is_explained_term_by_term(people: Staff) -> None:
    status, score = as_user(people, "clerk").call(
        "post", "/scoring", {"area": "rural", "answers": POOR_RURAL}
    )
    assert status == 200 and score["eligible"] == {"amo_tadamon": True}
    intercept = score["contributions"][0]
    assert intercept["variable"] == "intercept" and intercept["label"] == "constant"
    assert (intercept["label_ar"], intercept["label_fr"]) == ("الثابت", "constante")
    assert abs(sum(c["points"] for c in score["contributions"]) - score["value"]) < 1e-9


def test_incomplete_answers_are_a_problem_naming_each(people: Staff) -> None:
    answers = {k: v for k, v in POOR_RURAL.items() if k != "car"}
    status, problem = as_user(people, "clerk").call(
        "post", "/scoring", {"area": "rural", "answers": answers}
    )
    assert status == 422 and problem["errors"] == ["car is missing"]
