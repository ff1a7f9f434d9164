"""Reconciliation runs and what the dashboards read of them, precomputed once per run.

A run's figures are one row per territory at every level (a few thousand rows for the whole
country, whatever its population), so a dashboard reads a handful of indexed rows and never
the run's Parquet files. Findings stay in Parquet (sorted by annex, see `imports`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from sijill.domain import vocabulary

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED)
BACK_OFFICE, UPLOAD, DIRECTORY = "backoffice", "upload", "directory"
SOURCES = (BACK_OFFICE, UPLOAD, DIRECTORY)
CONFIRMED, REJECTED = "confirmed", "rejected"


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Run(models.Model):
    status = models.CharField(max_length=16, choices=_choices(STATUSES), default=QUEUED)
    source = models.CharField(max_length=16, choices=_choices(SOURCES))
    parameters = models.JSONField(default=dict)  # the contract's as_of, threshold, ... days
    as_of = models.DateField()
    with_links = models.BooleanField(default=True)
    stage = models.CharField(max_length=32, blank=True, default="")
    stages_done = models.PositiveSmallIntegerField(default=0)
    stages_total = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # see runs.heartbeat
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whose figures the run may change: the starter's territory, None for a national run.
    # A run shows only on the dashboards of its subtree, and only a national one nationally.
    territory = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A retired run stays in the history but no dashboard reads it any more.
    retired_at = models.DateTimeField(null=True, blank=True)
    work_dir = models.TextField()  # extracts/, out/ and the sorted findings of this run
    output_dir = models.TextField(blank=True, default="")  # the reconcile output folder
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)  # the contract check table, if bad
    error = models.TextField(blank=True, default="")

    class Meta:
        db_table = "monitoring_run"
        ordering = ("-id",)

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def scope_code(self) -> str | None:
        code: str | None = self.territory_id
        return code

    @property
    def progress(self) -> int:
        """Percentage of stages done."""
        done, total = int(self.stages_done), max(int(self.stages_total), 1)
        return min(100, round(100 * done / total))


_COUNTED = frozenset(
    c for group in (vocabulary.FUNNEL, vocabulary.FIGURES) for c, t in group.items()
    if t.number != vocabulary.TEXT
)  # fmt: skip


class Figures(models.Model):
    """A territory's funnel in one run: the contract's funnel row plus the AMO steps, the
    anomalies and split suspects of its annexes and its findings per kind."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="figures")
    code = models.TextField()
    parent_code = models.TextField(null=True, blank=True)  # None for the national row
    level = models.CharField(max_length=16)
    name_fr = models.TextField()
    name_ar = models.TextField()
    # Every count by its vocabulary code: the contract's funnel columns and the back
    # office's own figures (sijill.domain.vocabulary.FUNNEL and FIGURES). A new column is a
    # new key, not a new field: nothing to migrate.
    counts = models.JSONField(default=dict)
    findings = models.JSONField(default=dict)  # kind -> count

    class Meta:
        db_table = "monitoring_figures"
        constraints = (models.UniqueConstraint(fields=["run", "code"], name="figures_run_code"),)
        indexes = (
            models.Index(fields=["run", "parent_code"], name="figures_children"),
            models.Index(fields=["code", "run"], name="figures_trend"),
        )

    def __str__(self) -> str:
        return f"{self.code} in run {self.run_id}"

    def __getattr__(self, name: str) -> Any:
        """A count read as an attribute (`fig.rnp_persons`), as pages and templates read it."""
        if name in _COUNTED:
            counts = self.__dict__.get("counts")
            if counts is not None:
                return counts.get(name)
        raise AttributeError(name)


class Anomaly(models.Model):
    """One annex and indicator of a run, with the annex's ancestors for subtree filters."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="anomalies")
    annex_code = models.TextField()
    commune_code = models.TextField(null=True)
    province_code = models.TextField(null=True)
    region_code = models.TextField(null=True)
    indicator = models.CharField(max_length=40)
    observed = models.FloatField(null=True)
    expected = models.FloatField(null=True)
    p_value = models.FloatField(null=True)
    q_value = models.FloatField(null=True)
    flagged = models.BooleanField()

    class Meta:
        db_table = "monitoring_anomaly"
        indexes = (
            models.Index(fields=["run", "annex_code"], name="anomaly_annex"),
            models.Index(fields=["run", "flagged"], name="anomaly_flagged"),
        )

    def __str__(self) -> str:
        return f"{self.indicator} {self.annex_code}"


class Candidate(models.Model):
    """A probabilistic candidate of the run's `links` output, and the decision taken on it."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="candidates")
    source = models.CharField(max_length=8)
    row_id = models.TextField()
    row_idcs = models.TextField(null=True)
    candidate_idcs = models.TextField()
    match_probability = models.FloatField()
    annex_code = models.TextField(null=True)  # of the row, from its finding
    decision = models.CharField(
        max_length=16, choices=_choices((CONFIRMED, REJECTED)), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "monitoring_link"
        indexes = (models.Index(fields=["run", "annex_code"], name="link_annex"),)

    def __str__(self) -> str:
        return f"link {self.pk} ({self.source})"
