"""What is wrong with an input, in terms a data manager can act on: file, column, rule, rows.

A problem's rule is a stable English code (docs/validation.md), written as it is into
summary.json and also a message id (marked `_("…")` where a problem is made, for the
catalogues' extraction); its detail is a `Message`, worded where it is shown.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

from sijill.domain.message import Message, Refused
from sijill.domain.vocabulary import gettext_noop

__all__ = [
    "ERROR",
    "FIRST_ROWS",
    "SAME_WITHIN",
    "WARNING",
    "InvalidExtracts",
    "Problem",
    "Refused",
    "has_errors",
]

ERROR = "error"
WARNING = "warning"

# How many offending row numbers a problem carries: enough to find the pattern, small enough
# to print. Row 1 is the first data row (line 2 of a CSV file with a header line).
FIRST_ROWS = 5

# The rule of rows that must agree within a key, per key: a rule is a code and a message
# id, so each is written out (and marked for the catalogues), never composed from the key.
SAME_WITHIN = {
    "household_id": gettext_noop("same within household_id"),
    "amo_file_id": gettext_noop("same within amo_file_id"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    column: str
    rule: str
    count: int | None = None
    rows: tuple[int, ...] = ()
    _: KW_ONLY
    detail: Message
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_json(self) -> dict[str, Any]:
        """The problem as programs read it (summary.json, a failed run's table): the detail
        in English, and its id and parameters for a page to word it in its own language."""
        detail = self.detail.as_json()
        return {
            "file": self.file,
            "column": self.column,
            "rule": self.rule,
            "count": self.count,
            "rows": list(self.rows),
            "detail": str(self.detail),
            "detail_id": detail["id"],
            "detail_params": detail["params"],
            "severity": self.severity,
        }


class InvalidExtracts(Exception):
    """Raised when inputs break the contract; carries every problem found, not just the first.

    Its text is for logs: people read the problems, each shown in their language."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for p in problems if p.is_error)
        super().__init__(f"{errors} contract violation(s) in the extracts")


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
