"""Errors as RFC 9457 problem details (application/problem+json), in the caller's language.

Every error the API returns has `type`, `title`, `status` and `detail`; rule violations
add `violations`, each with its data (`rule`, `field`, `row`, `params`) and its message in
every catalogue language (`message_ar`, `message_fr`...), whatever the caller's language:
a counter application shows its clerk's. Nothing in an error names a territory, a person or
an identifier the caller did not send.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from sijill import i18n
from sijill.accounts.access import NotAllowed, NotVisible
from sijill.api import parsing
from sijill.api.parsing import Unreadable
from sijill.domain.rules import Violation
from sijill.domain.scoring import InvalidAnswers
from sijill.intake.ledger import GateFailed, NotPossible
from sijill.registry.writes import Refused

# What django-ninja hands an exception handler: the exception, or (in theory) its class.
Raised = Exception | type[Exception]
MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://sijill.ma/problems/"


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> HttpResponse:
    body = {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail, **extra}
    content = json.dumps(body, ensure_ascii=False, default=str)
    return HttpResponse(content, status=status, content_type=f"{MEDIA_TYPE}; charset=utf-8")


def _not_found(request: HttpRequest, exc: Raised) -> HttpResponse:
    return problem(404, "not-found", _("Not found"), _("Nothing here, or not in your territory."))


def _not_allowed(request: HttpRequest, exc: Raised) -> HttpResponse:
    return problem(403, "forbidden", _("Forbidden"), _("Your role does not allow this."))


def _not_possible(request: HttpRequest, exc: Raised) -> HttpResponse:
    assert isinstance(exc, NotPossible)
    detail = _("This step is not possible on a form that is %(status)s.") % {"status": exc.status}
    return problem(409, "conflict", _("Conflict"), detail, status_now=exc.status)


def _gate_failed(request: HttpRequest, exc: Raised) -> HttpResponse:
    """A form's gates, or a register edit, refused: the same rules, the same answer."""
    assert isinstance(exc, GateFailed | Refused)
    detail = _("The form breaks %(count)d validation rule(s).") % {"count": len(exc.violations)}
    violations = worded(v.as_dict() for v in exc.violations)
    return problem(422, "rules", _("Validation rules broken"), detail, violations=violations)


def worded(violations: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Violations as a form keeps them (`Violation.as_dict`), each with its message in
    every catalogue language as `message_<code>`."""
    return [_in_every_language(v) for v in violations]


def _in_every_language(violation: Mapping[str, Any]) -> dict[str, Any]:
    if "params" not in violation:
        # Saved before the rules' words moved to the catalogues: it holds its own texts.
        return dict(violation)
    found = Violation.from_dict(violation).as_message()
    return {**violation, **{f"message_{c}": found.render(i18n.translator(c)) for c in i18n.codes()}}


def _invalid(request: HttpRequest, exc: Raised) -> HttpResponse:
    assert isinstance(exc, ValidationError)
    errors = [{"loc": e.get("loc"), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors]
    detail = _("The request does not have the expected shape.")
    return problem(422, "invalid-request", _("Invalid request"), detail, errors=errors)


def _unauthenticated(request: HttpRequest, exc: Raised) -> HttpResponse:
    response = problem(
        401, "unauthenticated", _("Unauthenticated"), _("Send a valid bearer token.")
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _throttled(request: HttpRequest, exc: Raised) -> HttpResponse:
    assert isinstance(exc, Throttled)
    response = problem(429, "too-many-requests", _("Too many requests"), _("Try again later."))
    if exc.wait:
        response["Retry-After"] = str(max(1, int(exc.wait)))
    return response


def _http_error(request: HttpRequest, exc: Raised) -> HttpResponse:
    assert isinstance(exc, HttpError)
    if exc.status_code == 400:
        # django-ninja's "Cannot parse request body", raised from the parser's reason.
        cause = exc.__cause__
        return _unreadable(request, cause if isinstance(cause, Unreadable) else exc)
    return problem(exc.status_code, "http", str(exc), str(exc))


def _unreadable(request: HttpRequest, exc: Raised) -> HttpResponse:
    reason = exc.reason if isinstance(exc, Unreadable) else parsing.NOT_JSON
    details = {
        parsing.NOT_JSON: _("The request body is not valid JSON."),
        parsing.NOT_FINITE: _(
            "Numbers must be finite: NaN, Infinity and numbers beyond the range of a "
            "double are not accepted."
        ),
        parsing.NOT_TEXT: _(
            "Text must not contain NUL characters or unpaired surrogates: no register "
            "can store them."
        ),
    }
    return problem(400, "unreadable", _("Unreadable request"), details[reason])


def _invalid_answers(request: HttpRequest, exc: Raised) -> HttpResponse:
    assert isinstance(exc, InvalidAnswers)
    detail = _("The answers do not fit the scoring formula.")
    return problem(422, "answers", _("Invalid answers"), detail, errors=exc.problems)


def _bad_value(request: HttpRequest, exc: Raised) -> HttpResponse:
    return problem(
        400, "bad-request", _("Bad request"), _("A value in the request is not accepted.")
    )


def install(api: NinjaAPI) -> None:
    handlers: dict[type[Exception], Callable[[HttpRequest, Raised], HttpResponse]] = {
        NotVisible: _not_found,
        Http404: _not_found,
        NotAllowed: _not_allowed,
        NotPossible: _not_possible,
        GateFailed: _gate_failed,
        Refused: _gate_failed,
        Unreadable: _unreadable,
        InvalidAnswers: _invalid_answers,
        ValidationError: _invalid,
        AuthenticationError: _unauthenticated,
        Throttled: _throttled,
        HttpError: _http_error,
        ValueError: _bad_value,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)
