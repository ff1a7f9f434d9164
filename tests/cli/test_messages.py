"""sijill.cli.messages: choosing the command line's language, and its words in it."""

from __future__ import annotations

import pytest

from sijill.cli.messages import ENV, language, number, percent, shown, t
from sijill.domain.message import Message
from sijill.engine.extracts.parsing import EXPECTED


def test_french_is_the_default_and_arabic_is_chosen_by_the_variable() -> None:
    assert language({}) == "fr"
    assert language({ENV: ""}) == "fr"
    assert language({ENV: "ar"}) == "ar"


@pytest.mark.parametrize("value", ["en", "AR", "fr_MA", "arabic"])
def test_any_other_value_is_refused_with_the_variable_named(value: str) -> None:
    with pytest.raises(ValueError, match=f"{ENV}='{value}': expected one of ar, fr"):
        language({ENV: value})


def test_t_follows_the_variable_and_fills_values_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "fr")
    assert t("invalid input: nothing was written") == "extraits non conformes : rien n'a été écrit"
    assert t("{count} warning(s): see summary.json", count=3).startswith("3 avertissement(s)")
    assert t("checking the extracts") == "vérification"
    monkeypatch.setenv(ENV, "ar")
    assert t("invalid input: nothing was written").startswith("المستخرجات غير مطابقة")
    assert t("{count} warning(s): see summary.json", count=3) == (
        "عدد التنبيهات: 3، انظروا summary.json"
    )
    assert t("checking the extracts") == "التحقق"
    assert t("a message nobody wrote") == "a message nobody wrote"


def test_an_engine_message_is_shown_with_its_nested_words(monkeypatch: pytest.MonkeyPatch) -> None:
    message = Message(
        "expected {expected}, found {found}", {"expected": EXPECTED["date"], "found": "BIGINT"}
    )
    monkeypatch.setenv(ENV, "fr")
    assert shown(message) == "attendu : une date YYYY-MM-DD, trouvé : BIGINT"
    monkeypatch.setenv(ENV, "ar")
    arabic = shown(message)
    assert "BIGINT" in arabic and arabic != str(message)
    assert shown(EXPECTED["date"]) in arabic  # the nested kind, in Arabic too


def test_numbers_group_thousands_without_a_comma() -> None:
    assert number(1_234_567) == "1\u202f234\u202f567"
    assert number(12) == "12"
    assert percent(0.1234) == "12,3\u202f%"
