import django.db.models.deletion
from django.db import migrations, models


def scope_existing_runs(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Runs started before scoping belong to their starter's territory, as new ones do."""
    Run = apps.get_model("runs", "Run")
    for run in Run.objects.filter(created_by__isnull=False).select_related("created_by"):
        run.territory_id = run.created_by.territory_id
        run.save(update_fields=["territory"])


class Migration(migrations.Migration):
    # Faked, like 0001, on a database whose columns already exist (`migrate --fake-initial`).
    initial = True

    dependencies = [
        ("runs", "0002_run_heartbeat"),
        ("territories", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="run",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="run",
            name="territory",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territories.territory",
            ),
        ),
        migrations.RunPython(scope_existing_runs, migrations.RunPython.noop),
    ]
