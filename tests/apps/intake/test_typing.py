"""What people type, read as they meant it (sijill.intake.forms): Eastern Arabic digits are
digits, dates are day first, identifiers forgive spaces; nothing is refused here, so that the
gates can name every problem at once."""

from __future__ import annotations

import pytest

from sijill.intake.forms import (
    BeneficiaryForm,
    DayFirstInput,
    DepositForm,
    HouseholdForm,
    RegistrationForm,
    western,
)


def test_eastern_arabic_digits_are_digits() -> None:
    assert western("٠١٢٣٤٥٦٧٨٩") == "0123456789" and western("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert western("٠٫٣٣") == "0.33"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("1995-10-10", "1995-10-10"),
        ("10/10/1995", "1995-10-10"),
        ("١٠/١٠/١٩٩٥", "1995-10-10"),
        ("5.3.1970", "1970-03-05"),
        ("31/02/1990", "31/02/1990"),  # no such day: kept, for the gate to name
    ],
)
def test_a_birth_date_is_read_day_first_in_any_digits(typed: str, kept: str) -> None:
    form = RegistrationForm({"birth_date": typed})
    assert form.is_valid() and form.cleaned_data["birth_date"] == kept


def test_a_saved_date_is_shown_day_first() -> None:
    assert DayFirstInput().format_value("1995-10-10") == "10/10/1995"


def test_the_capture_refuses_nothing_the_gates_judge() -> None:
    row = BeneficiaryForm({"idcs": "٠٠١٢٣ ٤٥٦٧٤٩٩", "relation": "cousin", "sex": "X"})
    assert row.is_valid()  # too long, unknown relation and sex: the gates will say so
    assert row.cleaned_data["idcs"] == "001234567499" and row.cleaned_data["relation"] == "cousin"
    household = HouseholdForm({"answer_car": "beaucoup", "answer_rooms_per_person": "٠٫٥"})
    assert household.is_valid()
    assert household.answers() == {"rooms_per_person": 0.5}


@pytest.mark.django_db
def test_a_depositors_identifier_forgives_spaces_and_eastern_digits(people: object) -> None:
    from tests.conftest import Staff

    assert isinstance(people, Staff)
    form = DepositForm(
        people.clerk,
        {"kind": "amo_request", "channel": "counter", "annex_code": "A-00931",
         "citizen_id": "be ١٢٣ ٤٥٦"},
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["citizen_id"] == "BE123456"
