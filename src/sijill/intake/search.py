"""Finding a form again: by receipt, CIN, IDCS or a person's name, in the user's territory.

- A receipt is read as the citizen's page reads it (spaces, dashes, case and look-alike
  letters forgiven) and found by its index.
- A CIN or an IDCS finds the forms deposited with it (the ledger keeps their keyed hashes,
  sijill.intake.ledger.citizen_key), the forms that name it in their content and the one
  that registered it.
- A name, in Arabic or Latin letters, is compared through the name keys of
  sijill.domain.namekeys: the Arabic skeleton (spellings of long vowels, the article,
  hamza), the Latin key (MOHAMED, MOHAMMED, MOUHAMED) and the cross-script key (an Arabic
  name against a Latin spelling and back). Every word typed must match a word of the
  person's first or last name. The contents are read in Python, the newest forms first,
  at most SCANNED of them: a name is searched among a territory's recent forms.

Digits may be typed 0–9 or ٠–٩. Nothing here leaves the user's scope
(sijill.accounts.access.scoped): another annex's forms do not exist for the search.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from sijill.accounts.access import scoped
from sijill.accounts.models import User
from sijill.domain import rules
from sijill.domain.namekeys import arabic_skeleton, latin_key, transliterate
from sijill.intake.forms import western
from sijill.intake.ledger import citizen_key
from sijill.intake.models import Form
from sijill.intake.receipts import normalized

LIMIT = 50  # hits shown
SCANNED = 5000  # forms read for a name
_ARABIC = re.compile(r"[\u0600-\u06FF]")
RECEIPT, CIN, IDCS, NAME = "receipt", "cin", "idcs", "name"


@dataclass(frozen=True, slots=True)
class Hit:
    form: Form
    matched: str  # RECEIPT, CIN, IDCS or NAME
    person: Mapping[str, Any] | None = None  # the person named, for a name or an identifier


def what(query: str) -> str:
    """What the query is read as."""
    text = "".join(western(query).split()).upper()
    if rules.IDCS.fullmatch(text):
        return IDCS
    if rules.CIN.fullmatch(text):
        return CIN
    if normalized(text) is not None:
        return RECEIPT
    return NAME


def search(user: User, query: str) -> list[Hit]:
    """The user's forms matching the query, newest first (at most LIMIT)."""
    text = western(query).strip()
    if not text:
        return []
    forms = scoped(user, Form.objects.all()).order_by("-deposited_at", "-id")
    kind = what(text)
    if kind == RECEIPT:
        found = forms.filter(receipt=normalized(text)).first()
        return [Hit(found, RECEIPT)] if found else []
    if kind in (CIN, IDCS):
        return _by_identifier(forms, "".join(text.split()).upper(), kind)
    return _by_name(forms, text)


def people(payload: Any) -> Iterator[Mapping[str, Any]]:
    """Every person a form's content names: the registered person, the members, the
    beneficiaries."""
    if not isinstance(payload, Mapping):
        return
    person = payload.get("person")
    if isinstance(person, Mapping):
        yield person
    household = payload.get("household")
    members = household.get("members") if isinstance(household, Mapping) else None
    for rows in (members, payload.get("beneficiaries")):
        if isinstance(rows, list):
            yield from (row for row in rows if isinstance(row, Mapping))


def _by_identifier(forms: QuerySet[Form], value: str, kind: str) -> list[Hit]:
    key = citizen_key(value)
    deposited = Q(citizen_cin_key=key) if kind == CIN else Q(citizen_idcs_key=key)
    # The content's text is searched for the identifier, then read to be sure it is a
    # person's, not part of another number.
    named = Q(payload_text__contains=value)
    registered = Q(register_key=value) if kind == IDCS else Q(pk__in=[])
    rows = forms.annotate(payload_text=Cast("payload", TextField())).filter(
        deposited | named | registered
    )
    hits: list[Hit] = []
    for form in rows[: LIMIT * 2]:
        person = next(
            (p for p in people(form.payload) if str(p.get(kind) or "").strip().upper() == value),
            None,
        )
        if person is not None or form.register_key == value:
            hits.append(Hit(form, kind, person))
        elif form.citizen_cin_key == key or form.citizen_idcs_key == key:
            hits.append(Hit(form, kind))
    return hits[:LIMIT]


@functools.lru_cache(maxsize=65536)
def _keys(word: str) -> frozenset[str]:
    """The keys one word of a name is known by, whatever the script it is written in."""
    if _ARABIC.search(word):
        crossed = latin_key(transliterate(word))
        return frozenset(
            k
            for k in ("ar:" + arabic_skeleton(word), "lat:" + crossed)
            if k[3:] != "" and k != "lat:"
        )
    return frozenset({"lat:" + latin_key(word)} if latin_key(word) else set())


def _words(value: Any) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", str(value or "")) if w]


def _person_keys(person: Mapping[str, Any]) -> frozenset[str]:
    found: set[str] = set()
    for name in ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat"):
        value = person.get(name)
        found |= _keys(str(value or "").strip()) if value else set()
        for word in _words(value):
            found |= _keys(word)
    return frozenset(found)


def _by_name(forms: QuerySet[Form], text: str) -> list[Hit]:
    wanted = [_keys(word) for word in _words(text)]
    wanted = [keys for keys in wanted if keys]
    if not wanted:
        return []
    whole = _keys(text)
    hits: list[Hit] = []
    for form in forms.only(*_COLUMNS)[:SCANNED].iterator(chunk_size=500):
        for person in people(form.payload):
            keys = _person_keys(person)
            if (whole and whole & keys) or all(options & keys for options in wanted):
                hits.append(Hit(form, NAME, person))
                break
        if len(hits) >= LIMIT:
            break
    return hits


_COLUMNS = ("receipt", "kind", "status", "annex_code", "payload", "deposited_at")
