"""The forms ledger: one row per deposited form, with a timestamp for every status reached."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sijill.intake import workflow


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class TransmissionBatch(models.Model):
    """The AMO requests of one territory sent to CNSS together."""

    number = models.CharField(max_length=32, unique=True)
    territory_code = models.TextField(null=True, blank=True)  # None: sent nationally
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return str(self.number)


class Form(models.Model):
    receipt = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=24, choices=_choices(workflow.KINDS))
    channel = models.CharField(max_length=16, choices=_choices(workflow.CHANNELS))
    annex_code = models.TextField(db_index=True)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=_choices(workflow.STATUSES), db_index=True)
    # What the clerk captured (the draft of a person, household or AMO file).
    payload = models.JSONField(default=dict, blank=True)
    # Gate violations found at the last capture or validation attempt.
    violations = models.JSONField(default=list, blank=True)
    # Keyed hashes of the depositor's CIN and IDCS: enough to answer the public status
    # look-up, useless to anyone reading the table for identifiers.
    citizen_cin_key = models.CharField(max_length=64, null=True, blank=True)
    citizen_idcs_key = models.CharField(max_length=64, null=True, blank=True)
    # The step that opened this one (integrated registration: RNP → RSU → AMO).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)
    # The register row this form produced or changed (an IDCS, household or AMO file id).
    register_key = models.TextField(null=True, blank=True)
    rejection_reason = models.TextField(null=True, blank=True)
    batch = models.ForeignKey(
        TransmissionBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="forms"
    )
    deposited_at = models.DateTimeField(db_index=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    transmitted_at = models.DateTimeField(null=True, blank=True)
    under_review_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("deposited_at", "id")
        constraints = (
            # A retried deposit (same client key) must find the first one, never a second.
            models.UniqueConstraint(
                fields=["clerk", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="form_idempotency_per_clerk",
            ),
        )
        indexes = (models.Index(fields=["status", "deposited_at"], name="form_queue"),)

    def __str__(self) -> str:
        return str(self.receipt)
