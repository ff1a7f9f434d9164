"""The tails and q-values of engine/reconcile/tails.py against scipy.stats and exact sums."""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
import pytest
from scipy import stats

from sijill.engine.reconciliation.anomalies import RATE_FLOOR
from sijill.engine.reconciliation.tails import Floats, beta_binomial_tail, binomial_tail, q_values

# Every k of the support (and n + 1, impossible) for bases from 1 to national-scale annexes,
# rates from the anomaly model's floor to 0.9, and intra-annex correlations from 1e-6 to its cap.
BASES = (1, 2, 7, 60, 500, 2500)
RATES = (RATE_FLOOR, 0.03, 0.11, 0.5, 0.9)
RHOS = (0.001, 0.02, 0.1, 0.5)
# scipy.stats.betabinom.sf is 1 minus the probabilities below k, each from log-beta functions:
# itself only good to about 1e-11 with bases in the thousands (the exact test holds to 1e-12)
SCIPY_BETABINOM = 2e-11


def floats(*values: float) -> Floats:
    return np.array(values, dtype=np.float64)


def _shape(p: float, rho: float) -> tuple[float, float]:
    scale = (1 - rho) / rho  # as anomalies.p_values: the same floats
    return p * scale, (1 - p) * scale


def _shape_arrays(p: Floats, rho: float) -> tuple[Floats, Floats]:
    scale = (1 - rho) / rho
    return p * scale, (1 - p) * scale


def _over_the_support(n: int, p: float, rho: float) -> tuple[Floats, Floats]:
    """k from 0 to n + 1, and P(K >= k): binomial when rho is 0, beta-binomial otherwise."""
    k = np.arange(n + 2, dtype=np.float64)
    nn = np.full(n + 2, float(n))
    if rho == 0:
        return k, binomial_tail(k, nn, np.full(n + 2, p))
    a, b = _shape(p, rho)
    return k, beta_binomial_tail(k, nn, np.full(n + 2, a), np.full(n + 2, b))


def _exact_tails(n: int, a: float, b: float) -> Floats:
    """P(K >= k) of a beta-binomial for k = 0 to n + 1, summed in 40-digit decimals."""
    with localcontext() as context:
        context.prec = 40
        da, db = Decimal(a), Decimal(b)
        pmf = Decimal(1)
        for i in range(n):  # P(K = 0) = b (b + 1) ... / ((a + b) (a + b + 1) ...)
            pmf = pmf * (db + i) / (da + db + i)
        pmfs = [pmf]
        for j in range(n):
            pmf = pmf * (n - j) * (j + da) / ((j + 1) * (n - j - 1 + db))
            pmfs.append(pmf)
        tails = [Decimal(0)]
        for pmf in reversed(pmfs):
            tails.append(tails[-1] + pmf)
        return np.array([float(t) for t in reversed(tails)])


# --- binomial_tail and beta_binomial_tail ------------------------------------------------------


@pytest.mark.parametrize("n", BASES)
def test_binomial_tails_are_scipys(n: int) -> None:
    # the same regularized incomplete beta function as scipy.stats.binom.sf, to the last digits,
    # tiny tails included (down to 1e-300 and below for the large bases)
    for p in RATES:
        k, found = _over_the_support(n, p, 0.0)
        expected = stats.binom.sf(k - 1, n, p)
        np.testing.assert_allclose(found, expected, rtol=1e-12, atol=0)
        assert found[0] == 1.0 and found[-1] == 0.0


@pytest.mark.parametrize("rho", RHOS)
def test_beta_binomial_tails_are_scipys(rho: float) -> None:
    for n in BASES:
        for p in RATES:
            k, found = _over_the_support(n, p, rho)
            some = np.unique(np.r_[k[:: max(1, n // 300)], k[-2:]]).astype(np.int64)  # scipy: slow
            expected = np.clip(stats.betabinom.sf(some - 1, n, *_shape(p, rho)), 0.0, 1.0)
            np.testing.assert_allclose(found[some], expected, rtol=0, atol=SCIPY_BETABINOM)
            assert found[0] == 1.0 and found[-1] == 0.0


@pytest.mark.parametrize(
    ("k", "n", "p", "rho"),
    [
        (110, 200, 0.11, 0.02),
        (150, 200, 0.11, 0.001),  # 4.6e-75, where scipy's sf says 3e-13
        (700, 2500, 0.11, 0.005),
        (1500, 2500, 0.11, 0.02),
        (2500, 2500, 0.11, 0.02),
        (200, 8000, RATE_FLOOR, 0.001),  # 4.6e-11, where scipy's sf says 3.0e-11
        (3000, 10_000, 0.03, 0.002),
    ],
)
def test_tiny_beta_binomial_tails_keep_their_digits(k: int, n: int, p: float, rho: float) -> None:
    # far above the mean scipy's sf is 0 or noise; its probabilities, summed, are not
    a, b = _shape(p, rho)
    expected = float(stats.betabinom.pmf(np.arange(k, n + 1), n, a, b).sum())
    assert 1e-300 < expected < 1e-8
    found = beta_binomial_tail(floats(k), floats(n), floats(a), floats(b))[0]
    assert found == pytest.approx(expected, rel=1e-9, abs=0)


@pytest.mark.parametrize("rho", (1e-6, *RHOS))
def test_beta_binomial_tails_are_exact(rho: float) -> None:
    # within 1e-12 of the exact sums, and 1e-9 of their value above 1e-300
    cases = [(n, p) for n in BASES for p in RATES] + [(10_000, 0.11), (10_000, 0.03)]
    for n, p in cases:
        _, found = _over_the_support(n, p, rho)
        exact = _exact_tails(n, *_shape(p, rho))
        np.testing.assert_allclose(found, exact, rtol=0, atol=1e-12)
        representable = exact > 1e-300
        np.testing.assert_allclose(found[representable], exact[representable], rtol=1e-9)


def test_random_annexes_are_scipys() -> None:
    # annexes of national size around their expected rate, and some far from it
    rng = np.random.default_rng(20240310)
    for rho in (0.0, *np.exp(rng.uniform(np.log(1e-3), np.log(0.5), 6))):
        n = rng.integers(1, 3_000, 2_000).astype(np.float64)
        p = np.clip(np.exp(rng.uniform(np.log(RATE_FLOOR), np.log(0.9), len(n))), 0, 0.9)
        rate = p if rho == 0 else rng.beta(*_shape_arrays(p, rho))
        k = rng.binomial(n.astype(np.int64), rate).astype(np.float64)
        k[::10] = np.floor(rng.uniform(0, 1, len(k[::10])) * (n[::10] + 1))  # anywhere
        if rho == 0:
            found = binomial_tail(k, n, p)
            np.testing.assert_allclose(found, stats.binom.sf(k - 1, n, p), rtol=1e-12, atol=0)
        else:
            found = beta_binomial_tail(k, n, *_shape_arrays(p, rho))
            expected = stats.betabinom.sf(k - 1, n, *_shape_arrays(p, rho))
            np.testing.assert_allclose(found, np.clip(expected, 0, 1), rtol=0, atol=SCIPY_BETABINOM)
        assert found.min() < 1e-6 and found.max() == 1.0  # tails of every size


# --- q_values -----------------------------------------------------------------------------------


def test_q_values_are_scipys() -> None:
    # random p-values, with many ties (rounded), zeros and ones
    rng = np.random.default_rng(3)
    for size in (2, 3, 10, 100, 4_000):
        p = rng.uniform(0, 1, size) ** 3
        for ties in (p, np.round(p, 2), np.round(p, 1)):
            expected = stats.false_discovery_control(ties, method="bh")
            np.testing.assert_allclose(q_values(ties), expected, rtol=0, atol=1e-12)
    assert q_values(floats(0.3)).tolist() == [0.3]
    assert q_values(floats()).tolist() == []
