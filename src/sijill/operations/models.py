"""What `sijill daily` did on each day, and what it told each annex and user.

One row per day and step result, so that running the day again changes nothing: a batch is
built from files still validated, a notice or an e-mail exists once per day, and the nightly
reconciliation is one run per day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sijill.domain import vocabulary

KINDS = tuple(vocabulary.NOTICES)


class Day(models.Model):
    """One day of the daily rhythm."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The transmission batches built: [{"number", "territory", "files"}], and the annexes
    # whose validated files nobody could transmit (no validator there).
    batches = models.JSONField(default=list, blank=True)
    untransmitted = models.JSONField(default=list, blank=True)
    # The nightly reconciliation of the registers (None until started, or when skipped).
    run = models.ForeignKey(
        "runs.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-day",)

    def __str__(self) -> str:
        return f"daily {self.day}"


class Notice(models.Model):
    """Late files of one annex as the day found them: one kind (vocabulary.NOTICES)."""

    day = models.DateField()
    annex_code = models.TextField()
    kind = models.CharField(max_length=24, choices=[(k, k) for k in KINDS])
    count = models.PositiveIntegerField()
    receipts = models.JSONField(default=list, blank=True)  # the oldest ones, for the e-mail

    class Meta:
        ordering = ("annex_code", "kind")
        constraints = (
            models.UniqueConstraint(fields=["day", "annex_code", "kind"], name="notice_once"),
        )
        indexes = (models.Index(fields=["annex_code", "day"], name="notice_annex"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.annex_code} {self.day}"


class Delivery(models.Model):
    """The day's e-mail to one user, sent once."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notices = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["day", "user"], name="delivery_once"),)

    def __str__(self) -> str:
        return f"mail {self.day} to {self.user_id}"
