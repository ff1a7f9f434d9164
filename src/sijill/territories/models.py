"""Territories and their closure (every ancestor/descendant pair), for scoping by subtree."""

from __future__ import annotations

from django.db import models

from sijill.domain.territory import LEVELS


class Territory(models.Model):
    # Codes are opaque: a text primary key, never parsed.
    code = models.TextField(primary_key=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_column="parent_code",
    )
    level = models.CharField(max_length=16, choices=[(level, level) for level in LEVELS])
    name_ar = models.TextField()
    name_fr = models.TextField()

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name_fr}"


class TerritoryLink(models.Model):
    """One row per (ancestor, descendant), a territory being its own ancestor at depth 0.

    Scoping to a subtree is then one indexed subquery on any backend, with no recursion and
    no limit on the number of annexes in a region.
    """

    ancestor = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="territory_link_pair"),
        )
