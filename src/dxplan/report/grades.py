"""The report's grade split: the grades entered per fiscal year (a published A/B/C/D split), arranged for
``_grades.md.j2`` / ``_grades.html.j2``.

Pure arrangement of :class:`dxplan.status.counts.GradeTable` (computed once by
:func:`dxplan.status.counts.status_result`, the same tables ``dxplan status`` and ``dxplan score`` print):
each evaluating grade of the plan's scale, best first, with its meaning, count and share of the graded rows; grades
the scale declares not evaluated (評価できない, 対象外), rows not graded and grades the scale does not hold counted
apart, never in the shares. Shares are percents
(0–100) shown to two decimals, half-up (:func:`dxplan.status.counts.share_text`). Chart geometry is given in
percent of the bar (x, width, mid), as the status charts' (:func:`dxplan.report.common.stacked_chart`).
"""

from __future__ import annotations

from dxplan.status.counts import GradeCounts, GradeTable, share_text
from dxplan.i18n import t
from dxplan.model.schema import Plan
from .common import fy_label
from dxplan.output import wording as w

GRADE_FILLS = ("#1b6b3a", "#1f5fa8", "#a65300", "#b0182c", "#5c5c5c", "#6b3a8a", "#2e7d4f", "#8a4b00")
"""Fill colours of the grades by position in the scale (best first; cycled beyond eight), as SVG presentation
attributes so WeasyPrint draws them too. Each reaches 4.5:1 against white text."""


def _fill(i: int) -> str:
    return GRADE_FILLS[i % len(GRADE_FILLS)]


def _segments(c: GradeCounts) -> list[dict]:
    segs, x = [], 0.0
    for i, (grade, n) in enumerate(c.grades.items()):
        share = c.share(grade) or 0.0
        segs.append({
            "grade": grade, "fill": _fill(i), "count": n, "share": share_text(c.share(grade)),
            "x": f"{x:.3f}", "width": f"{share:.3f}", "mid": f"{x + share / 2:.3f}",
            "visible": share > 0, "show_text": share >= 9,
        })
        x += share
    return segs


def _apart_line(c: GradeCounts, lang: str) -> str:
    line = t(lang, "not graded: {n} (not in the shares)", n=c.not_graded)
    if c.apart:
        line = w.not_evaluated_line(c, lang) + w.sep(lang) + line
    if c.unknown:
        line += w.sep(lang) + t(lang, "grades not in the scale: {n} (not in the shares; see dxplan lint)", n=c.unknown)
    return line


def grade_summary_view(plan: Plan, tables: list[GradeTable], lang: str) -> dict | None:
    """The grade split per fiscal year for the report's summary; None when the plan declares no grade scale.

    ``{"title", "grades": [{"grade", "meaning", "fill"}] (the evaluating grades), "not_evaluated": [{"grade", "meaning"}]
    (grades declared not evaluated, counted apart), "years": [{"fiscal_year", "label", "cells": [{"count", "share"}],
    "apart": [count per not-evaluated grade], "graded", "not_graded", "unknown", "rows", "apart_line" (sentence),
    "empty"}], "chart": {"id", "title",
    "desc", "height", "bars": [{"label", "text_y", "bar_y", "segments", "summary", "empty"}]}, "note" (the scale's own note, or None)}``.
    """
    scale = plan.grade_scale
    if scale is None or not tables:
        return None
    what = t(lang, "indicators") if scale.applies_to == "indicator" else t(lang, "actions")
    grades = [{"grade": g.grade, "meaning": g.meaning or "", "fill": _fill(i)} for i, g in enumerate(scale.evaluated)]
    apart = [{"grade": g.grade, "meaning": g.meaning or ""} for g in scale.apart]
    years, bars = [], []
    for i, g in enumerate(tables):
        c = g.total
        label = fy_label(plan, g.fiscal_year, lang)
        cells = [{"count": n, "share": share_text(c.share(k))} for k, n in c.grades.items()]
        years.append({
            "fiscal_year": g.fiscal_year, "label": label, "cells": cells, "apart": list(c.apart.values()), "graded": c.graded, "not_graded": c.not_graded,
            "unknown": c.unknown, "rows": c.rows, "apart_line": _apart_line(c, lang), "empty": c.graded == 0,
        })
        summary = (w.sep(lang).join(t(lang, "{word} {n} {share}", word=k, n=n, share=share_text(c.share(k))) for k, n in c.grades.items())
                   if c.graded else t(lang, "nothing graded"))
        y = 8 + i * 46
        bars.append({
            "label": label, "text_y": y + 13, "bar_y": y + 18, "segments": _segments(c), "empty": c.graded == 0,
            "summary": f"{summary} ({_apart_line(c, lang)})",
        })
    title = t(lang, "grades per fiscal year ({what})", what=what)
    chart = {
        "id": "chart-grades", "title": title, "desc": "; ".join(f"{b['label']}: {b['summary']}" for b in bars),
        "height": 8 + len(bars) * 46 + 4, "bars": bars,
    }
    return {"title": title, "grades": grades, "not_evaluated": apart, "years": years, "chart": chart, "note": scale.note}
