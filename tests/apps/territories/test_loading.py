"""sijill.territories: the reference and contract territories in the database, and scoping."""

from __future__ import annotations

import pytest

from sijill.audit.models import Entry
from sijill.domain.territory import Territory, load_reference
from sijill.registry.models import Household
from sijill.territories import scope
from sijill.territories.loading import InvalidTerritories, stored, upsert
from sijill.territories.models import Territory as TerritoryRow
from sijill.territories.models import TerritoryLink
from tests.apps.backoffice import ANNEX_1, ANNEX_2, COMMUNE, REGION, contract_territories

pytestmark = pytest.mark.django_db


def test_the_reference_loads_as_12_regions_and_75_provinces() -> None:
    counts = upsert(load_reference(), actor="test")
    assert (counts.created, counts.updated, counts.unchanged) == (87, 0, 0)
    assert TerritoryRow.objects.filter(level="region").count() == 12
    assert TerritoryRow.objects.filter(level="province").count() == 75
    assert sorted(stored(), key=lambda t: t.code) == sorted(load_reference(), key=lambda t: t.code)


def test_loading_twice_changes_nothing_and_audits_nothing_more() -> None:
    upsert(load_reference(), actor="test")
    upsert(contract_territories(), actor="test")
    entries = Entry.objects.count()
    counts = upsert(contract_territories(), actor="test")
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 5)
    assert Entry.objects.count() == entries


def test_a_contract_file_extends_the_reference_and_may_rename() -> None:
    upsert(load_reference(), actor="test")
    counts = upsert(contract_territories(), actor="test")
    # The region exists in the reference under another Arabic spelling: an update.
    assert (counts.created, counts.updated) == (4, 1)
    assert TerritoryRow.objects.get(code=ANNEX_1).parent_id == COMMUNE


def test_the_closure_holds_every_ancestor_and_the_territory_itself() -> None:
    upsert(contract_territories(), actor="test")
    ancestors = TerritoryLink.objects.filter(descendant_id=ANNEX_1).order_by("depth")
    assert [(link.ancestor_id, link.depth) for link in ancestors] == [
        (ANNEX_1, 0),
        (COMMUNE, 1),
        ("0141", 2),
        (REGION, 3),
    ]


def test_scoping_keeps_the_subtree_and_leaves_unknown_annexes_to_national_users() -> None:
    upsert(contract_territories(), actor="test")
    for household_id, annex in (("H1", ANNEX_1), ("H2", ANNEX_2), ("H3", "AX900001")):
        Household.objects.create(household_id=household_id, annex_code=annex, address="", score=1)

    def seen(code: str | None) -> set[str]:
        rows = scope.within(Household.objects.all(), code)
        return set(rows.values_list("household_id", flat=True))

    assert seen(ANNEX_1) == {"H1"}
    assert seen(ANNEX_2) == {"H2"}
    assert seen(COMMUNE) == seen(REGION) == {"H1", "H2"}
    assert seen(None) == {"H1", "H2", "H3"}
    assert scope.covers(COMMUNE, ANNEX_2)
    assert not scope.covers(ANNEX_1, ANNEX_2)


def test_a_load_that_would_break_the_tree_is_refused_whole() -> None:
    upsert(contract_territories(), actor="test")
    orphan = Territory("A-X", "NOWHERE", "annex", "ملحقة", "Annexe X")
    wrong_level = Territory("A-Y", ANNEX_1, "annex", "ملحقة", "Annexe Y")
    with pytest.raises(InvalidTerritories) as raised:
        upsert([orphan, wrong_level], actor="test")
    assert any("unknown parent 'NOWHERE'" in e for e in raised.value.errors)
    assert any("is a annex, not a commune" in e for e in raised.value.errors)
    assert not TerritoryRow.objects.filter(code__in=["A-X", "A-Y"]).exists()
