"""sijill.dashboards.charts: the funnel's bars and the anomaly band, mirrored right to left."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sijill.dashboards.charts import LABEL, WIDTH, funnel_chart, share_band
from sijill.dashboards.funnel import STEPS, steps

ROWS = steps(
    SimpleNamespace(**dict(zip((s.key for s in STEPS), (100, 50, 50, 25, 25, 25, 0), strict=True)))
)


def test_bars_are_proportional_and_the_loss_follows_the_bar() -> None:
    chart = funnel_chart(ROWS, rtl=False)
    first, second, last = chart.bars[0], chart.bars[1], chart.bars[-1]
    assert first.value_x == LABEL and second.value_width == pytest.approx(first.value_width / 2)
    assert second.lost_x == pytest.approx(LABEL + second.value_width)
    assert second.lost_width == pytest.approx(first.value_width / 2)
    assert last.value_width == 0 and last.lost_width == pytest.approx(second.lost_width / 2)
    assert first.kept_share == 70.0 and second.lost_share == 35.0
    assert chart.height > 7 * 24


def test_right_to_left_mirrors_every_shape() -> None:
    ltr, rtl = funnel_chart(ROWS, rtl=False), funnel_chart(ROWS, rtl=True)
    for a, b in zip(ltr.bars, rtl.bars, strict=True):
        assert b.value_x + b.value_width == pytest.approx(WIDTH - a.value_x, abs=1)
        assert b.lost_x + b.lost_width == pytest.approx(WIDTH - a.lost_x, abs=0.2)
        assert (a.anchor, b.anchor) == ("start", "end")


def test_the_band_places_expected_band_and_observed() -> None:
    band = share_band(0.30, 0.10, 0.15, rtl=False)
    assert band is not None
    assert band.band_x == 0 and band.expected_x < band.band_width < (band.observed_x or 0)
    mirrored = share_band(0.30, 0.10, 0.15, rtl=True)
    assert mirrored is not None and mirrored.observed_x == pytest.approx(
        band.width - (band.observed_x or 0), abs=0.2
    )
    assert share_band(None, None, None, rtl=False) is None
