"""sijill.domain.message: words not yet in any language, rendered at the edge, stored as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sijill.domain.message import Message, Refused
from sijill.i18n import Message as I18nMessage


def _marked(message_id: str, context: str | None) -> str:
    """A translation that shows what it was asked for, placeholders kept."""
    return f"<{context}|{message_id}>" if context else f"<{message_id}>"


def test_a_message_is_filled_in_after_it_is_translated() -> None:
    message = Message("must match {pattern}", {"pattern": "^[a-z]$"})
    assert message.render(_marked) == "<must match ^[a-z]$>"  # the value is not translated
    assert str(message) == "must match ^[a-z]$"


def test_a_nested_message_is_rendered_in_the_same_language() -> None:
    message = Message("not {expected}", {"expected": Message("a date YYYY-MM-DD")})
    assert message.render(_marked) == "<not <a date YYYY-MM-DD>>"
    assert str(message) == "not a date YYYY-MM-DD"


def test_a_context_reaches_the_translation() -> None:
    assert Message("validate", context="stage").render(_marked) == "<stage|validate>"


def test_braces_in_a_value_are_kept_as_they_are() -> None:
    assert str(Message("must match {pattern}", {"pattern": "^[0-9]{10}$"})) == (
        "must match ^[0-9]{10}$"
    )


def test_json_round_trips_nested_messages_and_contexts() -> None:
    message = Message(
        "expected {expected}, found {found}",
        {"expected": Message("a finite number"), "found": "VARCHAR", "line": 3},
    )
    written = json.loads(json.dumps(message.as_json()))
    assert written == {
        "id": "expected {expected}, found {found}",
        "params": {
            "expected": {"id": "a finite number", "params": {}},
            "found": "VARCHAR",
            "line": 3,
        },
    }
    assert Message.from_json(written) == message
    staged = Message("validate", context="stage")
    assert Message.from_json(json.loads(json.dumps(staged.as_json()))) == staged


def test_a_value_that_is_no_json_scalar_is_stored_as_text() -> None:
    message = Message("{path} on {day}", {"path": Path("/x"), "day": dt.date(2024, 3, 10)})
    assert message.as_json()["params"] == {"path": "/x", "day": "2024-03-10"}


def test_messages_with_the_same_words_are_equal_and_hash_alike() -> None:
    first = Message("{n} rows", {"n": 3})
    assert first == Message("{n} rows", {"n": 3}) and hash(first) == hash(
        Message("{n} rows", {"n": 3})
    )
    assert first != Message("{n} rows", {"n": 4})


def test_a_refusal_is_a_value_error_whose_text_is_english() -> None:
    message = Message(
        "unknown engine {engine}: available {engines}", {"engine": "'x'", "engines": "duckdb"}
    )
    with pytest.raises(ValueError, match="unknown engine 'x': available duckdb") as raised:
        raise Refused(message)
    assert isinstance(raised.value, Refused) and raised.value.message == message


def test_the_languages_package_hands_out_the_same_message() -> None:
    assert I18nMessage is Message
