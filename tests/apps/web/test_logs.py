"""sijill.web.logs: request lines are logged without their query string (it may hold a CIN),
requests by their route; lines are JSON objects (or plain text) with every identifier and
Arabic name masked."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from sijill.web import environment
from sijill.web.logs import MASK, JsonFormatter, PlainFormatter, WithoutQueryStrings, masked
from tests.conftest import Staff


def test_the_query_string_is_cut_from_message_and_arguments() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /api/v1/status/7KX4-9PQM-3TD2?id=BE123456 HTTP/1.1", "200", "88"),
        None,
    )
    assert WithoutQueryStrings().filter(record)
    assert record.getMessage() == '"GET /api/v1/status/7KX4-9PQM-3TD2 HTTP/1.1" 200 88'
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "GET /a?id=J45678 done", None, None)
    WithoutQueryStrings().filter(plain)
    assert plain.getMessage() == "GET /a done"


# --- structured logs: one JSON object a line, nothing that names a person ----------------

RECEIPT, CIN, IDCS, NAME = "7KX4-9PQM-3TD2", "BE123456", "1234567890", "إدريس الفاسي"


def _formatted(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    return formatter.format(record)


def _record_with_identifiers() -> logging.LogRecord:
    try:
        raise ValueError(f"no person {IDCS} named {NAME}")
    except ValueError:
        import sys

        info = sys.exc_info()
    record = logging.LogRecord(
        "sijill.x", logging.ERROR, __file__, 1, "receipt %s for %s", (RECEIPT, CIN), info
    )
    record.citizen = {"cin": CIN, "names": [NAME]}
    return record


def test_json_lines_carry_the_fields_and_mask_every_identifier() -> None:
    line = _formatted(JsonFormatter(), _record_with_identifiers())
    assert "\n" not in line  # one object a line, traceback included
    found = json.loads(line)
    assert {"time", "level", "name", "message", "exc_info"} <= set(found)
    assert (found["level"], found["name"]) == ("ERROR", "sijill.x")
    assert found["message"] == f"receipt {MASK} for {MASK}"
    assert found["citizen"] == {"cin": MASK, "names": [f"{MASK} {MASK}"]}
    assert "ValueError: no person" in found["exc_info"]
    for secret in (RECEIPT, CIN, IDCS, "إدريس", "الفاسي"):
        assert secret not in line


def test_objects_in_a_line_are_written_as_their_masked_text() -> None:
    """Django's own lines carry the request object; a receipt may begin like a CIN."""

    class Request:
        def __str__(self) -> str:
            return "<WSGIRequest: GET '/api/v1/status/G389-A3YD-1CEZ?id=0033881079'>"

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Too Many Requests: %s",
        ("/api/v1/status/G389-A3YD-1CEZ",), None,
    )  # fmt: skip
    record.request, record.status_code = Request(), 429
    found = json.loads(_formatted(JsonFormatter(), record))
    assert found["message"] == f"Too Many Requests: /api/v1/status/{MASK}"
    assert found["request"] == f"<WSGIRequest: GET '/api/v1/status/{MASK}"
    assert found["status_code"] == 429


def test_plain_lines_are_masked_too() -> None:
    line = _formatted(PlainFormatter(), _record_with_identifiers())
    assert "ERROR sijill.x receipt" in line
    for secret in (RECEIPT, CIN, IDCS, "إدريس"):
        assert secret not in line


def test_codes_that_name_nobody_stay_readable() -> None:
    text = "annex A-00931 run 12 stage reconcile 2024-03-10 worker vm-2028-69f4a8 took 850 ms"
    assert masked(text) == text


@pytest.mark.django_db
def test_a_request_is_logged_by_its_route_never_its_path(people: Staff) -> None:
    caught = io.StringIO()
    handler = logging.StreamHandler(caught)
    handler.setFormatter(JsonFormatter())
    requests = logging.getLogger("sijill.request")
    requests.addHandler(handler)
    try:
        client = Client()
        client.force_login(people.clerk)
        client.get(f"/forms/{RECEIPT}/")
        Client().get(f"/api/v1/status/{RECEIPT}", {"id": CIN})
    finally:
        requests.removeHandler(handler)
    lines = [json.loads(line) for line in caught.getvalue().splitlines()]
    assert [(line["method"], line["route"], line["status"]) for line in lines] == [
        ("GET", "forms/<str:receipt>/", 404),
        ("GET", "api/v1/status/<receipt>", 404),
    ]
    assert all(isinstance(line["ms"], float) for line in lines)
    assert RECEIPT not in caught.getvalue() and CIN not in caught.getvalue()


def test_the_settings_choose_json_unless_told_plain() -> None:
    config = environment.logging_config({})
    assert config["formatters"]["json"] == {"()": "sijill.web.logs.JsonFormatter"}
    assert config["root"]["level"] == "WARNING"
    plain = environment.logging_config({"SIJILL_LOG_FORMAT": "plain", "SIJILL_LOG_LEVEL": "INFO"})
    assert plain["handlers"]["console"]["formatter"] == "plain"
    assert plain["root"]["level"] == "INFO"
    with pytest.raises(ImproperlyConfigured, match="SIJILL_LOG_FORMAT"):
        environment.logging_config({"SIJILL_LOG_FORMAT": "xml"})
