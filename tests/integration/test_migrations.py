"""The migrations create exactly the models, on both backends."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

APPS = ("audit", "territories", "accounts", "registry", "intake")


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
    }
    assert expected <= tables
