"""/api/v1/scoring: the socio-economic index formula, and a score explained term by term.

The formula is ILLUSTRATIVE (see sijill.domain.scoring): the RSU's coefficients are not
public. The document says so in every answer.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from sijill.domain import scoring

router = Router(tags=["scoring"])
NOTICE = "illustrative formula: the RSU's real coefficients are not public"


class ScoreIn(Schema):
    area: Literal["urban", "rural"]
    answers: dict[str, float] = Field(description="Every variable of the formula, by name.")
    version: str = scoring.CURRENT


class ContributionOut(Schema):
    variable: str
    value: float
    coefficient: float
    points: float
    label_ar: str
    label_fr: str


class ScoreOut(Schema):
    value: float
    version: str
    area: str
    notice: str
    eligible: dict[str, bool]
    contributions: list[ContributionOut]


@router.get("/scoring")
def formula(request: HttpRequest, version: str = scoring.CURRENT) -> dict[str, Any]:
    """The formula's variables, their bounds and weights per area, and the thresholds."""
    variables = [
        {
            "name": v.name,
            "transform": v.transform,
            "minimum": v.minimum,
            "maximum": v.maximum,
            "weights": dict(v.weights),
            "label_ar": v.label_ar,
            "label_fr": v.label_fr,
        }
        for v in scoring.variables(version)
    ]
    thresholds = {"amo_tadamon": scoring.threshold("amo_tadamon", version)}
    return {"version": version, "notice": NOTICE, "variables": variables, "thresholds": thresholds}


@router.post("/scoring", response=ScoreOut)
def explain(request: HttpRequest, body: ScoreIn) -> dict[str, Any]:
    """Score a household's answers and show what each variable contributed."""
    result = scoring.score(body.answers, body.area, body.version)
    return {
        "value": result.value,
        "version": result.version,
        "area": result.area,
        "notice": NOTICE,
        "eligible": {"amo_tadamon": scoring.eligible(result.value, "amo_tadamon", body.version)},
        "contributions": result.contributions,
    }
