"""Name forms with known keys (synth/namesets.py) over the bundled name lists."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import numpy as np
import pytest

from sijill.domain.names import (
    FOLDED_LETTERS,
    REMOVED_MARKS,
    load_family_names,
    load_given_names,
    normalize_arabic,
)
from sijill.synth.namesets import (
    Names,
    NameSet,
    build_nameset,
    error_variants,
    folding_variants,
    names,
)

GIVEN = [g.arabic for g in load_given_names()]
FAMILY = [f.arabic for f in load_family_names()]
ALL_NAMES = sorted(set(GIVEN + FAMILY))
TASHKEEL = {ch for ch in REMOVED_MARKS if ch != "\u0640"}
TATWEEL = "\u0640"
HAMZA_FORMS = "أإآ"
RIGHT_JOINING_ONLY = set("اأإآٱدذرزوؤةء ")
END_SWAPS = {"ة": "ه", "ه": "ة", "ى": "ي", "ي": "ى"}


@pytest.fixture(scope="module")
def nameset() -> Names:
    return names()


# --------------------------------------------------------------------------------------
# folding_variants / error_variants over every name of the data files


def test_data_files_are_not_empty() -> None:
    assert len(GIVEN) > 200
    assert len(FAMILY) > 200


def test_every_folding_variant_has_the_same_key() -> None:
    for name in ALL_NAMES:
        key = normalize_arabic(name)
        variants = folding_variants(name)
        assert variants, name
        assert name not in variants
        assert len(set(variants)) == len(variants)
        assert all(normalize_arabic(v) == key for v in variants), name


def test_every_error_variant_has_a_different_key() -> None:
    for name in ALL_NAMES:
        key = normalize_arabic(name)
        errors = error_variants(name)
        assert len(errors) <= 3
        assert len(set(errors)) == len(errors)
        for form in errors:
            assert form.strip(), name
            assert normalize_arabic(form) != key, (name, form)
    with_errors = [n for n in ALL_NAMES if error_variants(n)]
    assert len(with_errors) / len(ALL_NAMES) > 0.95


def test_folding_and_error_variants_never_overlap() -> None:
    for name in ALL_NAMES:
        assert not set(folding_variants(name)) & set(error_variants(name)), name


def joins_left(name: str) -> bool:
    """Whether some letter connects to the next one (where a tatweel may be drawn)."""
    return any(a not in RIGHT_JOINING_ONLY and b != " " and a != " " for a, b in pairwise(name))


def test_every_name_gets_tashkeel_and_tatweel_variants() -> None:
    for name in ALL_NAMES:
        variants = folding_variants(name)
        assert any(set(v) & TASHKEEL for v in variants), name
        assert any(TATWEEL in v for v in variants) == joins_left(name), name
    # Only names made of non-connecting letters lack a tatweel form.
    assert not joins_left("وداد")
    assert not any(TATWEEL in v for v in folding_variants("وداد"))


def test_tatweel_is_drawn_only_after_a_connecting_letter() -> None:
    for name in ALL_NAMES:
        for v in folding_variants(name):
            if TATWEEL in v:
                i = v.index(TATWEEL)
                assert v[i - 1] not in RIGHT_JOINING_ONLY and v[i + 1] != " ", (name, v)


def test_folding_variants_cover_each_applicable_rule() -> None:
    for name in ALL_NAMES:
        variants = set(folding_variants(name))
        for hamza in HAMZA_FORMS:
            if hamza in name:
                assert name.replace(hamza, "ا") in variants, (name, hamza)
        if "ؤ" in name or "ئ" in name:
            assert name.replace("ؤ", "و").replace("ئ", "ي") in variants, name
        if name.startswith("ا"):
            assert {"أ" + name[1:], "إ" + name[1:]} <= variants, name
        if name.startswith("ال"):
            assert "ٱ" + name[1:] in variants, name
        if name[-1] in END_SWAPS:
            assert name[:-1] + END_SWAPS[name[-1]] in variants, name
        if " " in name:
            assert name.replace(" ", "  ", 1) in variants, name


def test_folding_variants_of_well_known_names() -> None:
    fatima = folding_variants("فاطمة")
    assert "فاطمه" in fatima  # ta marbuta
    assert "فَاطمة" in fatima  # tashkeel
    assert "فـاطمة" in fatima  # tatweel
    mustapha = folding_variants("مصطفى")
    assert "مصطفي" in mustapha  # alef maqsura
    assert "مـصطفى" in mustapha
    ahmed = folding_variants("أحمد")
    assert "احمد" in ahmed  # hamza
    assert any(TATWEEL in v for v in ahmed)
    abdallah = folding_variants("عبد الله")
    assert "عبد  الله" in abdallah  # doubled space
    assert "عبد اللة" in abdallah  # final ha written as ta marbuta
    assert "عـبد الله" in abdallah
    # Hamza on a leading alef, and the wasla of the article.
    assert "ادريس" in folding_variants("إدريس")
    assert "ٱلعلوي" in folding_variants("العلوي")
    assert {"أمحمد", "إمحمد"} <= set(folding_variants("امحمد"))
    assert "فواد" in folding_variants("فؤاد")
    assert "وايل" in folding_variants("وائل")


def test_error_variants_of_well_known_names() -> None:
    assert "عبدالله" in error_variants("عبد الله")  # compound written as one word
    assert "مسطفى" in error_variants("مصطفى")  # confused letter
    assert "أهمد" in error_variants("أحمد")
    assert "فطمة" in error_variants("فاطمة")  # dropped letter


def test_folding_variants_fold_only_the_contract_letters() -> None:
    """Removing marks and folding letters of a variant gives the name back, up to spaces."""
    table = {ord(ch): None for ch in REMOVED_MARKS} | {
        ord(src): dst for src, dst in FOLDED_LETTERS.items()
    }
    for name in ALL_NAMES:
        for v in folding_variants(name):
            assert " ".join(v.translate(table).split()) == " ".join(name.translate(table).split())


# --------------------------------------------------------------------------------------
# names(): the flattened name sets


def check_layout(ns: NameSet, arabic: list[str], latin: list[tuple[str, ...]]) -> None:
    text = [str(t) for t in ns.text.to_pylist()]
    assert len(ns.start) == len(ns.n_fold) == len(ns.n_err) == len(arabic)
    assert len(ns.key) == len(text)
    assert ns.start[0] == 0
    ends = ns.start + 1 + ns.n_fold + ns.n_err
    assert np.array_equal(ns.start[1:], ends[:-1])
    assert ends[-1] == len(text)
    for i, name in enumerate(arabic):
        s, f, e = int(ns.start[i]), int(ns.n_fold[i]), int(ns.n_err[i])
        assert text[s] == name
        assert text[s + 1 : s + 1 + f] == folding_variants(name)
        assert text[s + 1 + f : s + 1 + f + e] == error_variants(name)
        assert (ns.key[s + 1 : s + 1 + f] == ns.key[s]).all()
        assert (ns.key[s + 1 + f : s + 1 + f + e] != ns.key[s]).all()
    lat = [str(t) for t in ns.latin.to_pylist()]
    assert len(ns.latin_start) == len(ns.latin_count) == len(latin)
    assert ns.latin_start[0] == 0
    assert (ns.latin_count >= 1).all()
    assert np.array_equal(ns.latin_start[1:], (ns.latin_start + ns.latin_count)[:-1])
    assert int(ns.latin_start[-1] + ns.latin_count[-1]) == len(lat)
    for i, spellings in enumerate(latin):
        s, c = int(ns.latin_start[i]), int(ns.latin_count[i])
        assert tuple(lat[s : s + c]) == spellings


def check_keys(ns: NameSet) -> None:
    """Key ids are equal exactly when normalize_arabic gives the same text."""
    ids_of: defaultdict[str, set[int]] = defaultdict(set)
    texts_of: defaultdict[int, set[str]] = defaultdict(set)
    for form, key in zip(ns.text.to_pylist(), ns.key.tolist(), strict=True):
        norm = normalize_arabic(str(form))
        ids_of[norm].add(key)
        texts_of[key].add(norm)
    assert all(len(ids) == 1 for ids in ids_of.values())
    assert all(len(texts) == 1 for texts in texts_of.values())
    assert len(ids_of) == len(texts_of)


def test_given_layout(nameset: Names) -> None:
    given = load_given_names()
    check_layout(nameset.given, [g.arabic for g in given], [g.latin for g in given])


def test_family_layout(nameset: Names) -> None:
    family = load_family_names()
    check_layout(nameset.family, [f.arabic for f in family], [f.latin for f in family])


def test_given_key_ids_agree_with_normalization(nameset: Names) -> None:
    check_keys(nameset.given)


def test_family_key_ids_agree_with_normalization(nameset: Names) -> None:
    check_keys(nameset.family)


def test_weights_are_probabilities(nameset: Names) -> None:
    for ns, raw in (
        (nameset.given, [g.weight for g in load_given_names()]),
        (nameset.family, [f.weight for f in load_family_names()]),
    ):
        assert ns.weight.sum() == pytest.approx(1.0)
        assert (ns.weight > 0).all()
        assert np.allclose(ns.weight, np.array(raw) / sum(raw))


def test_male_and_female_partition_the_given_names(nameset: Names) -> None:
    sexes = [g.sex for g in load_given_names()]
    assert sorted([*nameset.male.tolist(), *nameset.female.tolist()]) == list(range(len(sexes)))
    assert all(sexes[i] == "M" for i in nameset.male)
    assert all(sexes[i] == "F" for i in nameset.female)
    for ids in (nameset.male, nameset.female):
        p = nameset.given_probabilities(ids)
        assert p.sum() == pytest.approx(1.0)
        assert np.allclose(p, nameset.given.weight[ids] / nameset.given.weight[ids].sum())


def test_names_is_cached(nameset: Names) -> None:
    assert names() is nameset


def test_build_nameset_on_a_small_list() -> None:
    ns = build_nameset(
        ["أحمد", "احمد", "مصطفى"], [("AHMED", "AHMAD"), ("AHMED",), ("MUSTAPHA",)], [1, 1, 2]
    )
    assert ns.key[ns.start[0]] == ns.key[ns.start[1]]  # same key across two names
    assert ns.key[ns.start[0]] != ns.key[ns.start[2]]
    assert ns.latin.to_pylist() == ["AHMED", "AHMAD", "AHMED", "MUSTAPHA"]
    assert ns.latin_start.tolist() == [0, 2, 3]
    assert ns.latin_count.tolist() == [2, 1, 1]
    assert ns.weight.tolist() == [0.25, 0.25, 0.5]
    check_keys(ns)
