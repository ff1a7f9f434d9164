"""Figures keep their counts in one JSON object keyed by vocabulary code: a new funnel
column or figure is a new key, with no migration of its own. Existing rows keep theirs."""

from django.db import migrations, models

COUNTED = (
    "rnp_persons",
    "rnp_in_rsu",
    "rnp_not_in_rsu",
    "rsu_households",
    "rsu_persons",
    "rsu_id_unknown",
    "rsu_mismatch",
    "rsu_single_households",
    "rsu_single_share",
    "eligible_households",
    "eligible_persons",
    "amo_files",
    "amo_beneficiaries",
    "amo_not_in_rsu",
    "amo_mismatch",
    "amo_ineligible",
    "amo_pending_stale",
    "amo_sla_breached",
    "amo_accepted",
    "amo_rejected",
    "amo_validated_persons",
    "amo_transmitted_persons",
    "amo_accepted_persons",
    "flagged_annexes",
    "split_households",
    "split_clusters",
)


def into_counts(apps, schema_editor):  # type: ignore[no-untyped-def]
    Figures = apps.get_model("runs", "Figures")
    for row in Figures.objects.all().iterator():
        row.counts = {name: getattr(row, name) for name in COUNTED}
        row.save(update_fields=["counts"])


def out_of_counts(apps, schema_editor):  # type: ignore[no-untyped-def]
    Figures = apps.get_model("runs", "Figures")
    for row in Figures.objects.all().iterator():
        for name in COUNTED:
            setattr(row, name, row.counts.get(name) or 0)
        row.save()


class Migration(migrations.Migration):
    dependencies = [("runs", "0003_run_scope")]

    operations = [
        migrations.AddField(
            model_name="figures", name="counts", field=models.JSONField(default=dict)
        ),
        migrations.RunPython(into_counts, out_of_counts),
        *(migrations.RemoveField(model_name="figures", name=name) for name in COUNTED),
    ]
