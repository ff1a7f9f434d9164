"""The linkage model: blocking rules and comparisons over `linkfeatures.FEATURES`.

A Fellegi–Sunter model (Splink): each comparison sorts a pair into a level, each level has
an m probability (among true matches) and a u probability (among random pairs), and the
product of the m/u ratios, with the prior, gives the match probability. Levels are ordered
from strongest to weakest; the first whose condition holds is the pair's level.

Blocking rules decide which pairs are compared at all. They are plain equalities of
feature columns, so the same rules also pick, in one pass over the RNP, the persons any
row could be compared with (`pool_filter`) before Splink sees them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class BlockingRule:
    name: str
    columns: tuple[str, ...]

    def splink(self, *, exclude_self: bool = False) -> dict[str, str]:
        on = " AND ".join(f'l."{c}" = r."{c}"' for c in self.columns)
        if exclude_self:
            on += ' AND l."uid" <> r."uid"'
        return {"blocking_rule": on, "sql_dialect": "duckdb"}

    def key(self, alias: str) -> str:
        """A hash of the rule's columns, tagged with the rule, for set membership."""
        cols = ", ".join(f"{alias}.{c}" for c in self.columns)
        return f"hash('{self.name}', {cols})"

    def complete(self, alias: str) -> str:
        return " AND ".join(f"{alias}.{c} IS NOT NULL" for c in self.columns)


# The three families: birth date; name keys with annex or commune; an identifier
# one digit away (`id_near`). Each is narrowed so that no block grows with the country:
# birth date with province put 15.7M of 35.8M RNP persons in the pool of 1M rows (measured),
# with commune a block holds a handful.
BLOCKING_RULES = (
    BlockingRule("date_commune", ("birth_date", "commune_code")),
    BlockingRule("date_annex", ("birth_date", "annex_code")),
    BlockingRule("name_year_province", ("fn_ar", "ln_ar", "birth_year", "province_code")),
    BlockingRule("name_commune", ("fn_ar", "ln_ar", "commune_code")),
    BlockingRule("latin_year_province", ("fn_lk", "ln_lk", "birth_year", "province_code")),
    BlockingRule("latin_annex", ("fn_lk", "ln_lk", "annex_code")),
    BlockingRule("name_date", ("fn_ar", "ln_ar", "birth_date")),
    BlockingRule("latin_date", ("fn_lk", "ln_lk", "birth_date")),
    BlockingRule("id_near", ("id_near",)),
)

# EM sessions. Each estimates the m probabilities of the comparisons its rule leaves free.
# Birth dates are learnt where names are free or the year is fixed, never from pairs of
# equal names alone: relatives often share a full name, and EM would take such namesakes
# for one person written with another birth date.
TRAINING_RULES = (
    BlockingRule("train_id_near", ("id_near",)),
    BlockingRule("train_date", ("birth_date", "commune_code")),
    BlockingRule("train_name_year", ("fn_ar", "ln_ar", "birth_year", "province_code")),
    BlockingRule("train_name_date", ("fn_ar", "ln_ar", "birth_date")),
)

# Columns whose frequency in the register adjusts the weight of an exact match.
TERM_FREQUENCIES = ("fn_ar", "ln_ar")

# Pairs that are matches almost surely, to estimate how many matches there are: the same
# birth date and the same full name, in Arabic or by Latin key.
DETERMINISTIC = (
    "l.fn_ar = r.fn_ar AND l.ln_ar = r.ln_ar AND l.birth_date = r.birth_date",
    "l.fn_lk = r.fn_lk AND l.ln_lk = r.ln_lk AND l.birth_date = r.birth_date",
)
DETERMINISTIC_RECALL = 0.9


def _level(condition: str, label: str, *, null: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    return level


def _else() -> dict[str, Any]:
    return _level("ELSE", "all other")


def _name(part: str, other: str, label: str) -> dict[str, Any]:
    ar, sk, lk, tk, lt = (f"{part}_{k}" for k in ("ar", "sk", "lk", "tk", "lt"))
    both = f"({ar}_l IS NULL AND {lk}_l IS NULL) OR ({ar}_r IS NULL AND {lk}_r IS NULL)"
    return {
        "output_column_name": label,
        "comparison_levels": [
            _level(both, "null", null=True),
            # a common name says less than a rare one: the weight follows its frequency
            {
                **_level(f"{ar}_l = {ar}_r", "same"),
                "tf_adjustment_column": ar,
                "tf_adjustment_weight": 1.0,
            },
            _level(f"{sk}_l = {sk}_r AND {lk}_l = {lk}_r", "same skeleton and Latin key"),
            _level(
                f"{sk}_l = {sk}_r OR {lk}_l = {lk}_r OR {tk}_l = {lk}_r OR {lk}_l = {tk}_r",
                "same skeleton or Latin key",
            ),
            # first and family name written in each other's place on a form
            _level(f"{ar}_l = {other}_ar_r OR {lk}_l = {other}_lk_r", "the other name"),
            _level(
                f"jaro_winkler_similarity({lk}_l, {lk}_r) >= 0.9"
                f" OR jaro_winkler_similarity({lt}_l, {lt}_r) >= 0.9"
                f" OR levenshtein({sk}_l, {sk}_r) <= 1",
                "close",
            ),
            _else(),
        ],
    }


def _birth_date() -> dict[str, Any]:
    ymd = "strftime(birth_date_{}, '%Y%m%d')"
    a, b = "birth_date_l", "birth_date_r"
    return {
        "output_column_name": "birth_date",
        "comparison_levels": [
            _level(f"{a} IS NULL OR {b} IS NULL", "null", null=True),
            _level(f"{a} = {b}", "same"),
            _level(
                f"year({a}) = year({b}) AND month({a}) = day({b}) AND day({a}) = month({b})",
                "day and month swapped",
            ),
            _level(
                f"damerau_levenshtein({ymd.format('l')}, {ymd.format('r')}) = 1",
                "one digit or two swapped",
            ),
            _level(
                f"year({a}) = year({b}) AND ((month({a}) = 1 AND day({a}) = 1)"
                f" OR (month({b}) = 1 AND day({b}) = 1))",
                "year only",
            ),
            _else(),
        ],
    }


def _identifier() -> dict[str, Any]:
    return {
        "output_column_name": "idcs",
        "comparison_levels": [
            _level("idcs_l IS NULL OR idcs_r IS NULL", "null", null=True),
            # never for a row linked to the RNP (its identifier is unknown there), but the
            # model also serves sources that carry a good identifier on some rows
            _level("idcs_l = idcs_r", "same"),
            _level("damerau_levenshtein(idcs_l, idcs_r) <= 1", "one digit away"),
            _else(),
        ],
    }


def _sex() -> dict[str, Any]:
    return {
        "output_column_name": "sex",
        "comparison_levels": [
            _level("sex_l IS NULL OR sex_r IS NULL", "null", null=True),
            _level("sex_l = sex_r", "same"),
            _else(),
        ],
    }


def _territory() -> dict[str, Any]:
    return {
        "output_column_name": "territory",
        "comparison_levels": [
            _level("annex_code_l IS NULL OR annex_code_r IS NULL", "null", null=True),
            _level("annex_code_l = annex_code_r", "same annex"),
            _level("commune_code_l = commune_code_r", "same commune"),
            _level("province_code_l = province_code_r", "same province"),
            _else(),
        ],
    }


def comparisons() -> list[dict[str, Any]]:
    return [
        _identifier(),
        _name("fn", "ln", "first_name"),
        _name("ln", "fn", "last_name"),
        _birth_date(),
        _sex(),
        _territory(),
    ]


def settings(
    prior: float, rules: tuple[BlockingRule, ...] = BLOCKING_RULES, *, exclude_self: bool = False
) -> dict[str, Any]:
    """Splink settings of the model, before training."""
    return {
        "link_type": "link_only",
        "unique_id_column_name": "uid",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": [
            rule.splink(exclude_self=exclude_self) for rule in rules
        ],
        "comparisons": comparisons(),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }


def in_dialect(model: dict[str, Any], say: Callable[[str], str], dialect: str) -> dict[str, Any]:
    """The settings with every condition — blocking rules, comparison levels — said in an
    engine's SQL by `say` (written in DuckDB's; the Spark dialect translates them)."""
    rules = [
        {"blocking_rule": say(rule["blocking_rule"]), "sql_dialect": dialect}
        for rule in model["blocking_rules_to_generate_predictions"]
    ]
    comparisons = [
        {
            **comparison,
            "comparison_levels": [
                level
                if level["sql_condition"] == "ELSE"
                else {**level, "sql_condition": say(level["sql_condition"])}
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in model["comparisons"]
    ]
    return {
        **model,
        "sql_dialect": dialect,
        "blocking_rules_to_generate_predictions": rules,
        "comparisons": comparisons,
    }


def pool_filter(alias: str, keys_table: str, rules: tuple[BlockingRule, ...]) -> str:
    """True for a register row that some blocking rule pairs with a row of `keys_table`."""
    return " OR ".join(f"{rule.key(alias)} IN (SELECT k FROM {keys_table})" for rule in rules)


def row_keys(alias: str, table: str, rules: tuple[BlockingRule, ...]) -> str:
    """Every blocking key of the rows of `table`, one per row and rule."""
    parts = [
        f"SELECT {rule.key(alias)} AS k FROM {table} {alias} WHERE {rule.complete(alias)}"
        for rule in rules
    ]
    return " UNION ".join(parts)
