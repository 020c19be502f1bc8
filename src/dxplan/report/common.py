"""Pieces every report view shares: fiscal years and dates as the plan writes them, state and count views,
label classes and the chart geometry of the inline SVG charts.

Pure arrangement of figures computed elsewhere (:mod:`dxplan.status.counts`, :mod:`dxplan.report.figures`);
words come from :mod:`dxplan.output.wording` and the gettext catalogue. Percents are 0–100: shares to two
decimals (half-up, as 000 prints them), rates to one decimal (as 001 prints them). Chart geometry is
given in percent of the bar (x, width, mid) so the templates need no arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import overload

from dxplan.status.counts import Counts, GroupCounts, SnapshotCheck, share_text
from .figures import LabelCount
from dxplan.fiscal import format_date, format_fiscal_year
from dxplan.i18n import STATE_EN, t
from dxplan.model.schema import STATE_ORDER, Plan, State
from dxplan.score.actions import ActionScore, band_order
from dxplan.score.rates import ScoreState
from dxplan.output import wording as w


def fy_label(plan: Plan, fy: int, lang: str = "ja") -> str:
    """A fiscal year in the plan's own style (令和6年度, R6 or 2024年度); in English ``FY2024``."""
    return t(lang, "FY{year}", year=fy) if lang == "en" else format_fiscal_year(fy, plan.fiscal_year_style)


@overload
def date_label(plan: Plan, day: dt.date, lang: str) -> str: ...
@overload
def date_label(plan: Plan, day: dt.date | None, lang: str) -> str | None: ...


def date_label(plan: Plan, day: dt.date | None, lang: str) -> str | None:
    """A date as the report shows it: Japanese in the plan's era style (令和7年2月10日), English as 10 February 2025."""
    return None if day is None else format_date(day, lang, plan.fiscal_year_style)


def paren(text: str, lang: str) -> str:
    """``（text）`` in Japanese, `` (text)`` in English."""
    return t(lang, " ({text})", text=text)


def anchor(prefix: str, key: str, used: set[str]) -> str:
    """A unique HTML id from ``prefix`` and ``key`` (non-ASCII replaced), recorded in ``used``."""
    base = prefix + re.sub(r"[^A-Za-z0-9_-]+", "_", key)
    found, n = base, 2
    while found in used:
        found, n = f"{base}-{n}", n + 1
    used.add(found)
    return found


def state_views(words: dict[State, str], lang: str) -> list[dict]:
    """The canonical states in order: ``[{"key", "word" (the plan's), "en", "label" (heading in ``lang``)}]``."""
    return [
        {"key": s.value, "word": words[s], "en": STATE_EN[s.value], "label": w.state_label(words[s], s, lang)}
        for s in STATE_ORDER
    ]


def counts_view(c: Counts, key: str, label: str) -> dict:
    """One group's counts for templates.

    ``{"key", "label", "states": [{"key", "count", "share" (text, e.g. "50.99%"), "share_value" (0–100 or None)}],
    "with_status", "no_status", "unknown", "without" (no_status + unknown), "rows"}``.
    """
    states = [{"key": s.value, "count": c.states[s], "share": share_text(c.share(s)), "share_value": c.share(s)} for s in STATE_ORDER]
    return {
        "key": key,
        "label": label,
        "states": states,
        "with_status": c.with_status,
        "no_status": c.no_status,
        "unknown": c.unknown,
        "without": c.without,
        "rows": c.rows,
    }


def total_view(c: Counts, lang: str) -> dict:
    """:func:`counts_view` of a total row."""
    return counts_view(c, "total", w.total_label(lang))


def group_view(g: GroupCounts, lang: str) -> dict:
    """:func:`counts_view` of one group of a ``--by`` table."""
    return counts_view(g, g.key, w.group_label(g, lang))


def check_view(check: SnapshotCheck | None, words: dict[State, str], lang: str) -> dict | None:
    """The comparison with the plan's own summary table: ``{"label", "date", "matches", "line"}`` (line is a sentence)."""
    if check is None:
        return None
    snap = check.snapshot
    return {"label": snap.label, "date": snap.date.isoformat(), "matches": check.matches, "line": w.snapshot_check_line(check, words, lang)}


def label_class(plan: Plan, s: ActionScore) -> str:
    """The CSS class of an action's label: ``lab-0`` (highest band) … , ``lab-insufficient`` or ``lab-none``."""
    if s.state is ScoreState.insufficient_data:
        return "lab-insufficient"
    if s.state is ScoreState.not_evaluated:
        return "lab-none"
    order = band_order(plan.rating_scale)
    return f"lab-{order.index(s.label)}" if s.label in order else "lab-none"


def states_line(c: Counts, words: dict[State, str], lang: str) -> str:
    """The states a set of rows carries, in words: ``進捗中 3、完了 1`` (states with rows only); ``—`` for none."""
    parts = [f"{words[s]} {c.states[s]}" for s in STATE_ORDER if c.states[s]]
    if c.without:
        parts.append(t(lang, "no status {n}", n=c.without))
    return w.sep(lang).join(parts) or "—"


# --------------------------------------------------------------------------- charts

STATE_FILL = {"not_started": "#5c5c5c", "considering": "#a65300", "in_progress": "#1f5fa8", "done": "#1b6b3a"}
"""Fill colours of the states (as ``report.css``'s ``--st-*``), given as SVG presentation attributes so that
renderers without CSS variables in SVG (WeasyPrint) draw them too. All reach 4.5:1 against white text."""

LABEL_FILL = {"lab-0": "#1b6b3a", "lab-1": "#2e7d4f", "lab-2": "#1f5fa8", "lab-3": "#a65300", "lab-4": "#b0182c",
              "lab-insufficient": "#5c5c5c", "lab-none": "#8a8a8a"}
"""Fill colours of the label classes (as ``report.css``'s ``--lab-*``)."""


def bar_segments(c: Counts, words: dict[State, str]) -> list[dict]:
    """Segments of one stacked bar: x/width/mid in percent of the bar, with the count and share as text."""
    segs, x = [], 0.0
    for s in STATE_ORDER:
        share = c.share(s) or 0.0
        segs.append({
            "key": s.value,
            "fill": STATE_FILL[s.value],
            "word": words[s],
            "count": c.states[s],
            "share": share_text(c.share(s)),
            "x": f"{x:.3f}",
            "width": f"{share:.3f}",
            "mid": f"{x + share / 2:.3f}",
            "visible": share > 0,
            "show_text": share >= 9,
        })
        x += share
    return segs


def bar_summary(c: Counts, words: dict[State, str], lang: str) -> str:
    """One bar's figures in words, for the chart's description: ``未着手 0件 0.00%、…（状況なし 1 件）``."""
    if not c.with_status:
        return t(lang, "no status recorded ({rows} rows)", rows=c.rows)
    parts = w.sep(lang).join(t(lang, "{word} {n} {share}", word=words[s], n=c.states[s], share=share_text(c.share(s))) for s in STATE_ORDER)
    extra = t(lang, " (no status: {without})", without=c.without) if c.without else ""
    return parts + extra


def stacked_chart(chart_id: str, title: str, bars: list[tuple[str, Counts]], words: dict[State, str], lang: str) -> dict:
    """A stacked-bar chart of state shares: ``{"id", "title", "desc", "height", "bars": [{"label", "text_y", "bar_y", "segments", "summary"}]}``.

    Geometry: 720 px wide; each bar has a label line above it (rows of 46 px).
    Bars of groups without any status row are kept, marked ``empty``.
    """
    out = []
    for i, (label, c) in enumerate(bars):
        y = 8 + i * 46
        out.append({
            "label": label,
            "text_y": y + 13,
            "bar_y": y + 18,
            "empty": c.with_status == 0,
            "segments": bar_segments(c, words),
            "summary": bar_summary(c, words, lang),
        })
    desc = "; ".join(f"{b['label']}: {b['summary']}" for b in out)
    return {"id": chart_id, "title": title, "desc": desc, "height": 8 + len(out) * 46 + 4, "bars": out, "empty": all(b["empty"] for b in out)}


_UNEVALUATED_CLASS = {ScoreState.insufficient_data: "lab-insufficient", ScoreState.not_evaluated: "lab-none", ScoreState.no_scale: "lab-none"}


def label_bar_text(key: str | ScoreState, lang: str) -> str:
    """The words of one bar of the label distribution."""
    if key is ScoreState.not_evaluated:
        return t(lang, "not evaluated (no rate)")
    if key is ScoreState.no_scale:
        return t(lang, "a rate, no scale declared")
    return w.unevaluated_label(key, lang) if isinstance(key, ScoreState) else key


def label_chart(labels: list[LabelCount], n: int, lang: str) -> dict:
    """Distribution of labels: one horizontal bar per label of the scale, then データ不足 and 未評価.

    ``{"id", "title", "desc", "height", "total", "bars": [{"label", "class", "count", "share", "width", "text_x", "y"}]}``;
    width/text_x are percents of the bar area (the share of all ``n`` actions × 0.8).
    """
    bars = []
    for i, lc in enumerate(labels):
        cls = _UNEVALUATED_CLASS[lc.key] if isinstance(lc.key, ScoreState) else f"lab-{i}"
        bars.append({
            "label": label_bar_text(lc.key, lang), "class": cls, "fill": LABEL_FILL.get(cls, "#8a8a8a"), "count": lc.count,
            "share": share_text(lc.share, 1), "width": f"{lc.share * 0.8:.3f}", "text_x": f"{lc.share * 0.8 + 1:.3f}",
            "y": 6 + i * 30, "text_y": 6 + i * 30 + 16,
        })
    desc = w.sep(lang).join(t(lang, "{label} {n}", label=b["label"], n=b["count"]) for b in bars)
    return {
        "id": "chart-labels", "title": t(lang, "labels ({n} actions)", n=n),
        "desc": desc, "height": 6 + len(bars) * 30 + 4, "total": n, "bars": bars,
    }
