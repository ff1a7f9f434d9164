"""The reconciliation's parameters, as the contract names them."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

from sijill.domain.contract import DEFAULT_CNSS_DAYS, DEFAULT_THRESHOLD, DEFAULT_VALIDATION_DAYS
from sijill.domain.message import Message, Refused


@dataclass(frozen=True, slots=True)
class Parameters:
    as_of: dt.date  # the reference day for every age and deadline
    threshold: float = DEFAULT_THRESHOLD  # eligible when score <= threshold
    validation_days: int = DEFAULT_VALIDATION_DAYS
    cnss_days: int = DEFAULT_CNSS_DAYS

    def __post_init__(self) -> None:
        if self.validation_days < 0 or self.cnss_days < 0:
            raise Refused(Message("validation_days and cnss_days must not be negative"))
        if not math.isfinite(self.threshold):
            raise Refused(
                Message("threshold must be a finite number, not {value}", {"value": self.threshold})
            )

    def as_dict(self) -> dict[str, object]:
        found = asdict(self)
        found["as_of"] = self.as_of.isoformat()
        return found
