"""A term of the vocabulary: a code, its words (a message id of the catalogues) and how its
values are written; and the marker the catalogues' extraction looks for. The terms
themselves are in sijill.domain.vocabulary and sijill.domain.ledger_words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


def words(message_id: str) -> str:
    """Marks a message id for the catalogues; the words are chosen where they are shown."""
    return message_id


# `gettext_noop` is one of the names the catalogues' extraction (xgettext, through Django's
# makemessages) looks for: every term's words are found without importing anything.
gettext_noop = words

# How a term's values are written: the command line, the pages and the workbooks agree.
TEXT, COUNT, SHARE, PROBABILITY, DAYS = "text", "count", "share", "probability", "days"


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    words: str  # message id: what it is called
    number: str = TEXT  # how its values are written
    action: str = ""  # message id: what to do about it (finding kinds)
    meaning: str = ""  # message id: what it says (anomaly indicators)
    within: str = ""  # the code of the count this one is a part of (shown under it)


def _terms(*terms: Term) -> Mapping[str, Term]:
    return MappingProxyType({t.code: t for t in terms})


_ = gettext_noop
