"""sijill.demand.days: a timestamp's local day in SQL, on SQLite and PostgreSQL, across
Morocco's clock changes (UTC+1, UTC+0 during Ramadan)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from sijill.demand.days import changes, day
from sijill.intake.models import Form
from tests.conftest import Staff
from tests.extract_files import ANNEX_1

pytestmark = pytest.mark.django_db


def test_the_clock_changes_of_ramadan_2024() -> None:
    found = changes(dt.date(2024, 2, 1), dt.date(2024, 5, 20))
    assert [(at.isoformat(), hours) for at, hours in found] == [
        ("2024-01-31T00:00:00+00:00", 1.0),
        ("2024-03-10T02:00:00+00:00", 0.0),
        ("2024-04-14T02:00:00+00:00", 1.0),
    ]
    assert len(changes(dt.date(2024, 6, 1), dt.date(2024, 6, 30))) == 1  # none in June


def test_the_database_finds_the_local_day_of_every_instant(people: Staff) -> None:
    """Every half hour from 8 March to 16 April 2024, through both changes."""
    start = dt.datetime(2024, 3, 8, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(minutes=30 * i) for i in range(39 * 48)]
    Form.objects.bulk_create(
        Form(receipt=f"Z{i}", kind="other", channel="counter", annex_code=ANNEX_1,
             clerk=people.clerk, status="deposited", deposited_at=moment)
        for i, moment in enumerate(moments)
    )  # fmt: skip
    sql, params = day("deposited_at", dt.date(2024, 3, 8), dt.date(2024, 4, 16))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT receipt, {sql} FROM intake_form ORDER BY id", params)
        found = dict(cursor.fetchall())
    expected = {f"Z{i}": timezone.localtime(m).date().toordinal() for i, m in enumerate(moments)}
    assert found == expected
