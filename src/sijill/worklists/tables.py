"""The work lists as data (`downloads.Table`), in the reader's language, for download.

Headers are the vocabulary's words of each column, as on the page; a finding's kind is in
words, then by its code (what other outputs and filters use).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from sijill.documents.downloads import Table, label, named
from sijill.documents.words import action, detail, words
from sijill.engine import Finding, Person, SplitMember
from sijill.worklists.cases import split_reason
from sijill.worklists.models import OPEN, Handling

PERSON_COLUMNS = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat", "sex",
                  "birth_date", "address")  # fmt: skip
FINDING_COLUMNS = ("kind", "code", "source", "row_id", "idcs", "household_id", "amo_file_id",
                   *PERSON_COLUMNS, "detail", "action", "handling", "note")  # fmt: skip
SPLIT_COLUMNS = ("cluster_id", "household_id", "idcs", *PERSON_COLUMNS, "reason")


def _headers(columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(label(c).capitalize() if c in PERSON_COLUMNS else label(c) for c in columns)


def _person(person: Person | None) -> tuple[Any, ...]:
    if person is None:
        return (None,) * len(PERSON_COLUMNS)
    return (
        person.first_name_ar, person.last_name_ar, person.first_name_lat, person.last_name_lat,
        words(person.sex, "sexes") if person.sex else None,
        person.birth_date.isoformat() if person.birth_date else None, person.address,
    )  # fmt: skip


def findings_table(annex: str, rows: Sequence[Finding], found: Mapping[str, Handling]) -> Table:
    data = []
    for f in rows:
        handled = found.get(f.key or "")
        status = handled.status if handled is not None else OPEN
        data.append(
            (words(f.kind, "findings"), f.kind, f.source, f.row_id, f.idcs, f.household_id,
             f.amo_file_id, *_person(f.person), detail(f), action(f.kind),
             words(status, "handling"), handled.note if handled is not None else "")
        )  # fmt: skip
    return Table(named(annex, _("findings")), FINDING_COLUMNS, _headers(FINDING_COLUMNS), data)


def splits_table(annex: str, rows: Sequence[SplitMember]) -> Table:
    data = [
        (m.cluster_id, m.household_id, m.idcs, *_person(m.person), split_reason(m)) for m in rows
    ]
    return Table(named(annex, _("split households")), SPLIT_COLUMNS, _headers(SPLIT_COLUMNS), data)
