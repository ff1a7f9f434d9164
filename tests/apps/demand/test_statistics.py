"""sijill.demand.statistics: the demand counted by the database (from the tally for the
nation and a region, from the forms below), checked against the same statistics counted
one form at a time from the ledger (tests/apps/demand/ledger.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from sijill.demand.statistics import BANDS, Period, counted, measure
from sijill.intake.cnss import reason_of
from sijill.intake.models import Form
from sijill.registry.models import Beneficiary
from tests.apps.demand.ledger import by_hand, day, draw, write
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, ANNEX_2, COMMUNE, PROVINCE, REGION, UNKNOWN_ANNEX

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 5, 20)  # the ledger spans Ramadan 2024, when Morocco's clock is UTC+0


@pytest.fixture
def ledger(people: Staff) -> list[Form]:
    return draw(people.clerk, [ANNEX_1, ANNEX_2], 400, TODAY)


def in_period(forms: list[Form], period: Period, annexes: set[str]) -> list[Form]:
    return [
        f
        for f in forms
        if period.first <= day(f.deposited_at) <= period.last and f.annex_code in annexes
    ]


@pytest.mark.parametrize(
    ("code", "annexes"),
    [(None, {ANNEX_1, ANNEX_2}), (REGION, {ANNEX_1, ANNEX_2}), (PROVINCE, {ANNEX_1, ANNEX_2}),
     (COMMUNE, {ANNEX_1, ANNEX_2}), (ANNEX_2, {ANNEX_2})],
)  # fmt: skip
def test_every_statistic_equals_the_ledger_counted_by_hand(
    ledger: list[Form], code: str | None, annexes: set[str]
) -> None:
    period = Period(dt.date(2024, 2, 1), dt.date(2024, 5, 10))
    found = measure(code, period, TODAY)
    expected = by_hand(in_period(ledger, period, annexes), TODAY)
    assert found.deposits == {k: v for k, v in expected.deposits.items() if v}
    assert found.total == sum(expected.deposits.values()) > 50
    backlog = Counter({(status, i): n for status, bands in found.backlog.items()
                       for i, n in enumerate(bands) if n})  # fmt: skip
    assert backlog == expected.backlog
    assert (found.validation.done, found.validation.due) == tuple(expected.validation)
    assert (found.cnss.done, found.cnss.due) == tuple(expected.cnss)
    assert 0 < found.validation.done < found.validation.due
    assert 0 < found.cnss.done < found.cnss.due
    assert {text.casefold(): n for text, n in found.local_reasons} == dict(expected.local_reasons)
    assert [n for _text, n in found.local_reasons] == sorted(
        (n for _text, n in found.local_reasons), reverse=True
    )
    assert found == counted(code, period, TODAY)  # the tally and the forms agree


@pytest.mark.parametrize("today", [TODAY, dt.date(2024, 3, 12), dt.date(2024, 7, 1)])
def test_the_tally_and_the_forms_agree_on_any_day(ledger: list[Form], today: dt.date) -> None:
    """Ages and deadlines move with today: the tally keeps the days they are counted from.
    Forms of an annex no territory knows are a place of their own, nationally."""
    first = ledger[0]
    write(receipt="U1", kind="other", channel="counter", annex_code=UNKNOWN_ANNEX,
          clerk=first.clerk, status="deposited", deposited_at=first.deposited_at)  # fmt: skip
    for period in (Period(dt.date(2024, 1, 1), today), Period(dt.date(2024, 3, 30), today)):
        for code in (None, REGION):
            assert measure(code, period, today) == counted(code, period, today)
    places = measure(None, Period(dt.date(2023, 1, 1), TODAY), TODAY).places
    assert [p.deposits for p in places if p.code is None] == [1]


def test_cnss_reasons_are_ranked_by_the_reason_of_the_list(ledger: list[Form]) -> None:
    period = Period(dt.date(2024, 1, 1), TODAY)
    found = dict(measure(None, period, TODAY).cnss_reasons)
    files = {f.register_key for f in in_period(ledger, period, {ANNEX_1, ANNEX_2})}
    expected: Counter[str] = Counter()
    for text in Beneficiary.objects.filter(file__amo_file_id__in=files).exclude(
        rejection_reason=None
    ).values_list("rejection_reason", flat=True):  # fmt: skip
        reason = reason_of(text)
        assert reason is not None
        expected[reason.code or reason.note] += 1
    assert found == dict(expected)
    assert "other" in found and "Refus libre importé" in found  # notes apart, text kept


def test_the_territories_below_add_up(ledger: list[Form]) -> None:
    period = Period(dt.date(2024, 1, 1), TODAY)
    found = measure(COMMUNE, period, TODAY)
    by_code = {p.code: p for p in found.places}
    assert set(by_code) == {ANNEX_1, ANNEX_2}
    assert sum(p.deposits for p in found.places) == found.total
    assert sum(p.validation.due for p in found.places) == found.validation.due
    assert sum(p.waiting for p in found.places) == sum(sum(b) for b in found.backlog.values())
    assert measure(ANNEX_1, period, TODAY).places == []


def test_a_period_counts_deposits_by_their_local_day(people: Staff) -> None:
    """23:30 on 31 March 2024 in Casablanca (UTC+0 during Ramadan) and 00:30 on 1 July
    (UTC+1, so 23:30 UTC on 30 June) belong to those local days."""
    march = timezone.make_aware(dt.datetime(2024, 3, 31, 23, 30))
    july = timezone.make_aware(dt.datetime(2024, 7, 1, 0, 30))
    for i, moment in enumerate((march, july)):
        write(
            receipt=f"D{i}",
            kind="other",
            channel="counter",
            annex_code=ANNEX_1,
            clerk=people.clerk,
            status="deposited",
            deposited_at=moment,
        )
    assert measure(None, Period(dt.date(2024, 3, 31), dt.date(2024, 3, 31)), TODAY).total == 1
    assert measure(None, Period(dt.date(2024, 4, 1), dt.date(2024, 6, 30)), TODAY).total == 0
    assert measure(None, Period(dt.date(2024, 7, 1), dt.date(2024, 7, 1)), TODAY).total == 1


def test_validation_within_one_day_counts_calendar_days(people: Staff) -> None:
    """Deposited on a Monday at 23:00, validated Tuesday at 23:59: in time. Validated on
    Wednesday at 00:10: late. Still waiting since Monday: late too; since yesterday: not
    due yet."""
    monday = dt.datetime(2024, 5, 13, 23, 0)

    def form(i: int, deposited: dt.datetime, validated: dt.datetime | None) -> None:
        write(
            receipt=f"V{i}", kind="other", channel="online", annex_code=ANNEX_1,
            clerk=people.clerk, status="validated" if validated else "captured",
            deposited_at=timezone.make_aware(deposited),
            validated_at=timezone.make_aware(validated) if validated else None,
        )  # fmt: skip

    form(1, monday, dt.datetime(2024, 5, 14, 23, 59))
    form(2, monday, dt.datetime(2024, 5, 15, 0, 10))
    form(3, monday, None)
    form(4, dt.datetime(2024, 5, 19, 9, 0), None)
    found = measure(None, Period(dt.date(2024, 5, 1), TODAY), TODAY)
    assert (found.validation.done, found.validation.due) == (1, 3)
    assert found.backlog["captured"] == [1, 1, 0, 0, 0]  # 1 day and 7 days old
    assert len(BANDS) == 5
