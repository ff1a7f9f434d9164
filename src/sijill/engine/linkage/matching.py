"""Probabilistic linkage: the most likely RNP person behind an rsu/amo row with a bad identifier.

Steps, each a few SQL statements on the job's connection — DuckDB's, or the Spark backend's,
which translates them; Splink runs on the same engine through its backend for it (the
connection's dialect gives the API and says the model's conditions in the engine's SQL):
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
from typing import TYPE_CHECKING, Any

from sijill.engine.dialects import dialect_of
from sijill.engine.linkage import features as lf
from sijill.engine.linkage import model as lm
from sijill.engine.linkage.schema import EMPTY

if TYPE_CHECKING:
    from sijill.engine.backends import Connection

MINIMUM = 0.05  # the weakest candidate worth showing a clerk; actionable from 0.5
TRAIN_ROWS = 20_000  # rows whose pool EM trains on
U_SAMPLE = 200_000  # RNP persons drawn for the u probabilities
U_PAIRS = 2e6
SEED = 20_241
MIN_TRAINING_PAIRS = 50

STEPS = ("rows", "pool", "train", "predict")
Step = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Register:
    """Who rows are linked to: a table, and how to read `FEATURES` from any part of it."""

    table: str
    key: str  # the column `uid` is made of
    features: Callable[[str], str]  # table expression -> SELECT of the feature columns
    exclude_self: bool = False  # a table linked to itself: a row is not its own candidate
    # per term-frequency column, a query of (value, n) over the whole register; None: count
    # them on the features (fine for a small register)
    name_counts: Callable[[], dict[str, str]] | None = None


RNP = Register(
    "rnp",
    "idcs",
    lambda t: lf.features_sql(t, "t.idcs", "t.idcs"),
    name_counts=lambda: lf.name_counts_sql("rnp"),
)


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


def _count(con: Connection, sql: str) -> int:
    # fetchall, not fetchone: an unfinished result would block Splink's next query.
    return int(con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0])


def _build_pool(
    con: Connection, rows: str, pool: str, register: Register, *, keep_all: bool
) -> None:
    """The register's persons that some blocking rule pairs with a row of `rows`.

    Two passes: the blocking keys of the whole register first (only the columns the rules
    read are computed), then every feature of the few persons kept. `keep_all` skips the
    filter (the benchmark's alternative: Splink given the whole register).
    """
    if keep_all:
        features = register.features(register.table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {pool} AS {features}")
        return
    rules = lm.BLOCKING_RULES
    con.execute(f"CREATE OR REPLACE TEMP TABLE {pool}_keys AS {lm.row_keys('x', rows, rules)}")
    kept = (
        f"SELECT p.uid FROM ({register.features(register.table)}) p "
        f"WHERE {lm.pool_filter('p', f'{pool}_keys', rules)}"
    )
    subset = f"(SELECT * FROM {register.table} WHERE {register.key} IN ({kept}))"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {pool} AS {register.features(subset)}")
    con.execute(f"DROP TABLE {pool}_keys")


def _prior(con: Connection, rows: int, register: int, other: str) -> float:
    """How likely two random records are the same person, from near-certain pairs."""
    pairs = " UNION ".join(
        f"SELECT l.uid AS a, r.uid AS b FROM lk_rows l JOIN lk_pool r ON {on} AND {other}"
        for on in lm.DETERMINISTIC
    )
    matches = max(_count(con, pairs) / lm.DETERMINISTIC_RECALL, 1.0)
    return min(matches / (rows * max(register, 1)), 0.5)


def _splink() -> Any:
    # Imported here: Splink is heavy and only linkage needs it.
    import splink

    # Its warnings (levels not seen in training, untrained defaults) speak to a modeller
    # at a notebook; the job's own summary says what was trained on what.
    logging.getLogger("splink").setLevel(logging.ERROR)
    return splink


def _linker(con: Connection, tables: tuple[str, str], model: Any) -> Any:
    splink = _splink()
    api = dialect_of(con).splink_api(con)
    # Left is the first name in sort order: rows ("a_…") on the left, RNP on the right.
    frames = [
        api.register(t, table_name=f"{side}_{t}") for side, t in zip("ab", tables, strict=True)
    ]
    linker = splink.Linker(frames, model, log_level=None)
    for column in lm.TERM_FREQUENCIES:
        lookup = api.register(f"lk_tf_{column}", table_name=f"tf_{column}")
        linker.table_management.register_term_frequency_lookup(lookup, column)
    return linker


def _term_frequencies(con: Connection, register: Register) -> None:
    """How often each name is in the whole register (the rows and the pool are no sample)."""
    counts = register.name_counts() if register.name_counts else {}
    for column in lm.TERM_FREQUENCIES:
        count = counts.get(column) or (
            f"SELECT {column}, count(*) AS n FROM ({register.features(register.table)}) GROUP BY 1"
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE lk_tf_{column} AS "
            f"SELECT {column}, n / sum(n) OVER () AS tf_{column} FROM ({count}) "
            f"WHERE {column} IS NOT NULL"
        )


def _train(con: Connection, register: Register, prior: float) -> dict[str, Any]:
    # Samples by hash, not by position: a table's row order is not fixed under parallel
    # scans, and the same extracts must give the same model and the same links.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE lk_train_rows AS SELECT * FROM lk_rows "
        f"ORDER BY hash(uid, {SEED}), uid LIMIT {TRAIN_ROWS}"
    )
    sample = (
        f"(SELECT * FROM {register.table} "
        f"ORDER BY hash({register.key}, {SEED}), {register.key} LIMIT {U_SAMPLE})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE lk_u_rnp AS SELECT * FROM ({register.features(sample)}) "
        "ORDER BY uid"
    )
    dialect = dialect_of(con)
    settings = lm.in_dialect(
        lm.settings(prior, exclude_self=register.exclude_self), dialect.expression, dialect.name
    )
    linker = _linker(con, ("lk_train_rows", "lk_u_rnp"), settings)
    # One chunk: every sampled pair counts. Splink otherwise stops at the first chunk (picked
    # by the engine's own hash) where each level is seen 100 times, and the two engines
    # would estimate u on different pairs of the same sample.
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED, num_chunks=1)
    model = linker.misc.save_model_to_json()
    train_register = Register("lk_pool", "uid", lambda t: f"SELECT * FROM {t}")
    _build_pool(con, "lk_train_rows", "lk_train_pool", train_register, keep_all=False)
    linker = _linker(con, ("lk_train_rows", "lk_train_pool"), model)
    for rule in lm.TRAINING_RULES:
        on = rule.splink(exclude_self=register.exclude_self)["blocking_rule"]
        blocked = f"SELECT 1 FROM lk_train_rows l JOIN lk_train_pool r ON {on}"
        if _count(con, blocked) < MIN_TRAINING_PAIRS:
            continue  # e.g. no mistyped identifier at all: nothing to learn from it
        linker.training.estimate_parameters_using_expectation_maximisation(
            dialect.expression(on), estimate_without_term_frequencies=True
        )
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    trained["probability_two_random_records_match"] = prior
    return trained


BEST = """CREATE OR REPLACE TABLE {table} AS
    SELECT split_part(p.uid_l, ':', 1) AS source,
           substr(p.uid_l, strpos(p.uid_l, ':') + 1) AS row_id,
           any_value(l.idcs) AS row_idcs,
           arg_max(p.uid_r, (p.match_probability, p.uid_r)) AS candidate_idcs,
           max(p.match_probability) AS match_probability
    FROM lk_scored p JOIN lk_rows l ON l.uid = p.uid_l
    GROUP BY p.uid_l"""


def keep_best(con: Connection, table: str = "links") -> None:
    """Each row's best scored candidate, in the contract's `links` columns."""
    con.execute(BEST.format(table=table))


def _predict(con: Connection, model: dict[str, Any]) -> None:
    linker = _linker(con, ("lk_rows", "lk_pool"), model)
    pairs = linker.inference.predict(threshold_match_probability=MINIMUM)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE lk_scored AS SELECT uid_l, uid_r, match_probability "
        f"FROM {pairs.physical_name} WHERE match_probability >= {MINIMUM}"
    )
    pairs.drop_table_from_database_and_remove_from_cache()


def score(
    con: Connection,
    register: Register,
    stats: LinkStats,
    report: Step | None = None,
    *,
    whole_register: bool = False,
) -> None:
    """Score the pairs of `lk_rows` (features) and the register into `lk_scored`.

    `lk_scored` holds every compared pair whose probability reaches `MINIMUM`.
    """
    stats.rows = _count(con, "SELECT 1 FROM lk_rows")
    stats.register = _count(con, f"SELECT 1 FROM {register.table}")
    with stats.step("pool", report):
        _build_pool(con, "lk_rows", "lk_pool", register, keep_all=whole_register)
        _term_frequencies(con, register)
        stats.pool = _count(con, "SELECT 1 FROM lk_pool")
    other = "l.uid <> r.uid" if register.exclude_self else "true"
    with dialect_of(con).splink_work(con):
        with stats.step("train", report):
            stats.prior = _prior(con, stats.rows, stats.register, other)
            model = _train(con, register, stats.prior)
        with stats.step("predict", report):
            _predict(con, model)
            stats.pairs = _count(con, "SELECT 1 FROM lk_scored")


def link(con: Connection, report: Step | None = None) -> LinkStats:
    """Fill the `links` table from the typed `territories`, `rnp`, `rsu`, `amo` views."""
    stats = LinkStats()
    with stats.step("rows", report):
        rows = lf.build_rows(con)
    if rows == 0 or _count(con, "SELECT 1 FROM rnp") == 0:
        con.execute(EMPTY)
    else:
        score(con, RNP, stats, report)
        keep_best(con)
        stats.links = _count(con, "SELECT 1 FROM links")
        stats.confident = _count(con, "SELECT 1 FROM links WHERE match_probability >= 0.5")
    stats.rows = rows
    drop_work_tables(con)
    return stats


def drop_work_tables(con: Connection) -> None:
    for name in dialect_of(con).work_tables(con, ("lk_", "__splink")):
        con.execute(f'DROP TABLE IF EXISTS "{name}"')
