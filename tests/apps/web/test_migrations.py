"""The migrations create exactly the models, on both backends."""

from __future__ import annotations

import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db
# The counts the former schema kept one column each (sijill.runs 0004 moved them to JSON).
FIGURES_COUNTED = importlib.import_module("sijill.runs.migrations.0004_figures_counts").COUNTED

APPS = ("audit", "territories", "accounts", "registry", "intake", "runs", "operations")


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
        "operations_day",
        "operations_notice",
        "operations_delivery",
        "django_tasks_database_dbtaskresult",
        "sijill_cache",
    }
    assert expected <= tables


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_former_monitoring_app_keeps_its_runs_and_figures() -> None:
    """The runs app took over the `monitoring` tables under their names. A database left
    by the former app (its three migrations recorded, figures one column per count) is
    brought up by `sijill migrate` (fake_initial): the runs app's first migrations are
    recorded as applied, the later ones run, and every row and count is kept."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    former = ["0001_initial", "0002_run_heartbeat", "0003_run_scope"]
    call_command("migrate", "runs", former[-1], interactive=False, verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(("runs", former[-1])).apps
    run = old.get_model("runs", "Run").objects.create(
        source="upload", as_of="2024-03-10", work_dir="/tmp/x"
    )
    counts = {name: 7 for name in FIGURES_COUNTED}
    old.get_model("runs", "Figures").objects.create(
        run=run, code="ALL", level="national", name_fr="Maroc", name_ar="المغرب", **counts
    )
    recorded = MigrationRecorder.Migration.objects
    recorded.filter(app="runs").delete()
    recorded.bulk_create(recorded.model(app="monitoring", name=n) for n in former)
    call_command("migrate", "runs", interactive=False, verbosity=0, fake_initial=True)
    from sijill.runs.models import Figures, Run

    assert set(former) <= set(recorded.filter(app="runs").values_list("name", flat=True))
    assert Run.objects.count() == 1
    assert Figures.objects.get(code="ALL").counts == counts
    # What depends on the runs app (operations) was taken back with it: put it back.
    call_command("migrate", interactive=False, verbosity=0)
