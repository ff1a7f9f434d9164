"""What is wrong with an input, in terms a data manager can act on: file, column, rule, rows."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

# How many offending row numbers a problem carries: enough to find the pattern, small enough
# to print. Row 1 is the first data row (line 2 of a CSV file with a header line).
FIRST_ROWS = 5


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    column: str
    rule: str
    count: int | None = None
    rows: tuple[int, ...] = ()
    detail: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class InvalidExtracts(Exception):
    """Raised when inputs break the contract; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for p in problems if p.is_error)
        super().__init__(f"{errors} contract violation(s) in the extracts")


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
