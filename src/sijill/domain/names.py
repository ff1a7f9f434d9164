"""Arabic name normalisation (the contract's *name key*) and the bundled Moroccan name lists.

The contract (``docs/extracts.md``, "Definitions", *name key*) fixes the normalisation:

1. Unicode NFKC;
2. remove tashkeel (U+064B-U+065F, U+0670) and tatweel (U+0640);
3. fold ``أ إ آ ٱ`` -> ``ا``, ``ى`` -> ``ي``, ``ة`` -> ``ه``, ``ؤ`` -> ``و``, ``ئ`` -> ``ي``;
4. collapse runs of white space to one space and trim.

"White space" is what Python's :meth:`str.isspace` accepts (the set ``str.split()`` splits on);
the SQL form uses exactly the same set.

Two implementations are provided and must agree:

* :func:`normalize_arabic` - Python, used row by row and as the reference;
* :func:`normalize_arabic_sql` - a DuckDB SQL expression for the bulk path.

DuckDB has no NFKC, so the SQL form replaces NFKC by an explicit per-character table that
covers every compatibility character a register extract plausibly contains: the Arabic
presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF, lam-alef and other ligatures included),
the Arabic high-hamza letters (U+0675-U+0678), the Latin-1 compatibility characters and the
Unicode spaces. Rows without such a character take a fast path (no per-character work).

The SQL form is *exact* (same string as the Python form) for every input whose characters
all belong to :func:`sql_exact_alphabet`: ASCII, Latin-1, the Arabic block, the Arabic
Supplement, the presentation forms, zero-width format characters and all white space -
minus the characters where NFKC's canonical composition or mark reordering would make a
per-character table wrong: combining marks other than tashkeel, Latin-1 spacing accents
that NFKC turns into a combining mark, and the Persian/Urdu letters ``ە ہ ے`` that compose
with hamza into a different letter. :func:`normalize_arabic_sql_is_exact` is the matching
SQL predicate, so a caller can recompute the (normally zero) remaining rows with Python.
The tests check the equivalence exhaustively on that alphabet, on pairs and on random
strings, and that the predicate is sound over the whole BMP.
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "FOLDED_LETTERS",
    "REMOVED_MARKS",
    "FamilyName",
    "GivenName",
    "load_family_names",
    "load_given_names",
    "name_key",
    "name_key_sql",
    "normalize_arabic",
    "normalize_arabic_sql",
    "normalize_arabic_sql_is_exact",
    "sql_exact_alphabet",
]

# --------------------------------------------------------------------------------------
# The contract's rules, as data.

#: Tashkeel (U+064B-U+065F, U+0670) and tatweel (U+0640): removed.
REMOVED_MARKS: frozenset[str] = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]
)

#: Letters folded onto another letter.
FOLDED_LETTERS: dict[str, str] = {
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u064a",  # ئ -> ي
}

# After NFKC: one str.translate() does both the removals and the foldings.
_TABLE: dict[int, str | None] = {ord(ch): None for ch in REMOVED_MARKS}
_TABLE.update({ord(src): dst for src, dst in FOLDED_LETTERS.items()})

# Every character Python treats as white space lies at or below U+3000 (checked in tests).
_WHITESPACE: tuple[str, ...] = tuple(chr(c) for c in range(0x3001) if chr(c).isspace())


def normalize_arabic(text: str) -> str:
    """The contract's Arabic normalisation (NFKC, strip marks, fold letters, squeeze spaces)."""
    # unicodedata.normalize returns its argument untouched (after a quick check) when the
    # text is already NFKC, which is the common case.
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TABLE).split())


def name_key(first_name_ar: str | None, last_name_ar: str | None) -> str:
    """The *name key*: ``normalize_arabic(first + " " + last)``, ``None`` read as empty."""
    return normalize_arabic(f"{first_name_ar or ''} {last_name_ar or ''}")


# --------------------------------------------------------------------------------------
# SQL (DuckDB) form.
#
# Shape of the expression, for a VARCHAR x:
#
#   trim(regexp_replace(                                  -- 4. squeeze white space, trim
#     translate(                                          -- 3. fold the 8 letters
#       regexp_replace(                                   -- 2. drop tashkeel and tatweel
#         CASE WHEN regexp_matches(x, <compat chars>)     -- 1. NFKC stand-in, only on rows
#              THEN array_to_string([<lookup> for ch in string_split(x, '')], '')
#              ELSE x END,                                --    holding a compatibility char
#         <marks>, '', 'g'),
#       <8 letters>, <8 letters>),
#     <white space>+, ' ', 'g'))
#
# Step 1 maps each compatibility character through constant lists indexed by code point
# (O(1) per character). DuckDB's translate() is only used with 8 letters: its cost grows
# with the length of its `from` argument.


def _fold(text: str) -> str:
    """Marks removal + letter folding only (no NFKC, no white-space handling)."""
    return text.translate(_TABLE)


def _is_foreign_mark(ch: str) -> bool:
    """A combining mark the contract does not remove (NFKC may reorder or compose it)."""
    return unicodedata.combining(ch) != 0 and ch not in REMOVED_MARKS


# Blocks the SQL form is designed for (everything else is outside the exact alphabet).
_CANDIDATE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x00FF),  # ASCII + Latin-1
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x200B, 0x200F),  # zero-width space/joiners, LRM, RLM
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B (+ BOM)
)


@dataclass(frozen=True, slots=True)
class _SqlPlan:
    exact: frozenset[str]  # characters for which SQL == Python is guaranteed
    compat: dict[str, str]  # compatibility char -> its NFKC, already folded (may be "" or long)


@functools.cache
def _sql_plan() -> _SqlPlan:
    candidates = {
        chr(c)
        for lo, hi in _CANDIDATE_RANGES
        for c in range(lo, hi + 1)
        if unicodedata.category(chr(c)) not in ("Cn", "Cs")
    }
    candidates.update(_WHITESPACE)
    # Letters that canonically compose with a removed mark into a letter that does *not*
    # fold back to them (e.g. U+06D5 + U+0654 -> U+06C0): NFKC and "drop the mark" disagree.
    bad_primaries = {
        base
        for base in candidates
        if unicodedata.combining(base) == 0
        for mark in REMOVED_MARKS
        if len(composed := unicodedata.normalize("NFC", base + mark)) == 1
        and _fold(composed) != _fold(base)
    }
    exact: set[str] = set()
    compat: dict[str, str] = {}
    for ch in sorted(candidates):
        nfkc = unicodedata.normalize("NFKC", ch)
        if _is_foreign_mark(ch) or any(_is_foreign_mark(c) or c in bad_primaries for c in nfkc):
            continue
        exact.add(ch)
        if nfkc != ch and ch not in _WHITESPACE:  # white space: left to step 4
            compat[ch] = _fold(nfkc)
    return _SqlPlan(exact=frozenset(exact), compat=compat)


def sql_exact_alphabet() -> frozenset[str]:
    """Characters for which :func:`normalize_arabic_sql` is guaranteed to match Python."""
    return _sql_plan().exact


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _re2_class(chars: Iterable[str], *, negate: bool = False, repeat: bool = False) -> str:
    """An RE2 character class (``\\x{...}`` escapes, ranges merged) as a SQL literal."""
    points = sorted({ord(c) for c in chars})
    parts: list[str] = []
    for lo, hi in _runs(points, max_gap=1):
        parts.append(f"\\x{{{lo:X}}}" if lo == hi else f"\\x{{{lo:X}}}-\\x{{{hi:X}}}")
    return _sql_literal(
        "[" + ("^" if negate else "") + "".join(parts) + "]" + ("+" if repeat else "")
    )


def _runs(points: list[int], *, max_gap: int) -> list[tuple[int, int]]:
    """Group sorted code points into (first, last) spans whose inner gaps are <= max_gap."""
    spans: list[tuple[int, int]] = []
    for cp in points:
        if spans and cp - spans[-1][1] <= max_gap:
            spans[-1] = (spans[-1][0], cp)
        else:
            spans.append((cp, cp))
    return spans


@functools.cache
def _compat_sql() -> tuple[str, str]:
    """(regex literal matching any compatibility char, per-character lookup expression)."""
    compat = _sql_plan().compat
    branches: list[str] = []
    for lo, hi in _runs(sorted(ord(c) for c in compat), max_gap=64):
        items = [compat.get(chr(cp)) for cp in range(lo, hi + 1)]
        table = "[" + ", ".join("NULL" if v is None else _sql_literal(v) for v in items) + "]"
        branches.append(
            f"WHEN unicode(ch) BETWEEN {lo} AND {hi} "
            f"THEN coalesce({table}[unicode(ch) - {lo - 1}], ch)"
        )
    lookup = "CASE " + " ".join(branches) + " ELSE ch END"
    return _re2_class(compat), lookup


@functools.cache
def _fold_sql() -> tuple[str, str, str, str]:
    """(marks class, letters from, letters to, white-space class) as SQL literals."""
    letters = sorted(FOLDED_LETTERS)
    return (
        _re2_class(REMOVED_MARKS),
        _sql_literal("".join(letters)),
        _sql_literal("".join(FOLDED_LETTERS[c] for c in letters)),
        _re2_class(_WHITESPACE, repeat=True),
    )


def normalize_arabic_sql(expr: str) -> str:
    """A DuckDB SQL expression computing :func:`normalize_arabic` of the VARCHAR ``expr``.

    NULL stays NULL. ``expr`` is inserted verbatim three times, so pass a column reference
    or a cheap expression. Exact for inputs within :func:`sql_exact_alphabet` (see the
    module docstring); :func:`normalize_arabic_sql_is_exact` tests that in SQL.
    """
    compat_class, lookup = _compat_sql()
    marks, letters_from, letters_to, white = _fold_sql()
    x = f"({expr})"
    nfkc = (
        f"CASE WHEN regexp_matches({x}, {compat_class}) "
        f"THEN array_to_string([{lookup} for ch in string_split({x}, '')], '') "
        f"ELSE {x} END"
    )
    folded = f"translate(regexp_replace({nfkc}, {marks}, '', 'g'), {letters_from}, {letters_to})"
    return f"trim(regexp_replace({folded}, {white}, ' ', 'g'))"


def normalize_arabic_sql_is_exact(expr: str) -> str:
    """SQL predicate: true when :func:`normalize_arabic_sql` of ``expr`` equals the Python form.

    Rows where it is false (characters outside :func:`sql_exact_alphabet`) should be
    recomputed with :func:`normalize_arabic`. NULL gives NULL.
    """
    return f"NOT regexp_matches(({expr}), {_re2_class(sql_exact_alphabet(), negate=True)})"


def name_key_sql(first_expr: str, last_expr: str) -> str:
    """SQL form of :func:`name_key` (NULL names read as empty, never NULL)."""
    return normalize_arabic_sql(f"coalesce({first_expr}, '') || ' ' || coalesce({last_expr}, '')")


# --------------------------------------------------------------------------------------
# Bundled name lists.

_DATA_PACKAGE = "sijill.domain"
_GIVEN_FILE = "data/given_names.csv"
_FAMILY_FILE = "data/family_names.csv"


@dataclass(frozen=True, slots=True)
class GivenName:
    """A Moroccan given name: civil-register Arabic spelling and identity-card spellings."""

    arabic: str
    sex: str  # "M" or "F"
    weight: int  # rough relative frequency
    latin: tuple[str, ...]  # identity-card spellings, most common first


@dataclass(frozen=True, slots=True)
class FamilyName:
    """A Moroccan family name: civil-register Arabic spelling and identity-card spellings."""

    arabic: str
    weight: int
    latin: tuple[str, ...]


def _read_rows(name: str) -> list[dict[str, str]]:
    text = resources.files(_DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def _given_names() -> tuple[GivenName, ...]:
    return tuple(
        GivenName(
            arabic=row["arabic"],
            sex=row["sex"],
            weight=int(row["weight"]),
            latin=tuple(row["latin"].split("|")),
        )
        for row in _read_rows(_GIVEN_FILE)
    )


@functools.cache
def _family_names() -> tuple[FamilyName, ...]:
    return tuple(
        FamilyName(
            arabic=row["arabic"],
            weight=int(row["weight"]),
            latin=tuple(row["latin"].split("|")),
        )
        for row in _read_rows(_FAMILY_FILE)
    )


def load_given_names() -> list[GivenName]:
    """The bundled given names (file order). Parsed once; each call returns a fresh list."""
    return list(_given_names())


def load_family_names() -> list[FamilyName]:
    """The bundled family names (file order). Parsed once; each call returns a fresh list."""
    return list(_family_names())
