import re

import pytest

from sijill.domain.territory import (
    LEVELS,
    PARENT_LEVEL,
    Territory,
    TerritoryTree,
    hierarchy_errors,
    load_reference,
)

ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def t(code: str, parent: str | None, level: str, name: str | None = None) -> Territory:
    return Territory(code, parent, level, "اسم", name or f"Name {code}")


# A small country: one region, two provinces, communes and annexes, with codes that
# deliberately do not encode their parents (codes are opaque).
SMALL = [
    t("R1", None, "region"),
    t("P1", "R1", "province"),
    t("P2", "R1", "province"),
    t("C1", "P1", "commune"),
    t("C2", "P1", "commune"),
    t("C3", "P2", "commune"),
    t("zz", "C1", "annex"),
    t("A2", "C1", "annex"),
    t("A3", "C2", "annex"),
    t("A4", "C3", "annex"),
]


@pytest.fixture(scope="module")
def reference() -> list[Territory]:
    return load_reference()


# --- the shipped reference -------------------------------------------------------------


def test_reference_has_12_regions_and_75_provinces(reference: list[Territory]) -> None:
    levels = [row.level for row in reference]
    assert levels.count("region") == 12
    assert levels.count("province") == 75
    assert len(reference) == 87


def test_reference_lists_regions_before_provinces(reference: list[Territory]) -> None:
    assert [row.level for row in reference[:12]] == ["region"] * 12
    assert {row.level for row in reference[12:]} == {"province"}


def test_reference_codes_are_unique_and_non_empty(reference: list[Territory]) -> None:
    codes = [row.code for row in reference]
    assert len(set(codes)) == len(codes)
    assert all(code.strip() == code and code for code in codes)


def test_reference_region_codes_are_01_to_12(reference: list[Territory]) -> None:
    regions = [row for row in reference if row.level == "region"]
    assert [row.code for row in regions] == [f"{n:02d}" for n in range(1, 13)]
    assert all(row.parent_code is None for row in regions)


def test_every_reference_province_has_a_region_parent(reference: list[Territory]) -> None:
    regions = {row.code for row in reference if row.level == "region"}
    for row in reference:
        if row.level == "province":
            assert row.parent_code in regions, row


def test_every_reference_region_has_provinces(reference: list[Territory]) -> None:
    tree = TerritoryTree(reference)
    for region in tree.by_level("region"):
        assert tree.children(region.code), region


def test_reference_is_hierarchically_consistent(reference: list[Territory]) -> None:
    assert hierarchy_errors(reference) == []


def test_reference_arabic_names_are_arabic_only(reference: list[Territory]) -> None:
    for row in reference:
        assert ARABIC.search(row.name_ar), row
        assert not re.search(r"[A-Za-z]", row.name_ar), row
        assert row.name_ar == row.name_ar.strip(), row


def test_reference_french_names_are_latin(reference: list[Territory]) -> None:
    for row in reference:
        assert row.name_fr.strip() == row.name_fr != "", row
        assert LATIN.search(row.name_fr), row
        assert not ARABIC.search(row.name_fr), row


def test_reference_names_are_unique_per_level(reference: list[Territory]) -> None:
    for level in ("region", "province"):
        rows = [row for row in reference if row.level == level]
        assert len({row.name_fr for row in rows}) == len(rows)
        assert len({row.name_ar for row in rows}) == len(rows)


@pytest.mark.parametrize(
    ("code", "parent", "name_fr", "name_ar"),
    [
        ("06", None, "Casablanca-Settat", "جهة الدار البيضاء-سطات"),
        ("141", "06", "Casablanca", "الدار البيضاء"),
        ("231", "03", "Fès", "فاس"),
        ("041", "07", "Al Haouz", "الحوز"),
        ("001", "09", "Agadir-Ida-Ou-Tanane", "أكادير-إداوتنان"),
        ("391", "12", "Oued Ed-Dahab", "وادي الذهب"),
    ],
)
def test_reference_known_rows(
    reference: list[Territory], code: str, parent: str | None, name_fr: str, name_ar: str
) -> None:
    row = TerritoryTree(reference).get(code)
    assert (row.parent_code, row.name_fr, row.name_ar) == (parent, name_fr, name_ar)


# --- the tree ---------------------------------------------------------------------------


def test_levels_and_parent_levels_agree() -> None:
    assert LEVELS == ("region", "province", "commune", "annex")
    assert PARENT_LEVEL == {
        "region": None,
        "province": "region",
        "commune": "province",
        "annex": "commune",
    }


def test_tree_get_contains_and_len() -> None:
    tree = TerritoryTree(SMALL)
    assert len(tree) == 10
    assert "C2" in tree
    assert "C9" not in tree
    assert tree.get("P2") == SMALL[2]
    with pytest.raises(KeyError):
        tree.get("C9")


def test_tree_children_keep_input_order() -> None:
    tree = TerritoryTree(SMALL)
    assert [c.code for c in tree.children("R1")] == ["P1", "P2"]
    assert [c.code for c in tree.children("C1")] == ["zz", "A2"]
    assert tree.children("A4") == []
    with pytest.raises(KeyError):
        tree.children("nope")


def test_tree_ancestors_nearest_first() -> None:
    tree = TerritoryTree(SMALL)
    assert [a.code for a in tree.ancestors("zz")] == ["C1", "P1", "R1"]
    assert [a.code for a in tree.ancestors("C3")] == ["P2", "R1"]
    assert tree.ancestors("R1") == []
    with pytest.raises(KeyError):
        tree.ancestors("nope")


def test_tree_ancestors_stop_at_a_missing_parent() -> None:
    tree = TerritoryTree([t("C1", "P-missing", "commune"), t("A1", "C1", "annex")])
    assert [a.code for a in tree.ancestors("A1")] == ["C1"]


def test_tree_ancestors_refuse_to_loop() -> None:
    tree = TerritoryTree([t("X", "Y", "commune"), t("Y", "X", "commune")])
    with pytest.raises(ValueError, match="cycle"):
        tree.ancestors("X")


def test_tree_subtree_codes_include_the_root() -> None:
    tree = TerritoryTree(SMALL)
    assert tree.subtree_codes("P1") == {"P1", "C1", "C2", "zz", "A2", "A3"}
    assert tree.subtree_codes("C3") == {"C3", "A4"}
    assert tree.subtree_codes("A4") == {"A4"}
    assert tree.subtree_codes("R1") == {row.code for row in SMALL}
    with pytest.raises(KeyError):
        tree.subtree_codes("nope")


def test_tree_by_level_and_annex_codes() -> None:
    tree = TerritoryTree(SMALL)
    assert tree.annex_codes() == ["zz", "A2", "A3", "A4"]
    assert [c.code for c in tree.by_level("commune")] == ["C1", "C2", "C3"]
    assert [r.code for r in tree.by_level("region")] == ["R1"]
    with pytest.raises(ValueError):
        tree.by_level("district")


def test_tree_rejects_duplicate_codes() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        TerritoryTree([t("R1", None, "region"), t("R1", None, "region")])


def test_tree_over_reference_reaches_provinces_from_regions(reference: list[Territory]) -> None:
    tree = TerritoryTree(reference)
    casablanca_settat = tree.subtree_codes("06")
    assert len(casablanca_settat) == 1 + 9
    assert "141" in casablanca_settat
    assert [a.code for a in tree.ancestors("141")] == ["06"]
    assert tree.annex_codes() == []


# --- hierarchy_errors -------------------------------------------------------------------


def test_hierarchy_errors_empty_for_consistent_rows() -> None:
    assert hierarchy_errors(SMALL) == []
    assert hierarchy_errors([]) == []


def test_hierarchy_errors_accepts_any_iterable() -> None:
    assert hierarchy_errors(iter(SMALL)) == []
    bad = (row for row in [*SMALL, t("A9", "ghost", "annex")])
    assert len(hierarchy_errors(bad)) == 1


def test_hierarchy_errors_duplicate_code() -> None:
    errors = hierarchy_errors([*SMALL, t("C2", "P2", "commune")])
    assert len(errors) == 1
    assert "duplicate" in errors[0] and "'C2'" in errors[0]


def test_hierarchy_errors_unknown_parent() -> None:
    errors = hierarchy_errors([*SMALL, t("A9", "C9", "annex")])
    assert len(errors) == 1
    assert "unknown parent" in errors[0] and "'C9'" in errors[0] and "'A9'" in errors[0]


def test_hierarchy_errors_wrong_parent_level() -> None:
    # An annex hung directly under a province skips the commune level.
    errors = hierarchy_errors([*SMALL, t("A9", "P1", "annex")])
    assert len(errors) == 1
    assert "'A9'" in errors[0] and "province" in errors[0] and "commune" in errors[0]


def test_hierarchy_errors_region_with_parent() -> None:
    errors = hierarchy_errors([*SMALL, t("R2", "R1", "region")])
    assert len(errors) == 1
    assert "region 'R2'" in errors[0] and "parent" in errors[0]


def test_hierarchy_errors_unknown_level() -> None:
    errors = hierarchy_errors([*SMALL, t("D1", "P1", "district")])
    assert len(errors) == 1
    assert "unknown level" in errors[0] and "'district'" in errors[0]


def test_hierarchy_errors_missing_parent_on_non_region() -> None:
    errors = hierarchy_errors([*SMALL, t("C9", None, "commune"), t("C8", "", "commune")])
    assert len(errors) == 2
    assert all("no parent" in e for e in errors)


def test_hierarchy_errors_empty_code() -> None:
    errors = hierarchy_errors([*SMALL, t("", "P1", "commune")])
    assert len(errors) == 1
    assert "empty code" in errors[0]


def test_hierarchy_errors_reports_every_problem() -> None:
    rows = [
        *SMALL,
        t("C1", "P1", "commune"),
        t("A9", "nowhere", "annex"),
        t("R2", "R1", "region"),
        t("X1", "C1", "village"),
        t("C7", "R1", "commune"),
    ]
    assert len(hierarchy_errors(rows)) == 5
