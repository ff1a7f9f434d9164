"""The tally of the forms ledger: what the forms deposited on one local day in one province
count for, kept up to date by every write of the ledger (sijill.demand.tally).

One row per (day, province) with a column per count, not a row per kind or status: a
ledger of a million forms over two years and 75 provinces fills 55,000 rows, where a row
per (day, province, kind, channel, status) would be nearly one per form. Two small tables
hold what has no fixed number of values: the files waiting for CNSS by the day they were
sent (their 30 days run from it), and the reasons for refusal as written.
"""

from __future__ import annotations

from django.db import models

from sijill.intake import workflow

# What a form counts for in its (day, province) row, column by column.
DEPOSITS = tuple(f"n_{kind}_{channel}" for kind in workflow.KINDS for channel in workflow.CHANNELS)
# Not finished, at each status (the backlog): validated counts AMO requests only.
WAITING = tuple(
    f"waiting_{status}"
    for status in (workflow.DEPOSITED, workflow.CAPTURED, workflow.VALIDATED,
                   workflow.TRANSMITTED, workflow.UNDER_REVIEW)
)  # fmt: skip
# Validated (and of those, by the day after the deposit); decided by CNSS (and of those,
# within 30 days of their transmission).
CLOCKS = ("validated", "validated_in_time", "answered", "answered_in_time")
COUNTS = (*DEPOSITS, *WAITING, *CLOCKS)

LOCAL, CNSS = "local", "cnss"  # who refused: the local authority, CNSS (per beneficiary)


class Tally(models.Model):
    day = models.DateField()  # the local day of the deposit
    province = models.TextField()  # "" for an annex under no known province

    class Meta:
        constraints = (models.UniqueConstraint(fields=["day", "province"], name="tally_cell"),)

    def __str__(self) -> str:
        return f"{self.day} {self.province}"


for _column in COUNTS:
    Tally.add_to_class(_column, models.IntegerField(default=0, db_default=0))


class AtCnss(models.Model):
    """AMO requests sent to CNSS and not decided yet, by the local day they were sent."""

    day = models.DateField()
    province = models.TextField()
    sent = models.DateField()
    n = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["day", "province", "sent"], name="at_cnss_cell"),
        )

    def __str__(self) -> str:
        return f"{self.day} {self.province} {self.sent}"


class Reason(models.Model):
    """Refusals by reason: the local authority's text as written; CNSS's per beneficiary,
    by the reason of its list (or the text when it names none)."""

    day = models.DateField()
    province = models.TextField()
    by = models.CharField(max_length=8, choices=[(LOCAL, LOCAL), (CNSS, CNSS)])
    # The text can be long: the unique key holds its SHA-256, not the text itself.
    digest = models.CharField(max_length=64)
    text = models.TextField()
    n = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["day", "province", "by", "digest"], name="reason_cell"),
        )

    def __str__(self) -> str:
        return f"{self.day} {self.province} {self.by}"
