"""sijill.worklists.models: the handling table exists, as its migration creates it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_handling_model_has_its_migration() -> None:
    out = io.StringIO()
    call_command("makemigrations", "worklists", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
    assert "worklists_handling" in connection.introspection.table_names()
