"""The `anomalies` model (engine/anomalies.py) on hand-made numbers, and once end to end."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats

from sijill.engine.params import Parameters
from sijill.engine.reconciliation.anomalies import (
    INDICATORS,
    MIN_BASE,
    MIN_EXCESS,
    MIN_RATIO,
    Q_LEVEL,
    RATE_FLOOR,
    SCHEMA,
    TOLERANCE,
    Floats,
    anomalies,
    assess,
    expected_rates,
    overdispersion,
    p_values,
)
from tests.extract_files import (
    COMMUNE,
    MOHAMMED,
    SAID,
    YOUSSEF,
    Row,
    Rows,
    amo_row,
    changed,
    read_output,
    reconcile_rows,
    rnp_row,
    rsu_row,
    territories_rows,
    territory_row,
)

SINGLES = INDICATORS[0]
assert SINGLES.name == "SINGLE_PERSON_SHARE"


def floats(*values: float) -> Floats:
    return np.array(values, dtype=np.float64)


def column(table: pa.Table, name: str) -> list[object]:
    values: list[object] = table[name].to_pylist()
    return values


# --- expected_rates -----------------------------------------------------------------------------


def test_no_usable_annex_gives_the_pooled_rate() -> None:
    k, n = floats(1, 2, 0), floats(5, 5, 0)
    assert expected_rates(k, n, ["P", "P", "P"]) == pytest.approx([0.3, 0.3, 0.3])
    assert expected_rates(floats(0, 0), floats(5, 5), ["P", "P"]) == pytest.approx(
        [RATE_FLOOR, RATE_FLOOR]
    )


def test_one_province_gets_the_national_median() -> None:
    # seven annexes of 200 households: six around 11 %, one at 60 %; the median ignores it
    k, n = floats(20, 21, 22, 22, 23, 24, 120), floats(*[200] * 7)
    assert expected_rates(k, n, ["P"] * 7) == pytest.approx([0.11] * 7)


def test_provinces_that_truly_differ_keep_their_median() -> None:
    # no spread inside each province: its median is certain, the weight is 1
    k = floats(*[10] * 5, *[30] * 5)
    n = floats(*[100] * 10)
    group = ["A"] * 5 + ["B"] * 5
    assert expected_rates(k, n, group) == pytest.approx([0.1] * 5 + [0.3] * 5)


def test_province_medians_are_shrunk_towards_the_national_one() -> None:
    a = [0.08, 0.10, 0.12, 0.09, 0.11]
    b = [0.18, 0.20, 0.22, 0.19, 0.21]
    k = floats(*(100 * r for r in a + b))
    n = floats(*[100] * 10)
    # by hand: MAD 0.01 in each province, noise = pi/2 (1.4826 * 0.01)^2 / 5,
    # between = var(0.10, 0.20) - noise, national median (0.12 + 0.18) / 2
    noise = math.pi / 2 * (1.4826 * 0.01) ** 2 / 5
    between = 0.0025 - noise
    weight = between / (between + noise)
    national = 0.15
    expected = [weight * 0.10 + (1 - weight) * national] * 5 + [
        weight * 0.20 + (1 - weight) * national
    ] * 5
    found = expected_rates(k, n, ["A"] * 5 + ["B"] * 5)
    assert found == pytest.approx(expected)
    assert 0.10 < found[0] < 0.11 and 0.19 < found[5] < 0.20


def test_provinces_that_do_not_differ_get_the_national_median() -> None:
    a = [0.08, 0.10, 0.12, 0.09, 0.11]
    b = [0.10, 0.08, 0.12, 0.11, 0.13]
    k = floats(*(100 * r for r in a + b))
    found = expected_rates(k, floats(*[100] * 10), ["A"] * 5 + ["B"] * 5)
    assert found == pytest.approx([float(np.median(a + b))] * 10)


def test_small_provinces_and_small_annexes() -> None:
    # C has two usable annexes (fewer than MIN_PEERS): the national median; the annex of A
    # with a base under MIN_BASE is left out of the medians but gets A's expected rate.
    rates = [0.10] * 5 + [0.30] * 5 + [0.90, 0.90]
    k = floats(*(100 * r for r in rates), 9)
    n = floats(*[100] * 12, MIN_BASE - 1)
    group = ["A"] * 5 + ["B"] * 5 + ["C", "C", "A"]
    found = expected_rates(k, n, group)
    national = float(np.median(rates))
    assert national == pytest.approx(0.30)
    assert found[10:12] == pytest.approx([national, national])
    assert found[12] == pytest.approx(0.10)
    assert found[:5] == pytest.approx([0.10] * 5)


# --- overdispersion -----------------------------------------------------------------------------


def test_overdispersion_from_the_spread_of_z_scores() -> None:
    # p0 = 0.5, n = 100: sd 0.05, so these rates have z = -2, -1, 0, 1, 2 (MAD 1)
    k, n, p0 = floats(40, 45, 50, 55, 60), floats(*[100] * 5), floats(*[0.5] * 5)
    assert overdispersion(k, n, p0) == pytest.approx((1.4826**2 - 1) / 99)


def test_binomial_spread_is_no_overdispersion() -> None:
    # z = -1, -0.5, 0, 0.5, 1: MAD 0.5, spread 0.74 <= 1
    k = floats(45, 47.5, 50, 52.5, 55)
    assert overdispersion(k, floats(*[100] * 5), floats(*[0.5] * 5)) == 0.0


def test_overdispersion_needs_three_usable_annexes_and_is_capped() -> None:
    n = floats(100, 100, MIN_BASE - 1)
    assert overdispersion(floats(10, 90, 10), n, floats(0.5, 0.5, 0.5)) == 0.0
    k = floats(0, 1, 10, 19, 20)
    assert overdispersion(k, floats(*[20] * 5), floats(*[0.5] * 5)) == 0.5


# --- p_values -----------------------------------------------------------------------------------


def _binomial_tail(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


def test_binomial_p_values() -> None:
    k, n, p0 = floats(3, 0, 10, 0), floats(10, 10, 10, 0), floats(0.1, 0.1, 0.1, 0.1)
    found = p_values(k, n, p0, 0.0)
    assert found[:3] == pytest.approx([_binomial_tail(3, 10, 0.1), 1.0, 0.1**10])
    assert math.isnan(found[3])  # no base, no test


def test_beta_binomial_p_values_are_less_surprised() -> None:
    k, n, p0 = floats(40), floats(200), floats(0.11)
    rho = 0.02
    scale = (1 - rho) / rho
    found = p_values(k, n, p0, rho)
    assert found[0] == pytest.approx(stats.betabinom.sf(39, 200, 0.11 * scale, 0.89 * scale))
    assert found[0] > p_values(k, n, p0, 0.0)[0]


# --- assess -------------------------------------------------------------------------------------


def _assess(k: Floats, n: Floats, province: list[str] | None = None) -> pa.Table:
    annex = [f"A-{i:05d}" for i in range(len(k))]
    return assess(SINGLES, annex, province or ["P"] * len(k), k, n)


def test_an_annex_far_above_its_peers_is_flagged() -> None:
    # 60 % single-person households among 200, where its six peers have about 11 %
    found = _assess(floats(20, 21, 22, 22, 23, 24, 120), floats(*[200] * 7))
    assert column(found, "flagged") == [False] * 6 + [True]
    assert column(found, "observed")[6] == pytest.approx(0.6)
    assert column(found, "expected")[6] == pytest.approx(0.11)
    q = column(found, "q_value")[6]
    assert isinstance(q, float) and q < 1e-30


def test_a_modest_excess_is_not_flagged() -> None:
    found = _assess(floats(20, 21, 22, 22, 23, 24, 30), floats(*[200] * 7))
    assert column(found, "flagged") == [False] * 7
    q = column(found, "q_value")[6]
    assert isinstance(q, float) and q > Q_LEVEL


@pytest.mark.parametrize(
    ("peer", "annex", "flagged"),
    [
        (0.11, 0.14, False),  # significant, but only 3 points above: under MIN_EXCESS
        (0.40, 0.48, False),  # 8 points above, but only 1.2 times: under MIN_RATIO
        (0.40, 0.62, True),  # 22 points and 1.55 times
        (0.11, 0.17, True),  # 6 points and 1.55 times
    ],
)
def test_effect_size_rule(peer: float, annex: float, flagged: bool) -> None:
    # with 20,000 households per annex any of these excesses is far beyond chance
    n = 20_000
    found = _assess(floats(*[round(peer * n)] * 6, round(annex * n)), floats(*[n] * 7))
    q = column(found, "q_value")[6]
    assert isinstance(q, float) and q < Q_LEVEL
    excess = annex - peer
    assert (excess >= MIN_EXCESS and annex >= MIN_RATIO * peer) is flagged
    assert column(found, "flagged") == [False] * 6 + [flagged]


def test_a_base_under_min_base_is_never_flagged() -> None:
    found = _assess(floats(20, 21, 22, 22, 23, 24, MIN_BASE - 1), floats(*[200] * 6, MIN_BASE - 1))
    q = column(found, "q_value")[6]
    assert isinstance(q, float) and q < Q_LEVEL  # every household single: very unlikely
    assert column(found, "flagged")[6] is False


def test_a_base_of_zero_gives_nulls() -> None:
    found = _assess(floats(20, 21, 22, 22, 23, 0), floats(200, 200, 200, 200, 200, 0))
    assert found.schema == SCHEMA
    last = found.slice(5).to_pylist()[0]
    assert last["observed"] is None and last["p_value"] is None and last["q_value"] is None
    assert last["flagged"] is False
    assert last["expected"] == pytest.approx(0.11)
    assert last["indicator"] == "SINGLE_PERSON_SHARE"


def test_q_values_are_benjamini_hochberg() -> None:
    k = floats(20, 25, 30, 35, 40, 45, 21, 0)
    n = floats(200, 200, 200, 200, 200, 200, 200, 0)
    found = _assess(k, n)
    p = [float(v) for v in column(found, "p_value") if isinstance(v, float)]
    q = [float(v) for v in column(found, "q_value") if isinstance(v, float)]
    assert len(p) == len(q) == 7
    # by hand: q_(i) = min over j >= i of p_(j) * m / j, in increasing order of p
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    by_hand = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        by_hand[i] = running
    assert q == pytest.approx(by_hand)
    assert all(qi >= pi for pi, qi in zip(p, q, strict=True))


# scipy.stats.betabinom.sf is itself only good to about 1e-11 with bases in the thousands
# (tests/engine/test_tails.py)
SCIPY_BETABINOM = 2e-11


def test_assess_keeps_the_scipy_results_on_a_national_sized_indicator() -> None:
    # 4,000 annexes of about 2,500 households in 75 provinces, over-dispersed, a dozen split
    rng = np.random.default_rng(11)
    size = 4_000
    province = [f"P{i % 75:02d}" for i in range(size)]
    n = np.round(rng.normal(2_500, 300, size)).clip(MIN_BASE)
    k = rng.binomial(n.astype(np.int64), rng.beta(0.11 * 200, 0.89 * 200, size)).astype(np.float64)
    k[:12] = np.round(0.6 * n[:12])
    found = assess(SINGLES, [f"A-{i:05d}" for i in range(size)], province, k, n)

    p0 = expected_rates(k, n, province)
    rho = overdispersion(k, n, p0)
    assert 0.001 < rho < 0.05
    scale = (1 - rho) / rho
    p = np.clip(stats.betabinom.sf(k - 1, n, p0 * scale, (1 - p0) * scale), 0.0, 1.0)
    q = stats.false_discovery_control(p, method="bh")
    found_p = np.array(column(found, "p_value"), dtype=np.float64)
    found_q = np.array(column(found, "q_value"), dtype=np.float64)
    np.testing.assert_allclose(found_p, p, rtol=0, atol=SCIPY_BETABINOM)
    # q = p m / rank: the tolerance on p, times m
    np.testing.assert_allclose(found_q, q, rtol=0, atol=size * SCIPY_BETABINOM)
    observed = k / n
    flagged = (
        (q < Q_LEVEL)
        & (observed - p0 >= MIN_EXCESS - TOLERANCE)
        & (observed >= MIN_RATIO * p0 - TOLERANCE)
    )
    assert column(found, "flagged") == flagged.tolist()
    assert flagged[:12].all() and 12 <= flagged.sum() < 40


# --- anomalies(): every indicator from the funnel's annex rows -------------------------------


def test_every_indicator_for_every_annex() -> None:
    rows = pa.table(
        {
            "annex_code": ["A1", "A2"],
            "province": ["P", "P"],
            "rsu_single_households": [3, 0],
            "rsu_households": [10, 0],
            "amo_pending_stale": [1, 2],
            "amo_files": [4, 8],
            "amo_not_in_rsu": [2, 0],
            "amo_mismatch": [1, 5],
            "amo_beneficiaries": [12, 20],
        }
    )
    found = anomalies(rows)
    assert found.schema == SCHEMA
    observed = {
        (str(r["indicator"]), str(r["annex_code"])): r["observed"] for r in found.to_pylist()
    }
    assert observed == pytest.approx(
        {
            ("SINGLE_PERSON_SHARE", "A1"): 0.3,
            ("SINGLE_PERSON_SHARE", "A2"): None,
            ("STALE_PENDING_SHARE", "A1"): 0.25,
            ("STALE_PENDING_SHARE", "A2"): 0.25,
            ("AMO_RSU_DISCREPANCY_RATE", "A1"): 3 / 12,
            ("AMO_RSU_DISCREPANCY_RATE", "A2"): 5 / 20,
        }
    )


IMPORTS_ONLY_SCIPY_SPECIAL = """
import sys
import numpy as np
import pyarrow as pa
from sijill.engine.reconciliation.anomalies import anomalies, p_values
from sijill.engine.reconciliation.tails import q_values

rng = np.random.default_rng(0)
n = rng.integers(100, 3000, 300)
k = rng.binomial(n, rng.beta(5, 40, 300))
rows = pa.table({
    "annex_code": [f"A{i}" for i in range(300)],
    "province": [f"P{i % 7}" for i in range(300)],
    "rsu_single_households": k, "rsu_households": n,
    "amo_pending_stale": k // 3, "amo_files": n,
    "amo_not_in_rsu": k // 5, "amo_mismatch": k // 7, "amo_beneficiaries": n,
})
assert anomalies(rows).num_rows == 900
kf, nf = k.astype(float), n.astype(float)
for rho in (0.0, 0.02):
    q_values(p_values(kf, nf, np.full(300, 0.11), rho))
assert "scipy.special" in sys.modules
print(sorted(m for m in sys.modules if m.startswith("scipy.stats")))
"""


def test_the_model_does_not_import_scipy_stats() -> None:
    # scipy.stats alone costs about a second of every `sijill reconcile`
    run = subprocess.run(
        [sys.executable, "-c", IMPORTS_ONLY_SCIPY_SPECIAL],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "[]"


# --- end to end ---------------------------------------------------------------------------------

ANNEXES = [f"A-0{950 + i}" for i in range(7)]
SINGLE_COUNTS = [20, 21, 22, 22, 23, 24, 120]  # of 200 households each


def anomaly_rows() -> dict[str, Rows]:
    territories = territories_rows()[:3] + [
        territory_row(code, COMMUNE, "annex", f"الملحقة {i + 1}", f"Annexe {i + 1}")
        for i, code in enumerate(ANNEXES)
    ]
    rsu: Rows = []
    for code, singles in zip(ANNEXES, SINGLE_COUNTS, strict=True):
        for h in range(200):
            household = f"{code}-H{h:03d}"
            members: list[tuple[str, Row]] = [("head", SAID)]
            if h >= singles:
                members.append(("child", YOUSSEF))
            for m, (relation, who) in enumerate(members):
                rsu.append(
                    rsu_row(f"{household}-{m}", household, None, relation, who, 7.0, annex=code)
                )
    rnp = [rnp_row("0012345678", MOHAMMED, annex=ANNEXES[0])]
    first = amo_row("B1", "F1", f"{ANNEXES[0]}-H000", None, "insured", SAID, "accepted")
    amo = [changed(first, annex_code=ANNEXES[0])]
    return {"territories": territories, "rnp": rnp, "rsu": rsu, "amo": amo}


def test_reconcile_flags_the_split_annex(tmp_path: Path) -> None:
    out = reconcile_rows(tmp_path, anomaly_rows(), Parameters(date(2024, 3, 10)))
    found = read_output(out, "anomalies")
    assert len(found) == len(ANNEXES) * len(INDICATORS)
    singles = {str(r["annex_code"]): r for r in found if r["indicator"] == SINGLES.name}
    assert [singles[a]["flagged"] for a in ANNEXES] == [False] * 6 + [True]
    assert singles[ANNEXES[6]]["observed"] == pytest.approx(0.6)
    assert singles[ANNEXES[6]]["expected"] == pytest.approx(0.11)
    assert not any(r["flagged"] for r in found if r["indicator"] != SINGLES.name)


def test_the_effect_size_boundary_is_inclusive() -> None:
    # 15 % against 10 %: exactly 5 points and exactly 1.5 times, "at least" both
    n = 20_000
    found = _assess(floats(*[2_000] * 6, 3_000), floats(*[n] * 7))
    q = column(found, "q_value")[6]
    assert isinstance(q, float) and q < 1e-100
    assert column(found, "flagged")[6] is True


def test_every_indicator_has_its_words_in_the_vocabulary() -> None:
    from sijill.domain import vocabulary

    assert [i.name for i in INDICATORS] == list(vocabulary.INDICATORS)
