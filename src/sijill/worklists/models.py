"""What people did about the findings of their work lists: a handling status and a note per
finding, kept by the finding's key (engine.persons.finding_key), so that it survives the
next run — the same row with the same problem there has the same key."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sijill.domain import vocabulary

OPEN, IN_PROGRESS, RESOLVED, NOT_AN_ERROR = tuple(vocabulary.HANDLING)
STATUSES: tuple[str, ...] = tuple(vocabulary.HANDLING)


class Handling(models.Model):
    """The latest status of one finding; every change is also in the audit log."""

    key = models.CharField(max_length=32, unique=True)
    annex_code = models.TextField()
    kind = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=[(s, s) for s in STATUSES])
    note = models.TextField(blank=True, default="")
    # The run in which the status was last set (the finding may be in later runs too).
    run = models.ForeignKey(
        "runs.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        indexes = (models.Index(fields=["annex_code", "status"], name="handling_annex_status"),)

    def __str__(self) -> str:
        return f"handling {self.pk} ({self.status})"  # never the key: it stands for a person
