"""Geometry of the server-rendered SVG charts: the funnel and the single-person share band.

Templates draw the shapes; this computes where they go. Right-to-left pages mirror the
horizontal axis, so that bars start on the reading side.
"""

from __future__ import annotations

from dataclasses import dataclass

from sijill.dashboards.funnel import StepRow

WIDTH = 920
# Room for the step's name: its vocabulary words, the longest of which ("RNP persons
# registered in the RSU", in Arabic) takes about 395 units at 14 px.
LABEL = 420
ROW = 38
BAR = 24
GAP = 8
PRINTED = 70.0  # percent of the printed bar cell the longest bar takes


@dataclass(frozen=True, slots=True)
class Bar:
    row: StepRow
    y: int
    text_y: int
    label_x: int
    value_x: int  # rect of the step's value
    value_width: float
    lost_x: float  # rect of the people lost since the previous step
    lost_width: float
    note_x: float  # where the figures are written
    anchor: str  # text-anchor for the label
    note_anchor: str
    kept_share: float  # the same bars as shares of the printed width (PDF: no SVG text)
    lost_share: float


@dataclass(frozen=True, slots=True)
class FunnelChart:
    width: int
    height: int
    bars: list[Bar]


def _mirror(x: float, w: float, rtl: bool) -> float:
    return WIDTH - x - w if rtl else x


def funnel_chart(rows: list[StepRow], rtl: bool) -> FunnelChart:
    scale_width = WIDTH - LABEL - 150  # leave room for the figures after the longest bar
    top = max((r.value for r in rows), default=0) or 1
    bars = []
    previous = None
    for i, row in enumerate(rows):
        y = GAP + i * ROW
        width = scale_width * row.value / top
        lost = scale_width * max(previous - row.value, 0) / top if previous is not None else 0.0
        bars.append(
            Bar(
                row=row,
                y=y,
                text_y=y + BAR // 2 + 5,
                label_x=WIDTH - 4 if rtl else 4,
                value_x=round(_mirror(LABEL, width, rtl)),
                value_width=round(width, 1),
                lost_x=round(_mirror(LABEL + width, lost, rtl), 1),
                lost_width=round(lost, 1),
                note_x=round(_mirror(LABEL + width + lost + 6, 0, rtl), 1),
                anchor="end" if rtl else "start",  # the SVG itself is drawn left to right
                note_anchor="end" if rtl else "start",
                kept_share=round(PRINTED * row.value / top, 2),
                lost_share=round(PRINTED * lost / scale_width, 2),
            )
        )
        previous = row.value
    return FunnelChart(WIDTH, GAP * 2 + ROW * len(rows), bars)


@dataclass(frozen=True, slots=True)
class Band:
    """An annex's single-person share on a 0..scale axis: the expected value, the band in
    which it is not flagged, and where the annex stands."""

    width: int
    expected_x: float
    band_x: float
    band_width: float
    observed_x: float | None


def share_band(
    observed: float | None, expected: float | None, upper: float | None, rtl: bool
) -> Band | None:
    if expected is None or upper is None:
        return None
    width = 200
    scale = max(upper, observed or 0.0, 0.01) * 1.15

    def x(value: float) -> float:
        at = width * value / scale
        return round(width - at if rtl else at, 1)

    band_start, band_end = sorted((x(0.0), x(upper)))
    return Band(
        width,
        x(expected),
        band_start,
        round(band_end - band_start, 1),
        x(observed) if observed is not None else None,
    )
