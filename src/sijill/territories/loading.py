"""Loading territories (the shipped reference or a contract file) into the database.

A load is an upsert: unchanged rows are left alone and not audited, so loading the same
file twice changes nothing. The result must still be one consistent tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from sijill.audit.chain import Change, record_many
from sijill.domain.territory import LEVELS, Territory, TerritoryTree, hierarchy_errors
from sijill.territories import models

TARGET = "territories.territory"


@dataclass(frozen=True, slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class InvalidTerritories(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors[:5]))


def stored() -> list[Territory]:
    return [
        Territory(t.code, t.parent_id, t.level, t.name_ar, t.name_fr)
        for t in models.Territory.objects.all()
    ]


def upsert(incoming: Sequence[Territory], actor: str) -> Counts:
    with transaction.atomic():
        existing = {t.code: t for t in stored()}
        codes = {t.code for t in incoming}
        merged = [t for code, t in existing.items() if code not in codes] + list(incoming)
        errors = hierarchy_errors(merged)
        if errors:
            raise InvalidTerritories(errors)
        changed = [t for t in incoming if existing.get(t.code) != t]
        if not changed:
            return Counts(unchanged=len(incoming))
        _write(changed)
        _rebuild_links(merged)
        record_many(_changes(changed, existing, actor))
    created = sum(1 for t in changed if t.code not in existing)
    return Counts(created, len(changed) - created, len(incoming) - len(changed))


def _write(changed: Sequence[Territory]) -> None:
    # Parents first, so every parent row exists when its children point at it.
    for level in LEVELS:
        rows = [
            models.Territory(
                code=t.code,
                parent_id=t.parent_code,
                level=t.level,
                name_ar=t.name_ar,
                name_fr=t.name_fr,
            )
            for t in changed
            if t.level == level
        ]
        models.Territory.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["parent", "level", "name_ar", "name_fr"],
            batch_size=500,
        )


def _rebuild_links(territories: Iterable[Territory]) -> None:
    tree = TerritoryTree(territories)
    links = [
        models.TerritoryLink(ancestor_id=ancestor.code, descendant_id=t.code, depth=depth)
        for t in tree
        for depth, ancestor in enumerate([t, *tree.ancestors(t.code)])
    ]
    models.TerritoryLink.objects.all().delete()
    models.TerritoryLink.objects.bulk_create(links, batch_size=1000)


def _changes(
    changed: Sequence[Territory], existing: dict[str, Territory], actor: str
) -> list[Change]:
    return [
        Change(
            actor=actor,
            action="update" if t.code in existing else "create",
            target=TARGET,
            key=t.code,
            before=_as_dict(existing[t.code]) if t.code in existing else None,
            after=_as_dict(t),
        )
        for t in changed
    ]


def _as_dict(t: Territory) -> dict[str, str | None]:
    return {
        "code": t.code,
        "parent_code": t.parent_code,
        "level": t.level,
        "name_ar": t.name_ar,
        "name_fr": t.name_fr,
    }
