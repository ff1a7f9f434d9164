"""Probabilistic linkage: the most likely RNP person behind an rsu/amo row with a bad identifier.

Steps, each a few SQL statements on the job's DuckDB connection:
1. **rows** — the unresolved rows and their features (`linkfeatures`);
2. **pool** — one pass over the RNP keeps the persons some blocking rule pairs with a row;
3. **train** — u probabilities from random pairs of rows and RNP persons; the prior from
   near-certain pairs; m probabilities by EM on a sample of rows and their pool;
4. **predict** — every blocked pair scored, and each row's best candidate kept when its
   probability reaches `MINIMUM`.

Nothing here reads or changes the funnel: the `links` table stands apart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb

from sijill.engine import linkfeatures as lf
from sijill.engine import linkmodel as lm
from sijill.engine.links import EMPTY

MINIMUM = 0.05  # the weakest candidate worth showing a clerk; actionable from 0.5
TRAIN_ROWS = 20_000  # rows whose pool EM trains on
U_SAMPLE = 200_000  # RNP persons drawn for the u probabilities
U_PAIRS = 2e6
SEED = 20_241
MIN_TRAINING_PAIRS = 50

STEPS = ("rows", "pool", "train", "predict")
Step = Callable[[str], None]


@dataclass
class LinkStats:
    rows: int = 0
    register: int = 0
    pool: int = 0
    pairs: int = 0
    links: int = 0
    confident: int = 0
    prior: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str, report: Step | None) -> Iterator[None]:
        if report:
            report(name)
        started = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - started, 3)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    # fetchall, not fetchone: an unfinished result would block Splink's next query.
    return int(con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0])


def _build_pool(con: duckdb.DuckDBPyConnection, rows: str, pool: str, source: str) -> None:
    rules = lm.BLOCKING_RULES
    con.execute(f"CREATE OR REPLACE TEMP TABLE {pool}_keys AS {lm.row_keys('x', rows, rules)}")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {pool} AS SELECT * FROM ({source}) p "
        f"WHERE {lm.pool_filter('p', f'{pool}_keys', rules)}"
    )
    con.execute(f"DROP TABLE {pool}_keys")


def _prior(con: duckdb.DuckDBPyConnection, rows: int, register: int) -> float:
    """How likely two random records are the same person, from near-certain pairs."""
    sure = _count(con, f"SELECT 1 FROM lk_rows l JOIN lk_pool r ON {lm.DETERMINISTIC}")
    matches = max(sure / lm.DETERMINISTIC_RECALL, 1.0)
    return min(matches / (rows * max(register, 1)), 0.5)


def _splink() -> Any:
    # Imported here: Splink is heavy and only linkage needs it.
    import splink

    # Its warnings (levels not seen in training, untrained defaults) speak to a modeller
    # at a notebook; the job's own summary says what was trained on what.
    logging.getLogger("splink").setLevel(logging.ERROR)
    return splink


def _linker(con: duckdb.DuckDBPyConnection, tables: tuple[str, str], model: Any) -> Any:
    splink = _splink()
    from splink.backends.duckdb import DuckDBAPI

    api = DuckDBAPI(connection=con)
    # Left is the first name in sort order: rows ("a_…") on the left, RNP on the right.
    frames = [
        api.register(t, table_name=f"{side}_{t}") for side, t in zip("ab", tables, strict=True)
    ]
    return splink.Linker(frames, model, log_level=None)


def _train(con: duckdb.DuckDBPyConnection, prior: float) -> dict[str, Any]:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE lk_train_rows AS SELECT * FROM lk_rows "
        f"USING SAMPLE reservoir({TRAIN_ROWS} ROWS) REPEATABLE ({SEED})"
    )
    sample = f"(SELECT * FROM rnp USING SAMPLE reservoir({U_SAMPLE} ROWS) REPEATABLE ({SEED}))"
    sampled = lf.features_sql(sample, "t.idcs", "t.idcs")
    con.execute(f"CREATE OR REPLACE TEMP TABLE lk_u_rnp AS {sampled}")
    linker = _linker(con, ("lk_train_rows", "lk_u_rnp"), lm.settings(prior))
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
    model = linker.misc.save_model_to_json()
    _build_pool(con, "lk_train_rows", "lk_train_pool", "SELECT * FROM lk_pool")
    linker = _linker(con, ("lk_train_rows", "lk_train_pool"), model)
    for rule in lm.TRAINING_RULES:
        on = rule.splink()["blocking_rule"]
        blocked = f"SELECT 1 FROM lk_train_rows l JOIN lk_train_pool r ON {on}"
        if _count(con, blocked) < MIN_TRAINING_PAIRS:
            continue  # e.g. no mistyped identifier at all: nothing to learn from it
        linker.training.estimate_parameters_using_expectation_maximisation(
            on, estimate_without_term_frequencies=True
        )
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    trained["probability_two_random_records_match"] = prior
    return trained


BEST = f"""CREATE OR REPLACE TABLE links AS
    SELECT split_part(p.uid_l, ':', 1) AS source,
           substr(p.uid_l, strpos(p.uid_l, ':') + 1) AS row_id,
           any_value(l.idcs) AS row_idcs,
           arg_max(p.uid_r, (p.match_probability, p.uid_r)) AS candidate_idcs,
           max(p.match_probability) AS match_probability
    FROM {{pairs}} p JOIN lk_rows l ON l.uid = p.uid_l
    WHERE p.match_probability >= {MINIMUM}
    GROUP BY p.uid_l"""


def _predict(con: duckdb.DuckDBPyConnection, model: dict[str, Any], stats: LinkStats) -> None:
    linker = _linker(con, ("lk_rows", "lk_pool"), model)
    pairs = linker.inference.predict(threshold_match_probability=MINIMUM)
    scored = f"(SELECT uid_l, uid_r, match_probability FROM {pairs.physical_name})"
    stats.pairs = _count(con, scored)
    con.execute(BEST.format(pairs=scored))
    pairs.drop_table_from_database_and_remove_from_cache()


def link(con: duckdb.DuckDBPyConnection, report: Step | None = None) -> LinkStats:
    """Fill the `links` table from the typed `territories`, `rnp`, `rsu`, `amo` views."""
    stats = LinkStats()
    with stats.step("rows", report):
        stats.rows = lf.build_rows(con)
        stats.register = _count(con, "SELECT 1 FROM rnp")
    if stats.rows == 0 or stats.register == 0:
        con.execute(EMPTY)
        _drop_work_tables(con)
        return stats
    with stats.step("pool", report):
        _build_pool(con, "lk_rows", "lk_pool", lf.rnp_features())
        stats.pool = _count(con, "SELECT 1 FROM lk_pool")
    with stats.step("train", report):
        stats.prior = _prior(con, stats.rows, stats.register)
        model = _train(con, stats.prior)
    with stats.step("predict", report):
        _predict(con, model, stats)
        stats.links = _count(con, "SELECT 1 FROM links")
        stats.confident = _count(con, "SELECT 1 FROM links WHERE match_probability >= 0.5")
    _drop_work_tables(con)
    return stats


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    names = con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE starts_with(table_name, 'lk_') OR starts_with(table_name, '__splink')"
    ).fetchall()
    for (name,) in names:
        con.execute(f'DROP TABLE IF EXISTS "{name}"')
