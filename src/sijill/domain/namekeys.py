"""Name keys for identity linkage: an Arabic skeleton, a Latin key and a cross-script key.

A person's name reaches the registers in Arabic script (``first_name_ar``, ``last_name_ar``)
and in one of several French-style Latin spellings (``MOHAMED``, ``MOHAMMED``, ``MOUHAMED``).
The contract's *name key* (:func:`sijill.domain.names.name_key`) only folds what Unicode and
hamza spelling make equivalent. For linkage we want coarser **blocking keys** - recall first,
but without merging everything:

* :func:`arabic_skeleton` - the contract normalisation, then the article, the alef of long
  *a*, final hamza, doubled letters, spaces and consonants that French spellings cannot tell
  apart are dropped or merged.
* :func:`latin_key` - a consonant skeleton of the Latin spelling with the vowel *classes* of
  its first and last syllable, and a flag for an inner *u*, built by rewriting rules that
  fold Moroccan transliteration variants (see ``docs/namekeys.md`` for the rule table and
  the measured coverage).
* :func:`transliterate` - Arabic to a Moroccan French-style Latin spelling, so a name known
  in one script only can be compared across scripts: ``latin_key(transliterate(ar))``.
* :func:`name_keys` - all of them for one person, for the linkage.

The Latin key is a fixed chain of regular-expression rewrites (:data:`LATIN_RULES`) that
Python's ``re`` and DuckDB's RE2 read the same way, so :func:`latin_key_sql` is an exact SQL
twin. The skeleton and the transliteration are Python only: they walk words and look at
neighbouring letters (and the transliteration consults the bundled name lists), which is
awkward in SQL; compute them on the few distinct names (a register has thousands of distinct
names for millions of rows) and join.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from sijill.domain.names import (
    REMOVED_MARKS,
    load_family_names,
    load_given_names,
    name_key,
    normalize_arabic,
)

__all__ = [
    "LATIN_RULES",
    "NameKeys",
    "arabic_skeleton",
    "latin_key",
    "latin_key_sql",
    "name_keys",
    "transliterate",
]

# --------------------------------------------------------------------------------------
# Arabic skeleton.

# The article. The transliteration reads the raw text, where إلياس or إلهام (hamza) is no
# article + name; the skeleton reads the contract's normal form, where they lost the hamza.
_ARTICLES = ("ال", "ٱل")
_ABD_JOINED = "عبدال"  # عبدالله typed as one word: the article is still there
_HAMZA = "ء"
_ALEF = "ا"

# Consonants a Latin spelling writes alike (ص/س -> S, ط/ت -> T, ض/ظ/ذ/د -> D, ث -> T,
# ح/ه -> H, ق/ك -> K) and that clerks confuse: merged, so that the skeleton is no finer
# than the Latin key on them.
_HOMOPHONES = str.maketrans(
    {"ص": "س", "ط": "ت", "ض": "د", "ظ": "د", "ذ": "د", "ث": "ت", "ح": "ه", "ق": "ك"}
)
_DOUBLED = re.compile(r"(.)\1+")


def _drop_article(word: str) -> str:
    """``الوزاني`` -> ``وزاني``; a word that would keep fewer than two letters is left alone."""
    if word.startswith(_ABD_JOINED) and len(word) > len(_ABD_JOINED) + 1:
        return "عبد" + word[len(_ABD_JOINED) :]
    for article in _ARTICLES:
        if word.startswith(article) and len(word) >= len(article) + 2:
            return word[len(article) :]
    return word


def _drop_inner_alef(word: str) -> str:
    """Drop the alef of long *a* inside a word.

    Spellings of long *a* vary (``عبد الرحمان`` / ``الرحمن`` with a dagger alef, that the
    contract already removes). A first alef is a hamza seat, a consonant (``أحمد`` is not
    ``حمد``); a last one ends the word like a Latin final A (``حسناء`` is not ``حسن``).
    Waw and yeh are kept: Arabic spelling always writes long *u* and *i*, and they alone
    tell ``حسين`` from ``حسن``, ``سعيد`` from ``سعد`` or ``سليمان`` from ``سلمان``.
    """
    if len(word) <= 2:
        return word
    return word[0] + word[1:-1].replace(_ALEF, "") + word[-1]


def arabic_skeleton(text: str | None) -> str:
    """Blocking key of an Arabic name: ``الوزاني``, ``وزاني`` and ``الوزّاني`` give ``وزني``.

    Steps: the contract normalisation (so two names with one contract key have one
    skeleton); drop the article ``ال`` at word starts; drop hamza on the line (``أسماء`` /
    ``أسما``); merge homophone consonants; drop inner alefs; remove spaces; collapse
    doubled letters. ``None`` reads as empty.
    """
    words = [_drop_article(w) for w in normalize_arabic(text or "").split()]
    folded = " ".join(words).replace(_HAMZA, "").translate(_HOMOPHONES)
    joined = "".join(_drop_inner_alef(w) for w in folded.split())
    return _DOUBLED.sub(r"\1", joined)


# --------------------------------------------------------------------------------------
# Latin key: rewriting rules shared by Python (re) and DuckDB (RE2).
#
# Lower-case letters and digits are markers that only the rules write (the input is
# upper-cased first): c = ش (CH/SH), x = خ (KH), g = غ (GH/RH), y = a consonant Y,
# digits = vowel classes at the edges, % = an inner u, resolved by the last rules.

_C = "[B-DF-HJ-NP-TV-XZ]"  # a consonant of the input (Y is folded before use)


def _collapse_rules() -> list[tuple[str, str]]:
    """``BB`` -> ``B`` for every consonant and marker (RE2 has no backreference in a
    pattern, so one alternative per letter, at most nine groups per rewrite)."""
    letters = "BCDFGHJKLMNPQRSTVWXYZcxgy"
    rules = []
    for start in range(0, len(letters), 9):
        chunk = letters[start : start + 9]
        pattern = "|".join(f"({ch}){ch}+" for ch in chunk)
        rules.append((pattern, "".join(f"\\{i + 1}" for i in range(len(chunk)))))
    return rules


_TOKEN_RULES: list[tuple[str, str]] = [
    # An abbreviated Mohamed on identity cards.
    (r"\b(MED|MHD)\b", "MOHAMED"),
    # A separate article before a name: EL ALAOUI, AIT EL HAJ, FATIMA EZ ZAHRA.
    (r"\b(EL|AL|ES|ET|EZ|ER|EN|ED|ECH|ESH|L) +([A-Z])", r"\2"),
    # A joined, assimilated article: ETTAZI, ESSOUSSI, ECHCHERKAOUI, NOUR EDDINE.
    (r"\bE(TT|SS|ZZ|RR|DD|NN|CHCH|SHSH)", r"\1"),
    # Y is a consonant only before a vowel at the very start (YOUSSEF); elsewhere it is a
    # vowel (MARYAM/MARIAM, AYMANE/AIMANE, ZAYNAB/ZAINAB, ILYAS/ILIAS).
    (r"^Y([AEIOU])", r"y\1"),
    (r"Y", "I"),
    # A prothetic first E/I before a consonant: IBRAHIM/BRAHIM, IDRISS/DRISS, ILHAM/ELHAM.
    (r"^[EI](" + _C + ")", r"\1"),
    # A first L before a vowel is read as the article (LAMRANI = EL AMRANI = AMRANI), and
    # as a side effect LATIFA is read as ATIFA, consistently.
    (r"^L([AEIOU]+" + _C + ")", r"\1"),
    # A joined article before a consonant: ELMEHDI, AIT ELHAJ, LMAATI, AIT LHAJ, BENLHAJ.
    (r"\bEL(" + _C + ")", r"\1"),
    (r"\bL(" + _C + ")", r"\1"),
    (r"BENE?L(" + _C + ")", r"BEN\1"),
    # Compound names are written with or without spaces (FATIMA ZAHRA / FATIMAZAHRA). The
    # space becomes a mark, removed after the digraphs: AIT HADDOU has no TH.
    (" ", "_"),
]

_CONSONANT_RULES: list[tuple[str, str]] = [
    (r"PH", "F"),
    (r"KH", "x"),  # خ stays apart from ك: KHALID is not KALID
    (r"[CS]H", "c"),
    (r"GU([EI])", r"K\1"),  # French GUE/GUI: GUENNOUNI (الكنوني), REGRAGUI (الركراكي)
    (r"GH|RH", "g"),  # غ: GHIZLANE / RHIZLANE
    (r"G", "K"),  # a Moroccan G is a voiced ق or ك (GUEDDARI = KADDARI)
    (r"DJ", "J"),
    (r"TH", "T"),
    (r"DH", "D"),
    (r"C([AEIY])", r"S\1"),  # NACER, YOUCEF, FAICAL (a lost cedilla)
    (r"C", "K"),  # YACOUBI
    (r"Q", "K"),
    (r"X", "KS"),
]

_VOWEL_RULES: list[tuple[str, str]] = [
    # OU before a vowel is the consonant W (OUAZZANI/WAZZANI, CHAOUI/CHAWI, MOUAD/MOAD);
    # W before a consonant is the vowel u (TAWFIK/TAOUFIK/TOUFIK, KAWTAR/KOUTAR).
    (r"OO", "U"),
    (r"O?UW", "W"),
    (r"(OU|U)([AEI])", r"W\2"),
    (r"O([AI])", r"W\1"),
    (r"W([^AEIOU]|$)", r"OU\1"),
    # The last syllable: a silent E (HASSANE), an H after a vowel (HAMZAH, FATIMAH), then
    # the class of the final vowels: 4 = -iya (NADIA, SAMIA), 1 = A (feminine -a: KARIMA
    # is not KARIM), 2 = I (nisba -i: HAMDI is not HAMID), 3 = U (HAMMOU).
    (r"([^AEIOU])E$", r"\1"),
    (r"([AEIOU])H$", r"\1"),
    (r"[AEIOU]*I[AEIOU]*A[AEIOU]*$", "4"),
    (r"[AEIOU]*A[AEIOU]*$", "1"),
    (r"[EIOU]*I[EIOU]*$", "2"),
    (r"[EOU]*[OU][EOU]*$", "3"),
    (r"E+$", ""),
    # The first syllable, by the last letter of the initial vowels (its first letters are
    # often an ain: AISSA/ISSA): 5 = A (AHMED is not HAMID), 6 = U (OUSSAMA is not ASMAA),
    # E/I dropped (IMANE, ISSAM/ESSAM/ISAM).
    (r"^[AEIOU]*A([^AEIOU])", r"5\1"),
    (r"^[AEIOU]*[OU]([^AEIOU])", r"6\1"),
    (r"^[AEIOU]*[EI]([^AEIOU])", r"\1"),
    # An inner o/u anywhere becomes one flag at the end: HASSAN is not HOUSSEIN, MHAMED is
    # not MOHAMED, while YOUSSEF/YOUSSOUF keep one key. Other inner vowels are dropped:
    # French spellings write a and i as A, E or I at will (MOHAMED/MOHAMMAD, KHALID/KHALED).
    (r"([^AEIOU])[AEI]*[OU][AEIOU]*", r"\1%"),
    (r"^([^%]*)%(.*)$", r"\1\2u"),
    (r"%", ""),
    (r"[AEIOU]+", ""),
    (r"4", "IA"),
]

#: The rewriting chain of :func:`latin_key` (after accents, separators and upper case), as
#: (pattern, replacement) pairs that ``re.sub`` and DuckDB ``regexp_replace(.., 'g')`` both
#: apply the same way: no lookaround, no backreference, no pattern matching "".
LATIN_RULES: tuple[tuple[str, str], ...] = tuple(
    _TOKEN_RULES
    + _collapse_rules()
    + _CONSONANT_RULES
    + [("_", "")]
    + _collapse_rules()
    + [("ABD[AEOU]L", "ABD")]  # ABDERRAHIM = ABDELRAHIM, ABDELAZIZ = ABDULAZIZ
    + _collapse_rules()
    + _VOWEL_RULES
)

# Markers left by the rules -> letters of the key.
_MARKERS_FROM, _MARKERS_TO = "12356cxgy", "AIUAUCXGY"
_MARKERS = str.maketrans(_MARKERS_FROM, _MARKERS_TO)

# Folding: accents off, apostrophes out (M'HAMED), any other non-letter is a separator.
_FOLD_RULES: tuple[tuple[str, str], ...] = (
    ("['’`ʼ]", ""),
    ("[^A-Za-z]+", " "),
    ("^ +| +$", ""),
)

_COMPILED_FOLD = tuple((re.compile(p), r) for p, r in _FOLD_RULES)
_COMPILED_RULES = tuple((re.compile(p), r) for p, r in LATIN_RULES)


def _strip_accents(text: str) -> str:
    """Canonical decomposition minus combining marks: what DuckDB's strip_accents does."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _rewrite(value: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, replacement in rules:
        value = pattern.sub(replacement, value)
    return value


@functools.lru_cache(maxsize=1 << 16)
def latin_key(text: str | None) -> str:
    """Blocking key of a Latin-script name: ``EL OUAZZANI``, ``WAZZANI`` -> ``WZNI``.

    Upper-case consonants with the edge vowels (leading ``A``/``U``, final ``A``/``I``/``U``
    /``IA``) and a trailing ``u`` when an inner o/u is written; ``CH``/``SH`` -> ``C``,
    ``KH`` -> ``X``, ``GH``/``RH`` -> ``G``. ``None`` reads as empty.
    """
    folded = _rewrite(_strip_accents(text or ""), _COMPILED_FOLD).upper()
    return _rewrite(folded, _COMPILED_RULES).translate(_MARKERS)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_rewrite(sql: str, rules: tuple[tuple[str, str], ...]) -> str:
    for pattern, replacement in rules:
        sql = f"regexp_replace({sql}, {_sql_literal(pattern)}, {_sql_literal(replacement)}, 'g')"
    return sql


def latin_key_sql(expr: str) -> str:
    """A DuckDB SQL expression computing :func:`latin_key` of the VARCHAR ``expr``.

    ``expr`` is inserted once. NULL gives NULL (Python reads ``None`` as empty). Equal to
    the Python form on every input whose letters are ASCII or Latin letters with
    diacritics (``strip_accents`` and Unicode NFD agree there; the tests check it). It is
    about fifty regex passes (~12 µs a row on one core): key the DISTINCT spellings and join.
    """
    folded = f"upper({_sql_rewrite(f'strip_accents({expr})', _FOLD_RULES)})"
    rewritten = _sql_rewrite(folded, LATIN_RULES)
    return f"translate({rewritten}, {_sql_literal(_MARKERS_FROM)}, {_sql_literal(_MARKERS_TO)})"


# --------------------------------------------------------------------------------------
# Transliteration, Arabic -> Moroccan French-style Latin.

_LATIN_CONSONANTS = {
    "ب": "B", "ت": "T", "ث": "T", "ج": "J", "ح": "H", "خ": "KH", "د": "D", "ذ": "D",
    "ر": "R", "ز": "Z", "س": "S", "ش": "CH", "ص": "S", "ض": "D", "ط": "T", "ظ": "D",
    "غ": "GH", "ف": "F", "ق": "K", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H",
}  # fmt: skip
_SUN_LETTERS = frozenset("تثدذرزسشصضطظن")  # ل is a sun letter too, but EL L... reads better
_ALEFS = frozenset("اأآٱ")
_FILLER = "A"  # short vowels are not written in Arabic: one between any two consonants


# Letters read the same everywhere; ء (hamza on the line) is silent: أسماء ASMAA.
_FIXED_VOWELS = {
    "ا": "A", "أ": "A", "آ": "A", "ٱ": "A", "ى": "A", "إ": "I", "ؤ": "OU", "ئ": "I", "ء": "",
}  # fmt: skip


def _strip_marks(text: str) -> str:
    """NFKC without tashkeel and tatweel, hamza letters kept (unlike the contract key)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch not in REMOVED_MARKS)


def _glide(word: str, i: int) -> tuple[str, bool]:
    """Latin for ة ع و ي, which depend on their neighbours; True when read as a consonant."""
    ch, first, last = word[i], i == 0, i == len(word) - 1
    prev, nxt = word[i - 1] if not first else "", word[i + 1] if not last else ""
    if ch == "ة":
        return ("T", True) if prev in _ALEFS else ("A", False)  # نجاة NAJAT, فاطمة FATIMA
    if ch == "ع":
        return ("", False) if last and not first else ("A", False)  # ربيع RABIE, عمر AMAR
    if ch == "و":
        return ("W", True) if first else ("OU", False)  # وليد WALID; يوسف YOUSSEF
    glide = first or _ALEF in (prev, nxt)  # ي: ياسين, زياد, حياة; سعيد SAID
    return ("Y", True) if glide else ("I", False)


def _letter(word: str, i: int) -> tuple[str, bool]:
    """Latin for one letter, and whether it is a consonant (a filler vowel may precede)."""
    ch = word[i]
    if ch in _LATIN_CONSONANTS:
        return _LATIN_CONSONANTS[ch], True
    if ch in _FIXED_VOWELS:
        return _FIXED_VOWELS[ch], False
    return _glide(word, i) if ch in "ةعوي" else ("", False)


def _word_letters(word: str) -> str:
    """One word, letter by letter, with a filler vowel between two consonants."""
    if word.startswith("أو") and len(word) > 2:  # Amazigh OU- (son of): أوعلي OUALI
        return "OU" + _word_letters(word[2:])
    out: list[str] = []
    after_consonant = False
    for i in range(len(word)):
        latin, is_consonant = _letter(word, i)
        if is_consonant and after_consonant:
            out.append(_FILLER)
        out.append(latin)
        after_consonant = is_consonant if latin else after_consonant
    return "".join(out)


def _article_word(rest: str) -> str:
    """``ال`` + rest, assimilated before a sun letter: ETTAZI, ECHCHERKAOUI, EL ALAOUI."""
    if rest[0] in _SUN_LETTERS:
        return "E" + _LATIN_CONSONANTS[rest[0]] + _word_letters(rest)
    return "EL " + _word_letters(rest)


def _split_article(word: str) -> str | None:
    """The word after its article, or None when it has none."""
    bare = _drop_article(word)
    return bare if bare != word and not word.startswith(_ABD_JOINED) else None


def _rule_word(word: str) -> str:
    """One word by the letter rules; ``عبد`` keeps its Moroccan form ABD (BENABDELLAH)."""
    rest = _split_article(word)
    if rest is not None:
        return _article_word(rest)
    if word.startswith(_ABD_JOINED):
        return "ABD" + _article_word(word[len(_ABD_JOINED) :]).replace(" ", "")
    if word.endswith("عبد"):
        return _word_letters(word[: -len("عبد")]) + "ABD"
    return _word_letters(word)


def _transliterate_words(words: list[str], *, dictionary: bool) -> str:
    """Word by word (a known word from the dictionary); ``عبد`` joins the next article."""
    out: list[str] = []
    for word in words:
        known = _lookup(word) if dictionary else None
        if known is None and out and out[-1].endswith("ABD") and _split_article(word):
            out[-1] += _rule_word(word).replace(" ", "")  # عبد الرحيم -> ABDERRAHIM
        else:
            out.append(known if known is not None else _rule_word(word))
    return " ".join(out)


@functools.cache
def _dictionary() -> tuple[dict[str, str], dict[str, str]]:
    """Bundled names -> their usual spelling, by contract key and by skeleton.

    A skeleton shared by several names goes to the most frequent one.
    """
    by_key: dict[str, str] = {}
    by_skeleton: dict[str, tuple[int, str]] = {}
    names = [(g.arabic, g.weight, g.latin[0]) for g in load_given_names()]
    names += [(f.arabic, f.weight, f.latin[0]) for f in load_family_names()]
    for arabic, weight, latin in names:
        by_key.setdefault(normalize_arabic(arabic), latin)
        skeleton = arabic_skeleton(arabic)
        if weight > by_skeleton.get(skeleton, (-1, ""))[0]:
            by_skeleton[skeleton] = (weight, latin)
    return by_key, {s: latin for s, (_, latin) in by_skeleton.items()}


def _lookup(arabic: str) -> str | None:
    by_key, by_skeleton = _dictionary()
    found = by_key.get(normalize_arabic(arabic))
    return found if found is not None else by_skeleton.get(arabic_skeleton(arabic))


@functools.lru_cache(maxsize=1 << 16)
def transliterate(arabic: str | None, *, dictionary: bool = True) -> str:
    """Arabic name -> Latin in the Moroccan French style of identity cards.

    With ``dictionary`` (the default) a name of the bundled lists, or one with the same
    contract key or skeleton, gets its usual spelling (``محمد`` -> ``MOHAMED``); other names,
    word by word, get the letter rules: ``ش`` -> CH, ``خ`` -> KH, ``غ`` -> GH, ``ق`` -> K,
    ``ج`` -> J, ``و`` -> OU or W, ``ي`` -> I or Y, ``ة`` -> A, ``ع`` -> A, the article
    ``ال`` -> EL or assimilated (ETTAZI). Short vowels are not written in Arabic, so the
    rules put an A between two consonants (``صفية`` -> ``SAFIA`` but ``عمر`` -> ``AMAR``).
    """
    words = _strip_marks(arabic or "").split()
    whole = _lookup(" ".join(words)) if dictionary and words else None
    return whole if whole is not None else _transliterate_words(words, dictionary=dictionary)


# --------------------------------------------------------------------------------------
# All keys of one person.


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The name keys of one person, for blocking and comparison in the linkage."""

    name_key: str  # the contract's key of the Arabic full name
    first_skeleton: str
    last_skeleton: str
    first_latin: str
    last_latin: str
    first_cross: str  # latin_key(transliterate(first_name_ar))
    last_cross: str


def name_keys(
    first_ar: str | None, last_ar: str | None, first_lat: str | None, last_lat: str | None
) -> NameKeys:
    """Every key of a person's names (``None`` reads as empty)."""
    return NameKeys(
        name_key=name_key(first_ar, last_ar),
        first_skeleton=arabic_skeleton(first_ar),
        last_skeleton=arabic_skeleton(last_ar),
        first_latin=latin_key(first_lat),
        last_latin=latin_key(last_lat),
        first_cross=latin_key(transliterate(first_ar)),
        last_cross=latin_key(transliterate(last_ar)),
    )
