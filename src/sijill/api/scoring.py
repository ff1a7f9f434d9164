"""/api/v1/scoring: the socio-economic index formula, and a score explained term by term.

The formula is ILLUSTRATIVE (see sijill.domain.scoring): the RSU's coefficients are not
public. The document says so in every answer.

Every variable comes with its `label` (the English message id) and that label in each
catalogue language as `label_<code>` (`label_ar`, `label_fr`...): a client shows the one
of its reader's language, whichever the request's.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at run time.
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from sijill import i18n
from sijill.api.openapi import errors
from sijill.domain import scoring

router = Router(tags=["scoring"])
NOTICE = "illustrative formula: the RSU's real coefficients are not public"


def _known(version: str) -> str:
    if version not in scoring.versions():
        raise ValueError("unknown scoring version")
    return version


# One of the formula's versions (the CSV files'): anything else is a 422 naming `version`.
Version = Annotated[
    str,
    AfterValidator(_known),
    WithJsonSchema({"type": "string", "enum": scoring.versions()}),
]


class ScoreIn(Schema):
    area: Literal["urban", "rural"]
    answers: dict[str, float] = Field(description="Every variable of the formula, by name.")
    version: Version = scoring.CURRENT


class FormulaIn(Schema):
    version: Version = scoring.CURRENT


class ContributionOut(BaseModel):
    # Plus one `label_<code>` per catalogue language, so that adding a language needs no
    # code; a plain pydantic model, as ninja's Schema reads declared fields only.
    model_config = ConfigDict(extra="allow")

    variable: str
    value: float
    coefficient: float
    points: float
    label: str = Field(description="The English message id; `label_<code>` in each language.")


class VariableOut(BaseModel):
    model_config = ConfigDict(extra="allow")  # `label_<code>` in each language

    name: str
    transform: str
    minimum: float
    maximum: float
    weights: dict[str, float] = Field(description="The coefficient of each area.")
    label: str = Field(description="The English message id; `label_<code>` in each language.")


class FormulaOut(Schema):
    version: str
    notice: str
    variables: list[VariableOut]
    thresholds: dict[str, float]


class ScoreOut(Schema):
    value: float
    version: str
    area: str
    notice: str
    eligible: dict[str, bool]
    contributions: list[ContributionOut]


@router.get("/scoring", response=FormulaOut)
def formula(request: HttpRequest, query: Query[FormulaIn]) -> dict[str, Any]:
    """The formula's variables, their bounds and weights per area, and the thresholds."""
    version = query.version
    variables = [
        {
            "name": v.name,
            "transform": v.transform,
            "minimum": v.minimum,
            "maximum": v.maximum,
            "weights": dict(v.weights),
            **_labels(v.label),
        }
        for v in scoring.variables(version)
    ]
    thresholds = {"amo_tadamon": scoring.threshold("amo_tadamon", version)}
    return {"version": version, "notice": NOTICE, "variables": variables, "thresholds": thresholds}


@router.post("/scoring", response=ScoreOut, openapi_extra=errors(422))
def explain(request: HttpRequest, body: ScoreIn) -> dict[str, Any]:
    """Score a household's answers and show what each variable contributed."""
    result = scoring.score(body.answers, body.area, body.version)
    return {
        "value": result.value,
        "version": result.version,
        "area": result.area,
        "notice": NOTICE,
        "eligible": {"amo_tadamon": scoring.eligible(result.value, "amo_tadamon", body.version)},
        "contributions": [_contribution(c) for c in result.contributions],
    }


def _contribution(term: scoring.Contribution) -> dict[str, Any]:
    return {
        "variable": term.variable,
        "value": term.value,
        "coefficient": term.coefficient,
        "points": term.points,
        **_labels(term.label),
    }


def _labels(label: str) -> dict[str, str]:
    """The label as a message id and in every catalogue language."""
    translations = {f"label_{code}": i18n.translator(code)(label, None) for code in i18n.codes()}
    return {"label": label, **translations}
