"""What the OpenAPI document says of every answer, the problem+json errors included.

Two kinds of error answers:
- those the operation's shape decides, added to every operation by `complete()`: 401 when
  it needs a bearer token, 400 when it reads a JSON body (sijill.api.parsing), 422 when it
  reads a body or a parameter whose value can be refused (type, pattern, bounds, missing);
- those the view's own logic gives, declared next to it with `errors(...)`: 403 (the role),
  404 (not visible), 409 (the form's status), 422 (validation rules), 429 (rate limit).

Every error is `application/problem+json` with the `Problem` schema (RFC 9457).
"""

from __future__ import annotations

from typing import Any

MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"

_VIOLATION: dict[str, Any] = {
    "type": "object",
    "description": "A broken rule: its data, and its message in every catalogue language "
    "(`message_ar`, `message_fr`...).",
    "required": ["rule", "field"],
    "properties": {
        "rule": {"type": "string"},
        "field": {"type": "string"},
        "row": {"type": ["integer", "null"], "description": "Person (member) row, from 1."},
        "params": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "additionalProperties": {"type": ["string", "integer", "null"]},
}
_PROBLEM: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details, in the language of Accept-Language.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "violations": {"type": "array", "items": {"$ref": "#/components/schemas/Violation"}},
        "errors": {
            "type": "array",
            "description": "What does not have the expected shape (`loc`, `msg`, `type`), "
            "or the answers that do not fit the scoring formula.",
        },
        "status_now": {"type": "string", "description": "The form's status (409)."},
    },
}
WHY: dict[int, str] = {
    400: "The body is not JSON the API accepts: malformed, a number that is not finite "
    "(NaN, Infinity, 1e999), or text holding a NUL character or an unpaired surrogate.",
    401: "No valid bearer token (`Authorization: Bearer <token>`).",
    403: "The caller's role does not allow this.",
    404: "Nothing here, or not in the caller's territory: the same answer for both.",
    409: "The form's status does not allow this step.",
    422: "A value has not the expected type, pattern or bounds (`errors`), or breaks "
    "validation rules (`violations`, naming each field).",
    429: "Too many requests from this address: try again after `Retry-After` seconds.",
}


def _answer(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": WHY[status],
        "content": {MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
    }
    if status == 429:
        answer["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}
    return answer


def errors(*statuses: int, success: dict[int, Any] | None = None) -> dict[str, Any]:
    """`openapi_extra` of an operation whose own logic may answer these problems (and
    whose success is not JSON, described by `success`)."""
    return {"responses": {**(success or {}), **{status: _answer(status) for status in statuses}}}


_PLAIN = {"type", "title", "description"}


def _refusable(parameter: dict[str, Any]) -> bool:
    """Whether a value of this parameter can fail validation: any type but text, any
    constraint (pattern, enumeration, bounds), or a required query or header."""
    schema = parameter.get("schema", {})
    if schema.get("type") != "string" or set(schema) - _PLAIN - {"default"}:
        return True
    return bool(parameter.get("required")) and parameter.get("in") != "path"


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """Adds the answers every operation's shape implies, and the problem schemas."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"], schemas["Violation"] = _PROBLEM, _VIOLATION
    for methods in document.get("paths", {}).values():
        for operation in methods.values():
            implied = []
            if operation.get("security"):
                implied.append(401)
            if "requestBody" in operation:
                implied += [400, 422]
            if any(_refusable(p) for p in operation.get("parameters", ())):
                implied.append(422)
            responses = operation["responses"]
            for status in implied:
                responses.setdefault(status, _answer(status))
            operation["responses"] = dict(sorted(responses.items(), key=lambda kv: int(kv[0])))
    return document
