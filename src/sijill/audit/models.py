"""One row per change. Rows are never updated or deleted (database triggers refuse it)."""

from __future__ import annotations

from django.db import models

GENESIS = "0" * 64


class Entry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.TextField()  # a staff username or a command name, never a citizen
    action = models.CharField(max_length=32)
    target = models.CharField(max_length=64)  # what kind of thing changed, e.g. registry.person
    key = models.CharField(max_length=80)  # pseudonym of the changed thing's identifier
    # Canonical JSON text, hashed byte for byte: a JSON column could re-serialize it.
    before = models.TextField()
    after = models.TextField()
    # Unique: two writers chaining onto the same head cannot both commit (no fork).
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ("seq",)
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target}"
