"""sijill.engine.extracts.problems: a problem's codes stay English, its detail is a message
written for programs in English with its id and parameters beside it."""

from __future__ import annotations

import json

from sijill.domain.contract import EXTRACTS
from sijill.domain.message import Message
from sijill.engine.extracts.parsing import EXPECTED
from sijill.engine.extracts.problems import SAME_WITHIN, WARNING, Problem


def test_as_json_writes_the_detail_in_english_with_its_id_and_parameters() -> None:
    detail = Message("not {expected}", {"expected": EXPECTED["date"]})
    problem = Problem("rnp.csv", "birth_date", "type", 2, (1, 4), detail=detail)
    written = json.loads(json.dumps(problem.as_json()))
    assert written == {
        "file": "rnp.csv",
        "column": "birth_date",
        "rule": "type",
        "count": 2,
        "rows": [1, 4],
        "detail": "not a date YYYY-MM-DD",
        "detail_id": "not {expected}",
        "detail_params": {"expected": {"id": "a date YYYY-MM-DD", "params": {}}},
        "severity": "error",
    }
    stored = {"id": written["detail_id"], "params": written["detail_params"]}
    assert Message.from_json(stored) == detail


def test_a_warning_is_no_error() -> None:
    warning = Problem("x", "", "annex exists", detail=Message("no such file"), severity=WARNING)
    assert not warning.is_error and warning.as_json()["severity"] == "warning"


def test_every_key_rows_must_agree_within_has_its_rule() -> None:
    keys = {rule.key for extract in EXTRACTS.values() for rule in extract.same_within}
    assert keys <= set(SAME_WITHIN)
    assert all(rule == f"same within {key}" for key, rule in SAME_WITHIN.items())
