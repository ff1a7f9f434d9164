"""Choosing the command line's language, and rendering engine texts in it."""

from __future__ import annotations

import pytest

from sijill.cli.messages import ENV, language, number, percent, t, translate


def test_french_is_the_default_and_arabic_is_chosen_by_the_variable() -> None:
    assert language({}) == "fr"
    assert language({ENV: ""}) == "fr"
    assert language({ENV: "ar"}) == "ar"


@pytest.mark.parametrize("value", ["en", "AR", "fr_MA", "arabic"])
def test_any_other_value_is_refused_with_the_variable_named(value: str) -> None:
    with pytest.raises(ValueError, match=f"{ENV}='{value}': expected one of ar, fr"):
        language({ENV: value})


def test_messages_follow_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "fr")
    assert t("invalid input: nothing was written") == "extraits non conformes : rien n'a été écrit"
    assert t("{count} warning(s): see summary.json", count=3).startswith("3 avertissement(s)")
    monkeypatch.setenv(ENV, "ar")
    assert t("invalid input: nothing was written").startswith("المستخرجات غير مطابقة")


def test_composed_engine_texts_are_recognised_with_their_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "fr")
    assert translate("must match ^[0-9]{10}$") == "doit correspondre à ^[0-9]{10}$"
    assert translate("expected a date YYYY-MM-DD, found BIGINT") == (
        "attendu : une date YYYY-MM-DD, trouvé : BIGINT"
    )
    assert translate("same within household_id") == "identique dans household_id"
    monkeypatch.setenv(ENV, "ar")
    assert translate("not a finite number") == "قيمة غير صالحة، المتوقع: عدد منته"
    assert translate("/data/out exists and is not empty") == "/data/out موجود وغير فارغ"


def test_unknown_texts_are_shown_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "ar")
    assert translate("Parser Error: unterminated quotes") == "Parser Error: unterminated quotes"
    assert t("a message nobody wrote") == "a message nobody wrote"


def test_numbers_group_thousands_without_a_comma() -> None:
    assert number(1_234_567) == "1\u202f234\u202f567"
    assert number(12) == "12"
    assert percent(0.1234) == "12,3\u202f%"
