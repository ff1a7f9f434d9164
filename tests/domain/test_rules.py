"""sijill.domain.rules: the validation gates, pinned by examples and by properties.

The strategies build households a counter really sees (a head, a spouse, children, a
grandparent...) with ages consistent with their relations and every member in the RNP;
each property then breaks one thing and expects exactly the matching violation.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijill import i18n
from sijill.domain import rules
from sijill.domain.rules import Household, PersonRow, Registered, Violation

TODAY = dt.date(2026, 6, 30)
GIVEN = [
    ("محمد", "MOHAMMED", "M"),
    ("فاطمة الزهراء", "FATIMA ZAHRA", "F"),
    ("يوسف", "YOUSSEF", "M"),
    ("خديجة", "KHADIJA", "F"),
    ("عبد الله", "ABDELLAH", "M"),
    ("أمينة", "AMINA", "F"),
]
FAMILY = [
    ("العلوي", "ALAOUI"),
    ("بناني", "BENNANI"),
    ("الإدريسي", "IDRISSI"),
    ("أمزيان", "AMZIANE"),
]
Key = tuple[str, str, int | None]


def said(violation: Violation, language: str) -> str:
    """The violation as a reader of `language` reads it, on a page or from the API."""
    return violation.as_message().render(i18n.translator(language))


def keys(found: list[Violation]) -> set[Key]:
    return {(v.rule, v.field, v.row) for v in found}


def years_before(date: dt.date, years: int) -> dt.date:
    return date.replace(year=date.year - years, day=min(date.day, 28))


@st.composite
def person(draw: st.DrawFn, relation: str, born: st.SearchStrategy[dt.date]) -> PersonRow:
    first_ar, first_lat, sex = draw(st.sampled_from(GIVEN))
    last_ar, last_lat = draw(st.sampled_from(FAMILY))
    return PersonRow(first_ar, last_ar, first_lat, last_lat, sex, draw(born), None, relation)


@st.composite
def households(draw: st.DrawFn) -> list[PersonRow]:
    head_birth = draw(st.dates(years_before(TODAY, 85), years_before(TODAY, 40)))
    adult = st.dates(years_before(TODAY, 90), years_before(TODAY, 18))
    members = [draw(person("head", st.just(head_birth)))]
    members += draw(st.lists(person("spouse", adult), max_size=1))
    after_head = st.dates(head_birth.replace(year=head_birth.year + 12), TODAY)
    members += draw(st.lists(person("child", after_head), max_size=5))
    grand = st.dates(head_birth.replace(year=head_birth.year + 24), TODAY)
    members += draw(st.lists(person("grandchild", grand), max_size=2))
    older = st.dates(rules.OLDEST_BIRTH, head_birth.replace(year=head_birth.year - 12))
    members += draw(st.lists(person("parent", older), max_size=2))
    members += draw(st.lists(person("sibling", st.dates(rules.OLDEST_BIRTH, TODAY)), max_size=2))
    ids = draw(
        st.lists(
            st.text(string.digits, min_size=10, max_size=10),
            min_size=len(members),
            max_size=len(members),
            unique=True,
        )
    )
    return [replace(m, idcs=i) for m, i in zip(members, ids, strict=True)]


def rnp_of(members: list[PersonRow]) -> dict[str, Registered]:
    return {
        m.idcs: Registered(m.idcs, m.first_name_ar, m.last_name_ar, m.sex, m.birth_date)
        for m in members
        if m.idcs and m.birth_date
    }


def check(members: list[PersonRow], **changes: object) -> set[Key]:
    rnp = changes.pop("rnp", rnp_of(members))
    household_of = changes.pop("household_of", {})
    assert isinstance(rnp, dict) and isinstance(household_of, dict)
    return keys(rules.household_gate(members, TODAY, rnp, household_of, "H1"))


# --- households ----------------------------------------------------------------------------


@given(households())
def test_a_consistent_household_passes(members: list[PersonRow]) -> None:
    assert check(members) == set()


@given(households(), st.data())
def test_a_birth_date_in_the_future_is_named_on_its_row(
    members: list[PersonRow], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(members) - 1))
    rnp = rnp_of(members)
    members[i] = replace(members[i], birth_date=TODAY + dt.timedelta(days=1))
    row = i + 1
    assert check(members, rnp=rnp) == {
        ("date_future", "birth_date", row),
        ("differs_from_rnp", "birth_date", row),
    }


@given(households(), st.data())
def test_a_member_of_another_household_is_refused(
    members: list[PersonRow], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(members) - 1))
    other = {str(members[0].idcs): "H1"}  # the head already belongs to this household
    other[str(members[i].idcs)] = "H2"
    assert check(members, household_of=other) == {("in_other_household", "idcs", i + 1)}


@given(households(), st.data())
def test_every_member_must_be_in_the_rnp(members: list[PersonRow], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(members) - 1))
    rnp = rnp_of(members)
    del rnp[str(members[i].idcs)]
    assert check(members, rnp=rnp) == {("not_in_rnp", "idcs", i + 1)}


@given(households())
def test_a_household_needs_exactly_one_head(members: list[PersonRow]) -> None:
    headless = [replace(members[0], relation="other"), *members[1:]]
    assert check(headless) == {("one_head", "relation", None)}
    two_heads = [*members, replace(members[0], idcs="9999999999", relation="head")]
    rnp = {
        **rnp_of(members),
        "9999999999": replace(rnp_of(members)[str(members[0].idcs)], idcs="9999999999"),
    }
    assert check(two_heads, rnp=rnp) == {("one_head", "relation", None)}


@given(households())
def test_a_child_older_than_the_head_allows_is_refused(members: list[PersonRow]) -> None:
    head = members[0]
    assert head.birth_date is not None
    child = replace(
        members[0],
        idcs="8888888888",
        relation="child",
        birth_date=head.birth_date.replace(year=head.birth_date.year + 5),
    )
    rnp = {**rnp_of(members), **rnp_of([child])}
    assert check([*members, child], rnp=rnp) == {
        ("younger_than_head", "birth_date", len(members) + 1)
    }


@given(households())
def test_names_differing_only_by_spelling_normalization_match_the_rnp(
    members: list[PersonRow],
) -> None:
    rnp = rnp_of(members)
    # Hamza seat, tatweel and tashkeel are folded by the contract's name key.
    written = [
        replace(m, first_name_ar="ـ".join(m.first_name_ar).replace("أ", "ا") + "َ") for m in members
    ]
    assert check(written, rnp=rnp) == set()
    renamed = [replace(members[0], first_name_ar="حسن"), *members[1:]]
    if members[0].first_name_ar != "حسن":
        assert check(renamed, rnp=rnp) == {("differs_from_rnp", "name_ar", 1)}


def test_an_empty_household_and_a_deceased_member_are_refused() -> None:
    assert keys(rules.household_gate([], TODAY, {}, {})) == {("no_members", "members", None)}
    head = PersonRow(
        "محمد", "العلوي", "MOHAMMED", "ALAOUI", "M", dt.date(1960, 1, 1), "0012345674", "head"
    )
    dead = Registered("0012345674", "محمد", "العلوي", "M", dt.date(1960, 1, 1), deceased=True)
    assert keys(rules.household_gate([head], TODAY, {"0012345674": dead}, {})) == {
        ("deceased", "idcs", 1)
    }


@given(
    st.lists(
        st.builds(
            PersonRow,
            st.text(max_size=8),
            st.text(max_size=8),
            st.text(max_size=8),
            st.text(max_size=8),
            st.text(max_size=2),
            st.none() | st.dates(),
            st.none() | st.text(max_size=12),
            st.text(max_size=10),
            st.none() | st.text(max_size=9),
            st.text(max_size=4),
        ),
        max_size=6,
    ),
    st.floats(allow_nan=False),
)
def test_gates_never_raise_and_every_violation_speaks_both_languages(
    people: list[PersonRow], score: float
) -> None:
    found = rules.household_gate(people, TODAY, {}, {})
    found += rules.amo_gate(people, Household("H1", score, tuple(people)), 9.3264284)
    for person_row in people:
        found += rules.registration_gate(person_row, TODAY)
    for violation in found:
        assert said(violation, "ar") and said(violation, "fr")


# --- AMO requests --------------------------------------------------------------------------


def beneficiaries_of(members: list[PersonRow]) -> list[PersonRow]:
    return [replace(m, relation=rules.AMO_RELATION_OF.get(m.relation, "other")) for m in members]


@given(households(), st.floats(0, 9.3264284))
def test_an_amo_request_listing_the_household_as_declared_passes(
    members: list[PersonRow], score: float
) -> None:
    household = Household("H1", score, tuple(members))
    assert rules.amo_gate(beneficiaries_of(members), household, 9.3264284) == []


@given(households(), st.floats(9.33, 20))
def test_a_household_above_the_threshold_is_refused(members: list[PersonRow], score: float) -> None:
    household = Household("H1", score, tuple(members))
    assert keys(rules.amo_gate(beneficiaries_of(members), household, 9.3264284)) == {
        ("above_threshold", "score", None)
    }


@given(households(), st.data())
def test_a_member_left_out_of_the_file_is_named(
    members: list[PersonRow], data: st.DataObject
) -> None:
    i = data.draw(st.integers(1, len(members) - 1)) if len(members) > 1 else None
    if i is None:
        return
    listed = beneficiaries_of(members)
    del listed[i]
    household = Household("H1", 8.0, tuple(members))
    assert keys(rules.amo_gate(listed, household, 9.3264284)) == {
        ("member_missing", "members", i + 1)
    }


@given(households(), st.data())
def test_a_beneficiary_must_match_the_rsu_declaration(
    members: list[PersonRow], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(members) - 1))
    listed = beneficiaries_of(members)
    born = listed[i].birth_date
    assert born is not None
    listed[i] = replace(listed[i], birth_date=born - dt.timedelta(days=1))
    household = Household("H1", 8.0, tuple(members))
    assert keys(rules.amo_gate(listed, household, 9.3264284)) == {
        ("differs_from_rsu", "birth_date", i + 1)
    }


def test_an_unknown_household_and_a_stranger_are_refused() -> None:
    assert keys(rules.amo_gate([], None, 9.3)) == {("household_unknown", "household_id", None)}
    head = PersonRow(
        "محمد", "العلوي", "MOHAMMED", "ALAOUI", "M", dt.date(1960, 1, 1), "0012345674", "head"
    )
    stranger = replace(head, idcs="0000000017", relation="insured")
    household = Household("H1", 5.0, (head,))
    assert keys(rules.amo_gate([stranger], household, 9.3)) == {
        ("not_a_member", "idcs", 1),
        ("member_missing", "members", 1),
    }


# --- the rules as data ---------------------------------------------------------------------


PARAMS = (
    ("allowed", "F, M"),
    ("count", "2"),
    ("years", "18"),
    ("score", "9.9"),
    ("threshold", "9.3"),
    ("variable", "refrigerator"),
)


@pytest.mark.parametrize("language", i18n.codes())
def test_every_message_id_of_the_rules_is_in_every_catalogue(language: str) -> None:
    assert sorted(set(rules.message_ids()) - i18n.message_ids(language)) == []


@pytest.mark.parametrize("language", i18n.codes())
def test_every_message_names_its_field_and_row_in_every_language(language: str) -> None:
    translate = i18n.translator(language)
    row = translate(rules.IN_ROW, None).format(row=3, problem="")
    for code in rules.RULES:
        for field, label in rules.FIELDS.items():
            text = said(Violation(code, field, 3, PARAMS), language)
            assert translate(label, None) in text and text.startswith(row), (code, field)
            assert "{" not in text and "refrigerator" not in text  # every word translated


def test_the_counters_arabic_and_french_wording_is_kept() -> None:
    head = Violation("one_head", "relation", None, (("count", "2"),))
    assert said(head, "fr") == (
        "Champ « lien de parenté » : le ménage doit avoir exactement un chef de ménage (2 trouvé)."
    )
    assert said(head, "ar") == (
        "«صلة القرابة»: يجب أن تضم الأسرة ربّ أسرة واحدًا بالضبط (العدد الحالي: 2)."
    )
    born = Violation("differs_from_rnp", "birth_date", 3)
    assert said(born, "fr") == (
        "Personne 3 : Le champ « date de naissance » diffère de celui inscrit au RNP."
    )
    assert said(born, "ar") == "الفرد 3: «تاريخ الازدياد» يختلف عما هو مسجل في السجل الوطني للسكان."
    answer = Violation("answer", "score", None, (("variable", "refrigerator"),))
    assert "« réfrigérateur »" in said(answer, "fr") and "«ثلاجة»" in said(answer, "ar")


def test_without_a_catalogue_a_violation_reads_in_english() -> None:
    found = Violation("younger_than_head", "birth_date", 2, (("years", "12"),))
    assert str(found.as_message()) == (
        "Person 2: Field “date of birth”: this person must be at least 12 years younger "
        "than the head of household."
    )


def test_a_saved_violation_reads_back_as_it_was() -> None:
    found = Violation("choice", "relation", 4, (("allowed", "head, spouse"),))
    saved = found.as_dict()
    assert saved == {
        "rule": "choice",
        "field": "relation",
        "row": 4,
        "params": {"allowed": "head, spouse"},
    }
    assert Violation.from_dict(saved) == found


def test_a_registration_checks_cin_and_nationality() -> None:
    person_row = PersonRow(
        "سعيد",
        "أمزيان",
        "SAID",
        "AMZIANE",
        "M",
        dt.date(1990, 3, 12),
        cin="be12",
        nationality="Maroc",
    )
    assert keys(rules.registration_gate(person_row, TODAY)) == {
        ("cin_format", "cin", None),
        ("iso3_format", "nationality", None),
    }
    latin_in_arabic = replace(person_row, first_name_ar="Said", cin="BE123456", nationality="MAR")
    assert keys(rules.registration_gate(latin_in_arabic, TODAY)) == {
        ("arabic_script", "first_name_ar", None)
    }
