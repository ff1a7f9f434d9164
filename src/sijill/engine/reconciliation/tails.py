"""Upper tails P(K >= k) of binomial and beta-binomial counts, and Benjamini–Hochberg q-values.

Vectorised over arrays of counts. Not scipy.stats: its import alone costs about 0.8 s of every
run, and its betabinom.sf (1 minus the probabilities below k) is good to only about 1e-11 at
bases in the thousands, and 0 or noise for the tiny tails that keep their digits here
(tests/engine/test_tails.py). scipy.special suffices, imported where it is used.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

_SHIFT = 3.0  # standard deviations from the mean where the tail summed changes side
_SMALL = 1e-3  # a tail under this is summed itself, never taken as 1 minus the rest
_NEGLIGIBLE = 1e-17  # bound on all the terms still to come, relative to the running sum
_CHECK = 16  # steps of a sum between two looks for the annexes whose sum is complete
_MANY = 256  # from this many annexes left, one step at a time for all of them
_CELLS = 16384  # under it, as many steps at once as make about this many terms
_STIRLING_FROM = 15.0  # five terms of Stirling's series are exact to 3e-16 from there on


def binomial_tail(k: Floats, n: Floats, p: Floats) -> Floats:
    """P(K >= k) for K ~ Binomial(n, p), k and n whole: the regularized I_p(k, n - k + 1).

    1 where k <= 0, 0 where k > n, NaN where k is NaN or p is not a probability.
    """
    from scipy.special import betainc  # imported here: 0.2 s of the CLI's start-up otherwise

    out = np.where(k <= 0, 1.0, 0.0)
    out[np.isnan(k) | np.isnan(p) | (p < 0) | (p > 1)] = np.nan
    inside = (k > 0) & (k <= n) & ~np.isnan(out)
    out[inside] = betainc(k[inside], n[inside] - k[inside] + 1, p[inside])
    return out


def beta_binomial_tail(k: Floats, n: Floats, a: Floats, b: Floats) -> Floats:
    """P(K >= k) for K ~ BetaBinomial(n, a, b), k and n whole.

    1 where k <= 0, 0 where k > n, NaN where k is NaN or a or b is not positive.

    No closed form: a sum of probabilities, the first from log-gamma functions, each next
    one from the previous by their ratio, for all the annexes at once. A sum stops at its
    end of the support or once the terms left are negligible, so which tail is summed
    decides the cost. With a rate under one half (the upper tail the long one), the lower
    tail is summed downwards from k - 1 (at most k terms) and taken from 1, unless k is
    more than _SHIFT standard deviations above the mean or the result is under _SMALL: a
    small tail is summed itself, upwards from k, so that a tiny p-value keeps its relative
    precision. Above one half, the other way round: upwards unless k is that far below.
    """
    out = np.where(k <= 0, 1.0, 0.0)
    out[np.isnan(k) | ~(a > 0) | ~(b > 0)] = np.nan
    inside = (k > 0) & (k <= n) & ~np.isnan(out)
    if not inside.any():
        return out
    k, n, a, b = k[inside], n[inside], a[inside], b[inside]
    p = a / (a + b)
    sd = np.sqrt(n * p * (1 - p) * (a + b + n) / (a + b + 1))
    up = k > n * p + _SHIFT * sd * np.sign(0.5 - p)
    start = np.where(up, k, k - 1)
    side = np.exp(_log_sum_from(start, up, n, a, b) + _beta_binomial_logpmf(start, n, a, b))
    tail = np.where(up, side, 1.0 - side)
    small = ~up & (tail < _SMALL)  # 1 minus a sum close to 1: sum the tail itself instead
    if small.any():
        ks, ns, as_, bs = k[small], n[small], a[small], b[small]
        log_sum = _log_sum_from(ks, np.ones(len(ks), dtype=np.bool_), ns, as_, bs)
        tail[small] = np.exp(log_sum + _beta_binomial_logpmf(ks, ns, as_, bs))
    out[inside] = tail
    return out


def _log_sum_from(
    start: Floats, up: npt.NDArray[np.bool_], n: Floats, a: Floats, b: Floats
) -> Floats:
    """log of the sum of P(K = j) / P(K = start), j from start up to n, or down to 0.

    The ratio of P(K = j + 1) to P(K = j) is (n - j)(j + a) / ((j + 1)(n - j - 1 + b)), so
    in either direction x1 x2 / (y1 y2), each factor moving by one at each step. A step
    runs over all the annexes left (small arrays, faster than a two-dimensional block);
    every _CHECK steps the annexes whose sum is complete are set aside.
    """
    x1 = np.where(up, n - start, start)
    x2 = np.where(up, start + a, n - start + b)
    y1 = np.where(up, start + 1, n - start + 1)
    # y2 = x1 - 1 + the parameter of the end it heads to, from x1 (exact) at each step: kept
    # as one number it would lose the parameter's digits on its way down to it.
    c = np.where(up, b, a) - 1
    left = x1.copy()  # steps before the end of the support
    # Past their largest term the terms can only rise again towards the end of the support
    # when that end's parameter is under 1 (a U- or J-shaped distribution): sum those to it.
    may_stop = np.where(up, b, a) >= 1
    term = np.ones(len(start))  # the last term, relative to the sum at the last check
    total = np.ones(len(start))  # the sum since, in the same unit
    log_scale = np.zeros(len(start))  # log of the sum at the last check, in units of the first
    result = np.empty(len(start))
    todo = np.arange(len(start))
    ratio, den = np.empty(len(start)), np.empty(len(start))
    steps = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        while todo.size:
            if todo.size >= _MANY:  # one step at a time, for all the annexes left
                width = _CHECK
                for _ in range(_CHECK):
                    np.multiply(x1, x2, out=ratio)
                    np.add(x1, c, out=den)
                    den *= y1
                    ratio /= den
                    term *= ratio
                    # past the end of the support the ratio is 0, 0/0 or -x/0: terms are 0
                    np.fmax(term, 0.0, out=term)
                    total += term
                    x1 -= 1.0
                    x2 += 1.0
                    y1 += 1.0
            else:  # few left: many steps at once (steps down, annexes across)
                width = max(_CHECK, _CELLS // todo.size)
                o = np.arange(width, dtype=np.float64)[:, None]
                block = (x1 - o) * (x2 + o) / ((y1 + o) * (x1 - o + c))
                block = np.where(o < left - steps, block, 0.0)
                ratio = block[-1].copy()
                np.cumprod(block, axis=0, out=block)
                block *= term
                total += block.sum(axis=0)
                term = block[-1].copy()
                x1, x2, y1 = x1 - width, x2 + width, y1 + width
            steps += width
            log_scale += np.log(total)
            term /= total
            rest = np.where(may_stop & (ratio < 1), term * ratio / (1 - ratio), np.inf)
            done = (left <= steps) | (rest <= _NEGLIGIBLE)
            if done.any():
                result[todo[done]] = log_scale[done]
                keep = ~done
                todo, left, may_stop, term, log_scale = (
                    todo[keep],
                    left[keep],
                    may_stop[keep],
                    term[keep],
                    log_scale[keep],
                )
                x1, x2, y1, c = x1[keep], x2[keep], y1[keep], c[keep]
                ratio, den = np.empty(todo.size), np.empty(todo.size)
            total = np.ones(todo.size)
    return result


def _beta_binomial_logpmf(k: Floats, n: Floats, a: Floats, b: Floats) -> Floats:
    """log P(K = k), to about 1e-14 absolute near the mean, for any n, a and b.

    Directly from log-beta functions, terms of the order of n log n cancel (and of a log a:
    only 9 digits are left when rho is 1e-6). Instead (Loader's way for the binomial,
    extended): with every log Gamma(z) written z log z - z + rest(z), the z log z - z parts
    add up to minus four deviances around pi = (k + a) / (n + a + b), each computed without
    cancellation, and the rests are small.
    """
    s = a + b
    u, v, big = k + a, n - k + b, n + s
    pi, pi_c = u / big, v / big
    deviance = _bd0(k, n * pi) + _bd0(n - k, n * pi_c) + _bd0(a, s * pi) + _bd0(b, s * pi_c)
    rests = (
        _log_factorial_rest(n)
        - _log_factorial_rest(k)
        - _log_factorial_rest(n - k)
        + _log_gamma_rest(u)
        + _log_gamma_rest(v)
        - _log_gamma_rest(big)
        - _log_gamma_rest(a)
        - _log_gamma_rest(b)
        + _log_gamma_rest(s)
    )
    return np.asarray(rests - deviance, dtype=np.float64)


def _bd0(x: Floats, m: Floats) -> Floats:
    """x log(x / m) + m - x (>= 0), with a series where x is close to m (Loader, 2000)."""
    d, total = x - m, x + m
    close = np.abs(d) < 0.1 * total
    v = np.where(close, d / np.where(close, total, 1.0), 0.0)
    w = v * v
    series = np.zeros(len(x))
    for j in range(9, 0, -1):  # sum of v^(2j+1) / (2j+1), j >= 1: |v| < 0.1, 9 terms
        series = series * w + 1 / (2 * j + 1)
    near = d * v + 2 * x * v * w * series
    with np.errstate(divide="ignore", invalid="ignore"):
        far = np.where(x > 0, x * np.log(x / m), 0.0) + m - x
    return np.asarray(np.where(close, near, far), dtype=np.float64)


def _log_gamma_rest(z: Floats) -> Floats:
    """log Gamma(z) - (z log z - z), for z > 0."""
    return np.asarray(_stirling_rest(z) - 0.5 * np.log(z / (2 * np.pi)), dtype=np.float64)


def _log_factorial_rest(m: Floats) -> Floats:
    """log m! - (m log m - m), for whole m >= 0 (0 at 0)."""
    m1 = np.maximum(m, 1.0)
    return np.asarray(
        np.where(m > 0, _stirling_rest(m1) + 0.5 * np.log(2 * np.pi * m1), 0.0), dtype=np.float64
    )


def _stirling_rest(z: Floats) -> Floats:
    """log Gamma(z) - ((z - 1/2) log z - z + log(2 pi) / 2), for z > 0."""
    from scipy.special import gammaln  # see binomial_tail

    large = np.maximum(z, _STIRLING_FROM)
    w = 1.0 / (large * large)
    series = (1 / 12 - w * (1 / 360 - w * (1 / 1260 - w * (1 / 1680 - w / 1188)))) / large
    small = np.minimum(z, _STIRLING_FROM)
    direct = gammaln(small) - (small - 0.5) * np.log(small) + small - 0.5 * np.log(2 * np.pi)
    return np.asarray(np.where(z >= _STIRLING_FROM, series, direct), dtype=np.float64)


def q_values(p: Floats) -> Floats:
    """Benjamini–Hochberg adjusted p-values, in the order given (no NaN)."""
    m = len(p)
    if m <= 1:
        return np.asarray(p, dtype=np.float64).copy()
    order = np.argsort(p)
    q = p[order] * (m / np.arange(1, m + 1, dtype=np.float64))
    np.minimum.accumulate(q[::-1], out=q[::-1])
    out = np.empty(m)
    out[order] = q
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)
