"""The site's indicator charts: an indicator's target and actual per fiscal year as paired bars (inline SVG).

Geometry only, from :class:`dxplan.score.indicators.IndicatorScore` (computed by the score core): no rate is
formed here. Every chart carries its figures as text (``title`` and ``desc``, read by screen readers); the
same figures are in the indicator's table beside it (``_indicators.html.j2``). An actual written as text
(「完了」) or a year without a number has no bar and is named in the text.
"""

from __future__ import annotations

from dxplan.i18n import t
from dxplan.model.schema import Plan
from dxplan.output import wording as w
from dxplan.report.common import fy_label
from dxplan.score.indicators import IndicatorScore
from dxplan.score.rates import fmt_num

WIDTH = 720
"""The chart's width in SVG units (it scales to the page's width)."""
PLOT_TOP, PLOT_BOTTOM, LEFT = 14, 170, 64
TARGET_FILL, ACTUAL_FILL = "#5c5c5c", "#1f5fa8"
"""Target bars grey, actual bars blue: both reach 4.5:1 against white (as the report's state colours)."""


def _value(v: float | None, unit: str) -> str:
    return "—" if v is None else f"{fmt_num(v)}{unit}"


def indicator_chart(plan: Plan, s: IndicatorScore, chart_id: str, lang: str) -> dict | None:
    """The chart of one indicator, or None when no fiscal year has a numeric target or actual.

    ``{"id", "title", "desc", "height", "width", "grid": [{"y", "label"}], "years": [{"label", "x", "target":
    {"x", "y", "height", "text"} | None, "actual": … | None}], "target_fill", "actual_fill", "legend"}``. Bars
    start at 0 (or at the lowest value when one is negative); the top of the scale is the largest value shown.
    """
    unit = s.indicator.unit or ""
    rows = []
    for y in s.years:
        actual = y.actual.value if y.actual is not None else None
        rows.append((y.fiscal_year, y.target, actual, y.actual.text if y.actual is not None and y.actual.value is None else None))
    numbers = [v for _, tv, av, _ in rows for v in (tv, av) if v is not None]
    if not numbers:
        return None
    top, bottom = max(0.0, *numbers), min(0.0, *numbers)
    span = (top - bottom) or 1.0
    scale = (PLOT_BOTTOM - PLOT_TOP) / span

    def y_of(v: float) -> float:
        return PLOT_BOTTOM - (v - bottom) * scale

    slot = (WIDTH - LEFT) / len(rows)
    bar = min(40.0, slot / 3)
    years, lines = [], []
    for i, (fy, tv, av, text) in enumerate(rows):
        x0 = LEFT + i * slot + (slot - 2 * bar - 4) / 2
        label = fy_label(plan, fy, lang)

        def rect(v: float | None, x: float) -> dict | None:
            if v is None:
                return None
            y_top, y_zero = y_of(max(v, 0.0)), y_of(min(v, 0.0))
            return {"x": f"{x:.1f}", "y": f"{y_top:.1f}", "height": f"{max(y_zero - y_top, 1.0):.1f}", "text": _value(v, unit)}

        actual_text = text if text is not None else _value(av, unit)
        years.append({"label": label, "x": f"{LEFT + i * slot + slot / 2:.1f}", "target": rect(tv, x0), "actual": rect(av, x0 + bar + 4),
                      "bar": f"{bar:.1f}"})
        lines.append(t(lang, "{year}: target {target}, actual {actual}", year=label, target=_value(tv, unit), actual=actual_text))
    grid = [{"y": f"{y_of(v):.1f}", "label": fmt_num(v)} for v in dict.fromkeys([bottom, bottom + span / 2, top])]
    return {
        "id": chart_id,
        "title": t(lang, "{name}: target and actual per fiscal year", name=s.indicator.name),
        "desc": w.sep(lang).join(lines),
        "width": WIDTH,
        "height": PLOT_BOTTOM + 30,
        "left": LEFT,
        "label_y": PLOT_BOTTOM + 20,
        "zero_y": f"{y_of(0.0):.1f}",
        "grid": grid,
        "years": years,
        "target_fill": TARGET_FILL,
        "actual_fill": ACTUAL_FILL,
        "legend": {"target": t(lang, "target"), "actual": t(lang, "actual")},
    }
