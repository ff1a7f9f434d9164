"""The runs' tables, created under the names they had in the former `monitoring` app:
an existing database keeps them (`sijill migrate` fakes these initial migrations there)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Run",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "queued"),
                            ("running", "running"),
                            ("succeeded", "succeeded"),
                            ("failed", "failed"),
                        ],
                        default="queued",
                        max_length=16,
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("backoffice", "backoffice"),
                            ("upload", "upload"),
                            ("directory", "directory"),
                        ],
                        max_length=16,
                    ),
                ),
                ("parameters", models.JSONField(default=dict)),
                ("as_of", models.DateField()),
                ("with_links", models.BooleanField(default=True)),
                ("stage", models.CharField(blank=True, default="", max_length=32)),
                ("stages_done", models.PositiveSmallIntegerField(default=0)),
                ("stages_total", models.PositiveSmallIntegerField(default=1)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("work_dir", models.TextField()),
                ("output_dir", models.TextField(blank=True, default="")),
                ("summary", models.JSONField(blank=True, default=dict)),
                ("problems", models.JSONField(blank=True, default=list)),
                ("error", models.TextField(blank=True, default="")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "monitoring_run",
                "ordering": ("-id",),
            },
        ),
        migrations.CreateModel(
            name="Candidate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=8)),
                ("row_id", models.TextField()),
                ("row_idcs", models.TextField(null=True)),
                ("candidate_idcs", models.TextField()),
                ("match_probability", models.FloatField()),
                ("annex_code", models.TextField(null=True)),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[("confirmed", "confirmed"), ("rejected", "rejected")],
                        max_length=16,
                        null=True,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="candidates",
                        to="runs.run",
                    ),
                ),
            ],
            options={
                "db_table": "monitoring_link",
                "indexes": [models.Index(fields=["run", "annex_code"], name="link_annex")],
            },
        ),
        migrations.CreateModel(
            name="Figures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.TextField()),
                ("parent_code", models.TextField(blank=True, null=True)),
                ("level", models.CharField(max_length=16)),
                ("name_fr", models.TextField()),
                ("name_ar", models.TextField()),
                ("rnp_persons", models.BigIntegerField()),
                ("rnp_in_rsu", models.BigIntegerField()),
                ("rnp_not_in_rsu", models.BigIntegerField()),
                ("rsu_households", models.BigIntegerField()),
                ("rsu_persons", models.BigIntegerField()),
                ("rsu_id_unknown", models.BigIntegerField()),
                ("rsu_mismatch", models.BigIntegerField()),
                ("rsu_single_households", models.BigIntegerField()),
                ("rsu_single_share", models.FloatField(null=True)),
                ("eligible_households", models.BigIntegerField()),
                ("eligible_persons", models.BigIntegerField()),
                ("amo_files", models.BigIntegerField()),
                ("amo_beneficiaries", models.BigIntegerField()),
                ("amo_not_in_rsu", models.BigIntegerField()),
                ("amo_mismatch", models.BigIntegerField()),
                ("amo_ineligible", models.BigIntegerField()),
                ("amo_pending_stale", models.BigIntegerField()),
                ("amo_sla_breached", models.BigIntegerField()),
                ("amo_accepted", models.BigIntegerField()),
                ("amo_rejected", models.BigIntegerField()),
                ("amo_validated_persons", models.BigIntegerField()),
                ("amo_transmitted_persons", models.BigIntegerField()),
                ("amo_accepted_persons", models.BigIntegerField()),
                ("flagged_annexes", models.IntegerField()),
                ("split_households", models.BigIntegerField()),
                ("split_clusters", models.BigIntegerField()),
                ("findings", models.JSONField(default=dict)),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="figures",
                        to="runs.run",
                    ),
                ),
            ],
            options={
                "db_table": "monitoring_figures",
                "indexes": [
                    models.Index(fields=["run", "parent_code"], name="figures_children"),
                    models.Index(fields=["code", "run"], name="figures_trend"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("run", "code"), name="figures_run_code")
                ],
            },
        ),
        migrations.CreateModel(
            name="Anomaly",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("annex_code", models.TextField()),
                ("commune_code", models.TextField(null=True)),
                ("province_code", models.TextField(null=True)),
                ("region_code", models.TextField(null=True)),
                ("indicator", models.CharField(max_length=40)),
                ("observed", models.FloatField(null=True)),
                ("expected", models.FloatField(null=True)),
                ("p_value", models.FloatField(null=True)),
                ("q_value", models.FloatField(null=True)),
                ("flagged", models.BooleanField()),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="anomalies",
                        to="runs.run",
                    ),
                ),
            ],
            options={
                "db_table": "monitoring_anomaly",
                "indexes": [
                    models.Index(fields=["run", "annex_code"], name="anomaly_annex"),
                    models.Index(fields=["run", "flagged"], name="anomaly_flagged"),
                ],
            },
        ),
    ]
