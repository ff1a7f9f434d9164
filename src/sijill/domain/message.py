"""Words to show, not yet in any language: what the engine and the domain say to people.

Code below the edges never composes a sentence: it names a message id (the English source
text, with `{placeholders}`) and its parameters, and the edge that shows it — a page, the
command line, a report — chooses the language (`sijill.i18n`). `str(message)` is the
English text, for logs and tests.

A message travels as JSON where it is stored (a failed run's problems, summary.json):
`{"id": ..., "params": {...}}`, a parameter that is itself a message nested the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Translate = Callable[[str, "str | None"], str]  # (message id, context) -> text
Json = dict[str, Any]

_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True, slots=True)
class Message:
    """A message id and its parameters. A parameter may itself be a Message (rendered
    first, in the same language)."""

    id: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    context: str | None = None

    def render(self, translate: Translate) -> str:
        values = {k: v.render(translate) if isinstance(v, Message) else v
                  for k, v in self.params.items()}  # fmt: skip
        text = translate(self.id, self.context)
        return text.format(**values) if values else text

    def __str__(self) -> str:
        """The English source text, filled in: for logs and tests, never for people."""
        return self.render(english)

    def __hash__(self) -> int:
        # Parameters may be given as a plain dict: hash what cannot change meaning.
        return hash((self.id, self.context, frozenset(self.params)))

    def as_json(self) -> Json:
        """The message as JSON values: parameters that are no JSON scalar are written as
        text, nested messages as objects of their own."""
        found: Json = {"id": self.id, "params": {k: _plain(v) for k, v in self.params.items()}}
        if self.context is not None:
            found["context"] = self.context
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        """The message `as_json` wrote; a parameter that is an object with an "id" is a
        nested message (parameters are otherwise scalars)."""
        params = {k: cls.from_json(v) if _is_message(v) else v
                  for k, v in dict(data.get("params") or {}).items()}  # fmt: skip
        return cls(str(data["id"]), MappingProxyType(params), data.get("context"))


class Refused(ValueError):
    """A refusal a person reads (a setting, a parameter, an input that cannot be used):
    the message says why, in words the edge translates. `str()` is the English text, so
    callers that catch ValueError keep working."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def english(message_id: str, context: str | None) -> str:
    """The translation that keeps the source text: message ids are English."""
    return message_id


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    return value if isinstance(value, _SCALARS) else str(value)


def _is_message(value: Any) -> bool:
    return isinstance(value, Mapping) and "id" in value
