"""Why a finding was made, said once: a message id with named parameters, from which the
SQL writes both the contract's English `detail` and, for the pages that translate it, the
id (`detail_id`) and its parameters as JSON (`detail_params`).

A parameter whose value is a list of codes (the fields that differ) is written as a JSON
array; the pages give each code its vocabulary words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sijill.domain.vocabulary import gettext_noop as _

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Detail:
    message: str  # message id, in English, with {placeholders}
    params: tuple[tuple[str, str], ...] = ()  # placeholder -> SQL expression (text)
    lists: frozenset[str] = frozenset()  # placeholders whose expression is "a, b" codes

    def english(self) -> str:
        """The contract's `detail`: the message in English, its parameters filled in."""
        exprs = dict(self.params)
        pieces = []
        for i, part in enumerate(_PLACEHOLDER.split(self.message)):
            if i % 2 == 0:
                if part:
                    pieces.append(_quoted(part))
            else:
                pieces.append(f"coalesce(CAST({exprs[part]} AS VARCHAR), '')")
        return " || ".join(pieces) or "''"

    def ident(self) -> str:
        return _quoted(self.message)

    def values(self) -> str:
        """The parameters as a JSON object, text for the Parquet file."""
        if not self.params:
            return "'{}'"
        pairs = []
        for name, expr in self.params:
            value = f"CAST({expr} AS VARCHAR)"
            if name in self.lists:
                value = f"str_split({value}, ', ')"
            pairs.append(f"{_quoted(name)}, {value}")
        return f"CAST(json_object({', '.join(pairs)}) AS VARCHAR)"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Either:
    """One detail or another, as a condition says."""

    condition: str
    then: Detail
    otherwise: Detail

    def english(self) -> str:
        return self._case(self.then.english(), self.otherwise.english())

    def ident(self) -> str:
        return self._case(self.then.ident(), self.otherwise.ident())

    def values(self) -> str:
        return self._case(self.then.values(), self.otherwise.values())

    def _case(self, then: str, otherwise: str) -> str:
        return f"CASE WHEN {self.condition} THEN {then} ELSE {otherwise} END"


Said = Detail | Either

IDCS_MISSING = Detail(_("idcs missing"))
IDCS_UNKNOWN = Detail(_("idcs not in the RNP"))
DIFFERING = (
    "concat_ws(', ', CASE WHEN sex_differs THEN 'sex' END, "
    "CASE WHEN birth_differs THEN 'birth_date' END, "
    "CASE WHEN name_differs THEN 'name' END)"
)


def differs_from_rnp() -> Detail:
    return Detail(
        _("differs from the RNP: {fields}"), (("fields", DIFFERING),), frozenset({"fields"})
    )


def differs_from_rsu() -> Detail:
    return Detail(
        _("differs from RSU member {member}: {fields}"),
        (("member", "rsu_member_id"), ("fields", DIFFERING)),
        frozenset({"fields"}),
    )


NOT_IN_RSU = Detail(_("living RNP person on no RSU row"))


def not_on_household() -> Either:
    return Either(
        "idcs IS NULL",
        IDCS_MISSING,
        Detail(_("not on an RSU row of household {household}"), (("household", "household_id"),)),
    )


def above_threshold(threshold: str) -> Detail:
    return Detail(
        _("household score {score} > {threshold}"),
        (("score", "household_score"), ("threshold", _quoted(threshold))),
    )


def pending(limit: int) -> Detail:
    return Detail(
        _("pending validation for {days} days (limit {limit})"),
        (("days", "pending_days"), ("limit", str(limit))),
    )


def late_at_cnss(limit: int) -> Either:
    days = (("days", "cnss_days"), ("limit", str(limit)))
    return Either(
        "decided_at IS NULL",
        Detail(_("no CNSS decision {days} days after transmission (limit {limit})"), days),
        Detail(_("CNSS decided {days} days after transmission (limit {limit})"), days),
    )


UNKNOWN_ANNEX = Detail(
    _("unknown annex_code {annex}"), (("annex", "coalesce(annex_code, '(empty)')"),)
)
ON_TWO_HOUSEHOLDS = Detail(_("idcs also on another household"))
DECEASED = Detail(_("deceased in the RNP"))
