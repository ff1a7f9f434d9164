"""sijill.intake.drafts: captured JSON read leniently, so the gates can name what is wrong."""

from __future__ import annotations

import datetime as dt

from sijill.intake import drafts


def test_a_person_is_read_with_its_date_and_trimmed_text() -> None:
    row = drafts.person({"first_name_ar": " محمد ", "birth_date": "1982-01-02", "cin": ""})
    assert row.first_name_ar == "محمد" and row.birth_date == dt.date(1982, 1, 2)
    assert row.cin is None and row.nationality == "MAR"


def test_malformed_values_become_empty_not_errors() -> None:
    row = drafts.person({"birth_date": "02/01/1982", "sex": 1, "idcs": None})
    assert (row.birth_date, row.sex, row.idcs) == (None, "", None)
    assert drafts.person("not a mapping").first_name_ar == ""
    assert drafts.people({"not": "a list"}) == []


def test_answers_keep_numbers_and_read_yes_no_as_one_zero() -> None:
    answers = drafts.answers({"car": True, "rooms_per_person": 0.5, "note": "x"})
    assert answers == {"car": 1.0, "rooms_per_person": 0.5}
