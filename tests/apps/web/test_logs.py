"""sijill.web.logs: request lines are logged without their query string (it may hold a CIN)."""

from __future__ import annotations

import logging

from sijill.web.logs import WithoutQueryStrings


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
