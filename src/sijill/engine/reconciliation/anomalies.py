"""The contract's `anomalies`: annexes whose rates stand out from what their province expects.

Model, per indicator (a count k out of a base n per annex):
- expected rate: the median rate of the annex's province (annexes with a base of at least
  MIN_BASE), shrunk towards the national median by how much provinces truly differ
  (empirical Bayes); the national median alone where a province has fewer than MIN_PEERS
  such annexes. Medians, because the annexes we look for would pull a mean towards them;
- over-dispersion: annexes differ more than binomial sampling explains (neighbourhoods
  differ), so the test is beta-binomial with an intra-annex correlation rho estimated
  robustly (median absolute deviation of the binomial z-scores);
- one-sided p-value P(K >= k), Benjamini–Hochberg q-values per indicator;
- flagged when q < Q_LEVEL and the excess is worth a field visit: at least MIN_EXCESS
  above expected and at least MIN_RATIO times it. With thousands of households per annex,
  tiny excesses are "significant" and useless to a ministry; the effect size keeps the list
  to annexes where something is clearly going on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from sijill.engine.reconciliation.tails import beta_binomial_tail, binomial_tail, q_values

Floats = npt.NDArray[np.float64]

Q_LEVEL = 0.01
MIN_EXCESS = 0.05
MIN_RATIO = 1.5
MIN_BASE = 20
MIN_PEERS = 5
TOLERANCE = 1e-12
RATE_FLOOR = 1e-3  # an expected rate of exactly zero would make any single case infinitely rare


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    count: str  # funnel column(s) counted, summed
    base: str  # funnel column the rate is taken over


# Their words and what a flag means are the vocabulary's (vocabulary.INDICATORS).
INDICATORS = (
    # households split into single-person households (census baseline 11.1 %)
    Indicator("SINGLE_PERSON_SHARE", "rsu_single_households", "rsu_households"),
    # files left pending validation longer than the validation delay
    Indicator("STALE_PENDING_SHARE", "amo_pending_stale", "amo_files"),
    # AMO rows CNSS will reject: not in the RSU household or differing from it
    Indicator("AMO_RSU_DISCREPANCY_RATE", "amo_not_in_rsu+amo_mismatch", "amo_beneficiaries"),
)
SCHEMA = pa.schema(
    [
        ("annex_code", pa.string()),
        ("indicator", pa.string()),
        ("observed", pa.float64()),
        ("expected", pa.float64()),
        ("p_value", pa.float64()),
        ("q_value", pa.float64()),
        ("flagged", pa.bool_()),
    ]
)


def _robust_var(values: Floats) -> float:
    return float((1.4826 * np.median(np.abs(values - np.median(values)))) ** 2)


def expected_rates(k: Floats, n: Floats, group: Sequence[str]) -> Floats:
    """Each annex's expected rate: its province's median, shrunk towards the national one.

    The weight of the province is how much provinces really differ (the spread of their
    medians beyond what sampling alone gives a median of that many annexes), so a country
    without regional differences gets the national median everywhere.
    """
    rate = np.divide(k, n, out=np.zeros_like(k), where=n > 0)
    usable = n >= MIN_BASE
    if not usable.any():
        pooled = k.sum() / max(n.sum(), 1)
        return np.full(len(k), float(np.clip(pooled, RATE_FLOOR, 1 - RATE_FLOOR)))
    national = float(np.median(rate[usable]))
    labels = np.asarray(group)
    medians: dict[str, tuple[float, float]] = {}
    for label in np.unique(labels[usable]):
        peers = rate[usable & (labels == label)]
        if len(peers) >= MIN_PEERS:
            medians[str(label)] = (
                float(np.median(peers)),
                np.pi / 2 * _robust_var(peers) / len(peers),
            )
    expected = np.full(len(k), national)
    if len(medians) >= 2:
        values = np.array([m for m, _ in medians.values()])
        sampling = np.array([v for _, v in medians.values()])
        between = max(0.0, float(np.var(values)) - float(np.mean(sampling)))
        for label, (median, noise) in medians.items():
            weight = between / (between + noise) if between + noise > 0 else 0.0
            expected[labels == label] = weight * median + (1 - weight) * national
    return np.asarray(np.clip(expected, RATE_FLOOR, 1 - RATE_FLOOR), dtype=np.float64)


def overdispersion(k: Floats, n: Floats, p0: Floats) -> float:
    """Intra-annex correlation rho of a beta-binomial, from robust spread of z-scores."""
    usable = n >= MIN_BASE
    if usable.sum() < 3:
        return 0.0
    z = (k[usable] / n[usable] - p0[usable]) / np.sqrt(p0[usable] * (1 - p0[usable]) / n[usable])
    spread = 1.4826 * float(np.median(np.abs(z - np.median(z))))
    typical_n = float(np.median(n[usable]))
    if spread <= 1 or typical_n <= 1:
        return 0.0
    return min((spread**2 - 1) / (typical_n - 1), 0.5)


def p_values(k: Floats, n: Floats, p0: Floats, rho: float) -> Floats:
    """One-sided P(K >= k) per annex; NaN where the base is zero.

    Binomial when rho is 0, beta-binomial otherwise (engine.tails, not scipy.stats: see there).
    """
    out = np.full(len(k), np.nan)
    tested = n > 0
    kk = np.floor(k[tested])
    nn = n[tested].astype(np.int64).astype(np.float64)
    pp = p0[tested]
    if rho > 0:
        scale = (1 - rho) / rho
        out[tested] = beta_binomial_tail(kk, nn, pp * scale, (1 - pp) * scale)
    else:
        out[tested] = binomial_tail(kk, nn, pp)
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)


def assess(
    indicator: Indicator, annex: Sequence[str], province: Sequence[str], k: Floats, n: Floats
) -> pa.Table:
    p0 = expected_rates(k, n, province)
    p = p_values(k, n, p0, overdispersion(k, n, p0))
    q = np.full(len(p), np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        q[tested] = q_values(p[tested])
    observed = np.divide(k, n, out=np.full(len(k), np.nan), where=n > 0)
    with np.errstate(invalid="ignore"):
        # "At least" must hold at its exact boundary: 0.15 - 0.10 is 0.0499999... in floats.
        flagged = (
            (q < Q_LEVEL)
            & (observed - p0 >= MIN_EXCESS - TOLERANCE)
            & (observed >= MIN_RATIO * p0 - TOLERANCE)
            & (n >= MIN_BASE)
        )
    return pa.table(
        {
            "annex_code": pa.array(list(annex), pa.string()),
            "indicator": pa.array([indicator.name] * len(k), pa.string()),
            "observed": pa.array(observed, pa.float64(), mask=np.isnan(observed)),
            "expected": pa.array(p0, pa.float64()),
            "p_value": pa.array(p, pa.float64(), mask=np.isnan(p)),
            "q_value": pa.array(q, pa.float64(), mask=np.isnan(q)),
            "flagged": pa.array(flagged, pa.bool_()),
        },
        schema=SCHEMA,
    )


ANNEX_ROWS = """SELECT f.code AS annex_code, coalesce(x.code, 'ALL') AS province, f.*
    FROM funnel f
    LEFT JOIN (SELECT x.annex_code, x.code FROM w_ancestry x JOIN territories t
               ON t.code = x.code AND t.level = 'province') x ON x.annex_code = f.code
    WHERE f.level = 'annex' ORDER BY f.code"""


def anomalies(rows: pa.Table) -> pa.Table:
    """All indicators for every annex, from the annex rows of the funnel (ANNEX_ROWS)."""
    annex = rows["annex_code"].to_pylist()
    province = rows["province"].to_pylist()
    tables = []
    for indicator in INDICATORS:
        k = sum(
            np.asarray(rows[c].to_numpy(zero_copy_only=False), dtype=np.float64)
            for c in indicator.count.split("+")
        )
        n = np.asarray(rows[indicator.base].to_numpy(zero_copy_only=False), dtype=np.float64)
        tables.append(assess(indicator, annex, province, np.asarray(k), n))
    return pa.concat_tables(tables) if tables else SCHEMA.empty_table()


def band_upper(expected: float | None) -> float | None:
    """The highest share an annex may have without being flagged, whatever its size: the
    effect-size floor of the rule above (docs/reconcile.md)."""
    if expected is None:
        return None
    return max(expected + MIN_EXCESS, MIN_RATIO * expected)
