"""Every way the generator may write a name, with its contract name key known in advance.

For each Arabic name: the register's spelling, variants the contract's name key folds
(tashkeel, tatweel, hamza forms, ta marbuta, alef maqsura, doubled spaces), and errors it
does not fold (a confused letter, a dropped letter, a compound name written as one word).
Knowing each form's key id lets the generator state exactly which rows mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from sijill.domain.names import load_family_names, load_given_names, normalize_arabic

Ints = npt.NDArray[np.int64]

_FATHA, _SHADDA, _TATWEEL = "\u064e", "\u0651", "\u0640"
_NON_CONNECTING = set("اأإآٱدذرزوؤة ")
_CONFUSIONS = (
    ("ح", "ه"),
    ("ص", "س"),
    ("س", "ص"),
    ("ط", "ت"),
    ("ت", "ط"),
    ("ق", "ك"),
    ("ك", "ق"),
    ("ذ", "ز"),
    ("ز", "ذ"),
    ("ض", "د"),
    ("ع", "ا"),
)


def folding_variants(name: str) -> list[str]:
    """Spellings of `name` that the contract's normalization maps to the same key."""
    found = [name[0] + _FATHA + name[1:], name[0] + _SHADDA + _FATHA + name[1:]]
    joint = next(
        (i for i in range(len(name) - 1) if name[i] not in _NON_CONNECTING and name[i + 1] != " "),
        None,
    )
    if joint is not None:
        found.append(name[: joint + 1] + _TATWEEL + name[joint + 1 :])
    if name.startswith("ا"):
        found += ["أ" + name[1:], "إ" + name[1:]]
    if name.startswith("ال"):
        found.append("ٱ" + name[1:])
    for hamza in "أإآ":
        found.append(name.replace(hamza, "ا"))
    found.append(name.replace("ؤ", "و").replace("ئ", "ي"))
    ends = {"ة": "ه", "ه": "ة", "ى": "ي", "ي": "ى"}
    words = name.split(" ")
    for i, word in enumerate(words):  # "فاطمة الزهراء": the ending of each word
        if word and word[-1] in ends:
            found.append(" ".join([*words[:i], word[:-1] + ends[word[-1]], *words[i + 1 :]]))
    if " " in name:
        found.append(name.replace(" ", "  ", 1))
    key = normalize_arabic(name)
    return sorted({v for v in found if v != name and normalize_arabic(v) == key})


def error_variants(name: str) -> list[str]:
    """Plausible misspellings of `name` that the contract's normalization does NOT fold."""
    found = [name.replace(a, b, 1) for a, b in _CONFUSIONS if a in name]
    letters = name.replace(" ", "")
    if len(letters) >= 4:
        found.append(name[:1] + name[2:] if name[1] != " " else name[:2] + name[3:])
    if " " in name:
        found.append(name.replace(" ", "", 1))
    key = normalize_arabic(name)
    return sorted({v for v in found if v.strip() and normalize_arabic(v) != key})[:3]


@dataclass(frozen=True)
class NameSet:
    """Flattened forms of a list of names; per name, where its forms start and how many."""

    text: pa.Array  # every Arabic form
    key: Ints  # id of each form's normalized key
    start: Ints  # index of the name's register spelling in `text`
    n_fold: Ints
    n_err: Ints
    latin: pa.Array  # every Latin spelling
    latin_start: Ints
    latin_count: Ints
    weight: npt.NDArray[np.float64]  # sampling probability of each name


def build_nameset(arabic: list[str], latin: list[tuple[str, ...]], weight: list[int]) -> NameSet:
    text: list[str] = []
    keys: dict[str, int] = {}
    key_of: list[int] = []
    start, n_fold, n_err = [], [], []
    for name in arabic:
        folds, errs = folding_variants(name), error_variants(name)
        start.append(len(text))
        n_fold.append(len(folds))
        n_err.append(len(errs))
        for form in [name, *folds, *errs]:
            text.append(form)
            key_of.append(keys.setdefault(normalize_arabic(form), len(keys)))
    lat_flat = [s for spellings in latin for s in spellings]
    lat_count = np.array([len(s) for s in latin], dtype=np.int64)
    w = np.array(weight, dtype=np.float64)
    return NameSet(
        pa.array(text, pa.string()),
        np.array(key_of, dtype=np.int64),
        np.array(start, dtype=np.int64),
        np.array(n_fold, dtype=np.int64),
        np.array(n_err, dtype=np.int64),
        pa.array(lat_flat, pa.string()),
        np.concatenate([[0], np.cumsum(lat_count)[:-1]]).astype(np.int64),
        lat_count,
        w / w.sum(),
    )


@dataclass(frozen=True)
class Names:
    given: NameSet  # both sexes, so key ids compare across every given name
    male: Ints  # indices into `given`
    female: Ints
    family: NameSet

    def given_probabilities(self, ids: Ints) -> npt.NDArray[np.float64]:
        w = self.given.weight[ids]
        return np.asarray(w / w.sum())


@cache
def names() -> Names:
    given = load_given_names()
    fam = load_family_names()
    sexes = np.array([g.sex for g in given])
    return Names(
        build_nameset(
            [g.arabic for g in given], [g.latin for g in given], [g.weight for g in given]
        ),
        np.flatnonzero(sexes == "M").astype(np.int64),
        np.flatnonzero(sexes == "F").astype(np.int64),
        build_nameset([f.arabic for f in fam], [f.latin for f in fam], [f.weight for f in fam]),
    )
