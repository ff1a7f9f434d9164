"""The migrations create exactly the models, on both backends."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

APPS = ("audit", "territories", "accounts", "registry", "intake", "runs")


def test_no_model_change_lacks_a_migration() -> None:
    out = io.StringIO()
    call_command("makemigrations", *APPS, check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_every_table_exists() -> None:
    tables = set(connection.introspection.table_names())
    expected = {
        "audit_entry",
        "territories_territory",
        "territories_territorylink",
        "accounts_user",
        "accounts_apitoken",
        "registry_person",
        "registry_household",
        "registry_member",
        "registry_amofile",
        "registry_beneficiary",
        "intake_form",
        "intake_transmissionbatch",
        "monitoring_run",
        "monitoring_figures",
        "monitoring_anomaly",
        "monitoring_link",
    }
    assert expected <= tables


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_former_monitoring_app_keeps_its_runs() -> None:
    """The runs app took over the `monitoring` tables under their names: on a database
    that recorded the former app's migrations, `sijill migrate` (fake_initial) records the
    runs app's as applied and keeps the rows."""
    from django.db.migrations.recorder import MigrationRecorder

    from sijill.runs.models import Run

    Run.objects.create(source="upload", as_of="2024-03-10", work_dir="/tmp/x")
    recorded = MigrationRecorder.Migration.objects
    names = list(recorded.filter(app="runs").values_list("name", flat=True))
    recorded.filter(app="runs").delete()
    recorded.bulk_create(recorded.model(app="monitoring", name=n) for n in names)
    call_command("migrate", "runs", interactive=False, verbosity=0, fake_initial=True)
    assert sorted(recorded.filter(app="runs").values_list("name", flat=True)) == sorted(names)
    assert Run.objects.count() == 1
