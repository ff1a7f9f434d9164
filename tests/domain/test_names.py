"""The contract's *name key* normalisation, its DuckDB SQL twin, and the bundled name lists."""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import Any

import pytest

from sijill.domain import names
from sijill.domain.names import (
    FOLDED_LETTERS,
    REMOVED_MARKS,
    FamilyName,
    GivenName,
    load_family_names,
    load_given_names,
    name_key,
    name_key_sql,
    normalize_arabic,
    normalize_arabic_sql,
    normalize_arabic_sql_is_exact,
    sql_exact_alphabet,
)

FATHA, KASRA, DAMMA, SHADDA, SUKUN = "\u064e", "\u0650", "\u064f", "\u0651", "\u0652"
FATHATAN, SUPERSCRIPT_ALEF, HAMZA_ABOVE, TATWEEL = "\u064b", "\u0670", "\u0654", "\u0640"
NBSP, EM_SPACE, IDEOGRAPHIC_SPACE = "\u00a0", "\u2003", "\u3000"

# --------------------------------------------------------------------------------------
# normalize_arabic: each rule of the contract, on real names.


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # hamza forms of alef (and wasla) -> bare alef
        ("أحمد", "احمد"),
        ("إدريس", "ادريس"),
        ("آدم", "ادم"),
        ("ٱلعلوي", "العلوي"),
        ("أمينة", "امينه"),
        # alef maqsura -> yeh
        ("مصطفى", "مصطفي"),
        ("يحيى", "يحيي"),
        # ta marbuta -> heh
        ("فاطمة", "فاطمه"),
        ("فاطمة الزهراء", "فاطمه الزهراء"),
        # hamza on waw / on yeh
        ("مؤمن", "مومن"),
        ("فؤاد", "فواد"),
        ("هانئ", "هاني"),
        ("عائشة", "عايشه"),
        # tashkeel, shadda, tanween, superscript alef
        ("مُحَمَّد", "محمد"),
        ("عَبْدُ اللهِ", "عبد الله"),
        ("سَعِيدٌ", "سعيد"),
        ("رَحْمٰن", "رحمن"),
        # tatweel
        ("محـــمد", "محمد"),
        ("العـلـوي", "العلوي"),
        # standalone hamza is a letter, kept
        ("أسماء", "اسماء"),
        ("زكرياء", "زكرياء"),
        # white space: runs collapse, ends are trimmed, every kind of space counts
        ("عبد  الله", "عبد الله"),
        ("  محمد\tأمين \n", "محمد امين"),
        (f"محمد{NBSP}{EM_SPACE}العلوي{IDEOGRAPHIC_SPACE}", "محمد العلوي"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_arabic_rules(written: str, expected: str) -> None:
    assert normalize_arabic(written) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("أحمد", "احمد"),
        ("فاطمة", "فاطمه"),
        ("مصطفى", "مصطفي"),
        ("مُحَمَّد", "محمد"),
        ("محـــمد", "محمد"),
        ("ٱلعلوي", "العلوي"),
        ("مؤمن", "مومن"),
        ("هانئ", "هاني"),
        ("إبراهيم", "ابراهيم"),
        ("عبد   الرحيم", "عبد الرحيم"),
    ],
)
def test_spelling_variants_fold_together(left: str, right: str) -> None:
    assert normalize_arabic(left) == normalize_arabic(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("حسن", "حسين"),
        ("محمد", "أحمد"),
        ("سعد", "سعيد"),
        ("عمر", "عمرو"),
        ("امحمد", "محمد"),
        ("حليمة", "حليم"),  # ta marbuta folds to heh, it does not disappear
        ("أسماء", "أسما"),  # standalone hamza is not removed
        ("عبد الله", "عبدالله"),  # the space is significant
        ("بناني", "بنان"),
    ],
)
def test_distinct_names_stay_distinct(left: str, right: str) -> None:
    assert normalize_arabic(left) != normalize_arabic(right)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("\ufefb", "لا"),  # ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM
        ("\ufef7", "لا"),  # lam-alef with hamza above: NFKC -> لأ, then أ -> ا
        ("\ufee3\ufea4\ufee4\ufeaa", "محمد"),  # initial/medial/final presentation forms
        ("\ufe8d\ufedf\ufecc\ufee0\ufeee\ufef1", "العلوي"),
        ("\ufe93", "ه"),  # ta marbuta isolated form -> ة -> ه
        ("\ufef0", "ي"),  # alef maqsura final form -> ى -> ي
        ("\ufdf2", "الله"),  # ARABIC LIGATURE ALLAH ISOLATED FORM
        ("عبد\ufdf2", "عبدالله"),
        ("\ufe77", ""),  # FATHA MEDIAL FORM = tatweel + fatha: both removed
        ("محمد\ufe76العلوي", "محمد العلوي"),  # FATHA ISOLATED FORM = space + fatha
        ("\u0675", "ا\u0674"),  # HIGH HAMZA ALEF -> alef + high hamza (a letter, kept)
        ("\uff21\uff22", "AB"),  # full-width Latin
        ("\u0627\u0653", "ا"),  # decomposed madda: NFKC composes آ, which folds to ا
        ("\u0648\u0654", "و"),  # decomposed hamza on waw
    ],
)
def test_nfkc_compatibility_characters(written: str, expected: str) -> None:
    assert normalize_arabic(written) == expected


def test_normalize_is_idempotent_on_every_listed_name() -> None:
    for arabic in _all_arabic_names():
        once = normalize_arabic(arabic)
        assert normalize_arabic(once) == once


def test_rule_tables_match_the_contract() -> None:
    assert {ord(c) for c in REMOVED_MARKS} == {*range(0x064B, 0x0660), 0x0670, 0x0640}
    assert FOLDED_LETTERS == {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
    }


def test_white_space_table_is_complete() -> None:
    # normalize_arabic_sql relies on every Python white-space character being <= U+3000.
    python_ws = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(names._WHITESPACE) == python_ws


# --------------------------------------------------------------------------------------
# name_key


def test_name_key_joins_and_normalizes() -> None:
    assert name_key("مُحَمَّد أمين", " العلوي ") == "محمد امين العلوي"
    assert name_key("فاطمة الزهراء", "التازي") == "فاطمه الزهراء التازي"
    assert name_key("فاطمة", "بناني") == name_key("فاطمه ", "  بناني")


def test_name_key_reads_none_as_empty() -> None:
    assert name_key(None, "بناني") == "بناني"
    assert name_key("محمد", None) == "محمد"
    assert name_key(None, None) == ""
    assert name_key("", "") == ""


def test_name_key_keeps_first_and_last_apart() -> None:
    assert name_key("عبد", "الله") == "عبد الله"
    assert name_key("عبد الله", "") != name_key("عبدالله", "")


# --------------------------------------------------------------------------------------
# The bundled name lists.

LATIN_SPELLING = re.compile(r"[A-Z]+(?:[ -][A-Z]+)*")
ARABIC_NAME = re.compile(r"[\u0621-\u063a\u0641-\u064a]+(?: [\u0621-\u063a\u0641-\u064a]+)*")


def _raw_rows(file_name: str) -> tuple[list[str], list[list[str]]]:
    text = resources.files("sijill.domain").joinpath("data", file_name).read_text("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


def _all_arabic_names() -> Iterator[str]:
    yield from (g.arabic for g in load_given_names())
    yield from (f.arabic for f in load_family_names())


@pytest.mark.parametrize(
    ("file_name", "header"),
    [
        ("given_names.csv", ["arabic", "sex", "weight", "latin"]),
        ("family_names.csv", ["arabic", "weight", "latin"]),
    ],
)
def test_csv_shape(file_name: str, header: list[str]) -> None:
    found_header, rows = _raw_rows(file_name)
    assert found_header == header
    assert rows
    for row in rows:
        assert len(row) == len(header), row
        assert all(field and field == field.strip() for field in row), row
    assert len({tuple(row) for row in rows}) == len(rows), "duplicated rows"


def test_given_names_load() -> None:
    given = load_given_names()
    assert all(isinstance(g, GivenName) for g in given)
    sexes = Counter(g.sex for g in given)
    assert set(sexes) == {"M", "F"}
    assert sexes["M"] >= 120
    assert sexes["F"] >= 120
    assert len(given) == len(_raw_rows("given_names.csv")[1])


def test_family_names_load() -> None:
    family = load_family_names()
    assert all(isinstance(f, FamilyName) for f in family)
    assert len(family) >= 300
    assert len(family) == len(_raw_rows("family_names.csv")[1])


def test_loaders_are_cached_but_hand_out_fresh_lists() -> None:
    first = load_given_names()
    first.clear()
    assert load_given_names()
    assert load_given_names()[0] is load_given_names()[0]
    assert load_family_names()[0] is load_family_names()[0]


@pytest.mark.parametrize("loader", [load_given_names, load_family_names])
def test_arabic_fields(loader: Any) -> None:
    rows = loader()
    for row in rows:
        assert ARABIC_NAME.fullmatch(row.arabic), row.arabic
    arabic = [row.arabic for row in rows]
    assert len(set(arabic)) == len(arabic), [a for a, n in Counter(arabic).items() if n > 1]
    # Unique as name keys too: two rows never collapse onto the same key.
    keys = [normalize_arabic(a) for a in arabic]
    assert len(set(keys)) == len(keys), [k for k, n in Counter(keys).items() if n > 1]


@pytest.mark.parametrize("loader", [load_given_names, load_family_names])
def test_latin_fields_and_weights(loader: Any) -> None:
    for row in loader():
        assert isinstance(row.weight, int)
        assert row.weight > 0
        assert 2 <= len(row.latin) <= 6, row
        assert len(set(row.latin)) == len(row.latin), row
        for spelling in row.latin:
            assert LATIN_SPELLING.fullmatch(spelling), (row.arabic, spelling)


def test_given_name_frequencies_are_plausible() -> None:
    given = {g.arabic: g for g in load_given_names()}
    top_male = max((g for g in given.values() if g.sex == "M"), key=lambda g: g.weight)
    top_female = max((g for g in given.values() if g.sex == "F"), key=lambda g: g.weight)
    assert top_male.arabic == "محمد"
    assert top_female.arabic == "فاطمة"
    second = sorted((g.weight for g in given.values()), reverse=True)[1]
    assert given["محمد"].weight >= 2 * second
    assert "MOHAMMED" in given["محمد"].latin
    assert given["يوسف"].latin[0] == "YOUSSEF"
    assert given["فاطمة الزهراء"].sex == "F"
    assert given["عبد الله"].sex == "M"


def test_family_name_examples() -> None:
    family = {f.arabic: f for f in load_family_names()}
    assert family["العلوي"].latin[:2] == ("EL ALAOUI", "ALAOUI")
    assert "OUAZZANI" in family["الوزاني"].latin
    assert family["بناني"].latin[0] == "BENNANI"
    assert "TAZI" in family["التازي"].latin
    assert "AMZIANE" in family["أمزيان"].latin


# --------------------------------------------------------------------------------------
# The SQL form computes the same string as the Python form.


@pytest.fixture(scope="module")
def con() -> Iterator[Any]:
    duckdb = pytest.importorskip(
        "duckdb", reason="duckdb is not importable here: the SQL form cannot be checked"
    )
    connection = duckdb.connect()
    yield connection
    connection.close()


def _run_sql(con: Any, texts: Sequence[str | None]) -> list[tuple[str | None, bool | None]]:
    """normalize_arabic_sql and normalize_arabic_sql_is_exact of each text, in order."""
    query = (
        f"SELECT i, {normalize_arabic_sql('x')}, {normalize_arabic_sql_is_exact('x')} "
        "FROM (SELECT unnest(?::VARCHAR[]) AS x, unnest(range(?)) AS i) ORDER BY i"
    )
    rows = con.execute(query, [list(texts), len(texts)]).fetchall()
    assert [row[0] for row in rows] == list(range(len(texts)))
    return [(row[1], row[2]) for row in rows]


def _assert_sql_matches_python(con: Any, texts: list[str]) -> None:
    results = _run_sql(con, texts)
    mismatches = [
        (text, [f"U+{ord(c):04X}" for c in text], got, normalize_arabic(text))
        for text, (got, _) in zip(texts, results, strict=True)
        if got != normalize_arabic(text)
    ]
    assert not mismatches, mismatches[:10]
    assert all(exact for _, exact in results), "input outside the SQL-exact alphabet"


_PRESENTATION: dict[str, list[str]] = {}


def _presentation_forms() -> dict[str, list[str]]:
    """letter -> its contextual presentation forms (U+FE80-U+FEFC)."""
    if not _PRESENTATION:
        for cp in range(0xFE80, 0xFEFD):
            base = unicodedata.normalize("NFKC", chr(cp))
            if len(base) == 1:
                _PRESENTATION.setdefault(base, []).append(chr(cp))
    return _PRESENTATION


def _decorations(arabic: str, rng: random.Random) -> list[str]:
    """Ways the same name shows up in registers: marks, tatweel, hamza, spacing, glyphs."""
    marks = [FATHA, KASRA, DAMMA, SHADDA, SUKUN, FATHATAN, SUPERSCRIPT_ALEF]
    with_tashkeel = "".join(c + (rng.choice(marks) if c != " " else "") for c in arabic)
    middle = len(arabic) // 2
    with_tatweel = arabic[:middle] + TATWEEL * rng.randint(1, 4) + arabic[middle:]
    hamzated = arabic.translate(str.maketrans("ايهو", "أىةؤ"))
    hamza_alef = arabic.replace("ا", rng.choice("أإآٱ"))
    spaced = f"  {arabic.replace(' ', '   ')}\t{NBSP}"
    forms = _presentation_forms()
    glyphs = "".join(rng.choice(forms[c]) if c in forms else c for c in arabic)
    decomposed = unicodedata.normalize("NFD", arabic)
    combining_hamza = arabic.replace("أ", "ا" + HAMZA_ABOVE).replace("ؤ", "و" + HAMZA_ABOVE)
    return [
        arabic,
        with_tashkeel,
        with_tatweel,
        hamzated,
        hamza_alef,
        spaced,
        glyphs,
        decomposed,
        combining_hamza,
        f"{arabic} {arabic}",
        arabic.replace("لا", "\ufefb"),
    ]


def test_sql_matches_python_on_every_listed_name_and_its_decorations(con: Any) -> None:
    rng = random.Random(20240501)
    texts = [variant for arabic in _all_arabic_names() for variant in _decorations(arabic, rng)]
    _assert_sql_matches_python(con, texts)


def test_decorations_fold_back_to_the_plain_name() -> None:
    rng = random.Random(7)
    for arabic in _all_arabic_names():
        plain = normalize_arabic(arabic)
        doubled = f"{arabic} {arabic}"
        for variant in _decorations(arabic, rng):
            if variant != doubled:
                assert normalize_arabic(variant) == plain, (arabic, variant)


def test_sql_matches_python_on_every_exact_character(con: Any) -> None:
    _assert_sql_matches_python(con, sorted(sql_exact_alphabet()))


def test_sql_matches_python_on_pairs(con: Any) -> None:
    # NFKC composes and reorders across neighbouring characters: try every exact character
    # before and after every Arabic letter, mark and a few spaces.
    neighbours = sorted(
        REMOVED_MARKS
        | set(FOLDED_LETTERS)
        | {chr(c) for c in range(0x0621, 0x064B)}
        | {"\u0653", HAMZA_ABOVE, "\u0655", " ", NBSP, "\t", "\ufefb", "\ufe8d"}
    )
    alphabet = sorted(sql_exact_alphabet())
    texts = [a + b for a in alphabet for b in neighbours] + [
        b + a for a in alphabet for b in neighbours
    ]
    _assert_sql_matches_python(con, texts)


def test_sql_matches_python_on_random_strings(con: Any) -> None:
    rng = random.Random(12345)
    alphabet = sorted(sql_exact_alphabet())
    arabic = [chr(c) for c in range(0x0621, 0x0671)] + [" ", " ", " ", TATWEEL, "\ufefb"]
    texts = [
        "".join(rng.choice(alphabet if rng.random() < 0.3 else arabic) for _ in range(n))
        for n in (rng.randint(0, 20) for _ in range(20000))
    ]
    _assert_sql_matches_python(con, texts)


def test_sql_exactness_predicate_is_sound(con: Any) -> None:
    # Over the whole BMP and the Arabic mathematical symbols (which NFKC maps to letters):
    # whenever SQL and Python disagree, the predicate must say "not exact".
    texts = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    texts += [chr(c) for c in range(0x1EE00, 0x1EF00)]
    texts += ["\u06d5" + HAMZA_ABOVE, "e\u0301", "\u0610\u0618", "abc\u0308"]
    results = _run_sql(con, texts)
    unsound = [
        f"U+{ord(t[0]):04X}"
        for t, (got, exact) in zip(texts, results, strict=True)
        if exact and got != normalize_arabic(t)
    ]
    assert not unsound
    # ... and it is not vacuous: the alphabet covers what registers contain.
    flagged = {t for t, (_, exact) in zip(texts, results, strict=True) if not exact}
    assert not flagged & set(sql_exact_alphabet())
    assert {"\u06d5" + HAMZA_ABOVE, "e\u0301", "\u0610\u0618", "abc\u0308"} <= flagged


def test_sql_null_and_empty(con: Any) -> None:
    assert _run_sql(con, [None, "", "   ", f"{TATWEEL}{FATHA}"]) == [
        (None, None),
        ("", True),
        ("", True),
        ("", True),
    ]


def test_name_key_sql_matches_name_key(con: Any) -> None:
    cases: list[tuple[str | None, str | None]] = [
        ("مُحَمَّد", "العلوي"),
        (None, "بناني"),
        ("فاطمة الزهراء", None),
        (None, None),
        ("  أمينة ", "\ufe8d\ufedf\ufe98\ufe8e\ufeb0\ufef2"),
    ]
    expr = name_key_sql("f", "l")
    for first, last in cases:
        query = f"SELECT {expr} FROM (SELECT ?::VARCHAR AS f, ?::VARCHAR AS l)"
        got = con.execute(query, [first, last]).fetchone()[0]
        assert got == name_key(first, last), (first, last)
