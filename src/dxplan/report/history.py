"""The report's history parts as plain dicts for the templates (``_history.*.j2``, ``_history_sheet.*.j2``).

Arranges a :class:`dxplan.report.history_figures.ReportHistory` computed once: the table of status counts and
shares per canonical state at each date (dates as columns, as 000's summary table), the comparison with the
plan's own summary table, the movement since the previous date, the line chart of the shares over time
(geometry in SVG user units, 720 wide, so the templates need no arithmetic) and, per action, its status
words at each date. No figure is computed here; dates are worded as the plan writes them in Japanese
(令和6年5月23日) and in Western form in English (23 May 2024). Shares are percents 0–100, two decimals,
half-up (:func:`dxplan.status.counts.share_text`).
"""

from __future__ import annotations

from dxplan.status.counts import Counts, share_text
from dxplan.status.history import ActionAt, HistoryPoint
from .history_figures import ActionChange, Movement, ReportHistory, SourceColumnCheck
from dxplan.i18n import t
from dxplan.model.schema import STATE_ORDER, Action, Plan, State
from .common import STATE_FILL, date_label, fy_label, state_views
from dxplan.output import wording as w

#: Dash patterns of the chart's lines, so that the states differ without colour too.
STATE_DASH = {"not_started": "2 4", "considering": "8 4", "in_progress": "", "done": "12 3 3 3"}

# chart geometry (SVG user units)
_W, _LEFT, _RIGHT, _TOP, _BOTTOM = 720, 52, 690, 14, 214
_HEIGHT = 250
_MAX_LABELS = 8


def signed(n: int) -> str:
    """A difference as shown: ``+3``, ``−2`` (minus sign U+2212), ``±0``."""
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "±0")


def _cell(c: Counts, s: State) -> str:
    return f"{c.states[s]} ({share_text(c.share(s))})" if c.with_status else "—"


def _headings(plan: Plan, points: list[HistoryPoint], lang: str) -> list[dict]:
    """Column heads: the evaluation date as the plan writes it (with the commit where two columns share a date,
    as when an evaluation date was set back)."""
    labels = [date_label(plan, p.date, lang) for p in points]
    out = []
    for p, label in zip(points, labels, strict=True):
        twice = labels.count(label) > 1
        out.append({
            "date": label,
            "commit": p.short if twice else None,
            "fiscal_year": fy_label(plan, p.fiscal_year, lang),
            "heading": label + (f" {p.short}" if twice else ""),
        })
    return out


def _source_cell(p: HistoryPoint, checks: list[SourceColumnCheck], words: dict[State, str], lang: str) -> str:
    found = [c for c in checks if c.point is p]
    if not found:
        return "—"
    c = found[-1]
    if c.outcome == "agrees":
        return t(lang, "matches")
    return t(lang, "differs: {parts}", parts=_differences(c, words, lang))


def _differences(c: SourceColumnCheck, words: dict[State, str], lang: str) -> str:
    def name(key: str) -> str:
        return w.total_label(lang) if key == "total" else words[State(key)]

    return w.sep(lang).join(t(lang, "{what} {printed} printed, {computed} in history", what=name(k), printed="—" if a is None else a, computed=b)
                            for k, (a, b) in c.differences.items())


def _source_line(plan: Plan, checks: list[SourceColumnCheck], lang: str) -> str | None:
    """One sentence: which dates of the plan's own table agree with history, which differ, which history lacks."""
    if not checks:
        return None
    groups = {o: [date_label(plan, c.snapshot.date, lang) for c in checks if c.outcome == o] for o in ("agrees", "differs", "no_column")}
    parts = []
    if groups["agrees"]:
        parts.append(t(lang, "agree with history on {dates}", dates=w.sep(lang).join(groups["agrees"])))
    if groups["differs"]:
        parts.append(t(lang, "differ from history on {dates}", dates=w.sep(lang).join(groups["differs"])))
    if groups["no_column"]:
        parts.append(t(lang, "have no history column on {dates}", dates=w.sep(lang).join(groups["no_column"])))
    return t(lang, "The plan's own summary table ({n} columns): {parts}.", n=len(checks), parts=t(lang, "; ").join(parts))


def _state_word(state: State | None, words: dict[State, str], lang: str) -> str:
    return words[state] if state is not None else t(lang, "no status")


def movement_view(plan: Plan, m: Movement, words: dict[State, str], actions: dict[str, Action], anchors: dict[str, str], lang: str) -> dict:
    """``{"since", "to", "parts": ["完了 +49", …] (states that moved, by their heading: ``done (完了) +49`` in English),
    "line", "rows": [{"key", "word", "delta"}],
    "no_status", "changed": [{"id", "title", "anchor", "before", "after"}] (plan order), "groups": the same grouped by
    change (``[{"before", "after", "actions"}]``, in order of first appearance), "changed_heading", "other_year"}``."""
    since, to = date_label(plan, m.before.date, lang), date_label(plan, m.after.date, lang)
    rows = [{"key": s.value, "word": st["label"], "delta": signed(m.deltas[s])} for st, s in zip(state_views(words, lang), STATE_ORDER, strict=True)]
    parts = [f"{r['word']} {r['delta']}" for r, s in zip(rows, STATE_ORDER, strict=True) if m.deltas[s]]
    if m.no_status:
        parts.append(f"{t(lang, 'no status')} {signed(m.no_status)}")
    body = w.sep(lang).join(parts) if parts else t(lang, "no change in the status counts")
    changed = [_change(c, words, actions, anchors, lang) for c in m.changed]
    by_change: dict[tuple[str, str], dict] = {}
    for c in changed:
        by_change.setdefault((c["before"], c["after"]), {"before": c["before"], "after": c["after"], "actions": []})["actions"].append(c)
    groups = list(by_change.values())
    return {
        "since": since,
        "to": to,
        "parts": parts,
        "rows": rows,
        "no_status": signed(m.no_status),
        "line": t(lang, "Movement since {since} (to {to}): {parts}", since=since, to=to, parts=body),
        "changed": changed,
        "groups": groups,
        "changed_heading": t(lang, "Actions whose state changed since {since} ({n})", since=since, n=len(m.changed)),
        "other_year": None if m.same_year else t(lang, "the two dates count different fiscal years ({before} and {after})",
                                                  before=fy_label(plan, m.before.fiscal_year, lang), after=fy_label(plan, m.after.fiscal_year, lang)),
    }


def _change(c: ActionChange, words: dict[State, str], actions: dict[str, Action], anchors: dict[str, str], lang: str) -> dict:
    a = actions.get(c.action_id)
    return {
        "id": c.action_id,
        "title": a.title if a else "",
        "anchor": anchors.get(c.action_id),
        "before": _state_word(c.before, words, lang),
        "after": _state_word(c.after, words, lang),
    }


def line_chart(plan: Plan, points: list[HistoryPoint], words: dict[State, str], lang: str) -> dict:
    """The shares of each state over the columns as lines: ``{"id", "title", "desc", "width", "height", "grid":
    [{"y", "label"}], "xlabels": [{"x", "text", "anchor"}], "lines": [{"key", "word", "colour", "dash", "points",
    "dots": [{"x", "y", "title"}]}], "left", "right", "top", "bottom"}``. Columns are spaced evenly (in order,
    not to scale in time); a column without any status is left out of the lines."""
    n = len(points)
    step = (_RIGHT - _LEFT) / (n - 1) if n > 1 else 0
    xs = [_LEFT + i * step for i in range(n)]
    labels = [date_label(plan, p.date, lang) for p in points]

    def y_of(share: float) -> float:
        return _BOTTOM - share / 100 * (_BOTTOM - _TOP)

    every = -(-n // _MAX_LABELS)
    xlabels = []
    for i, (x, text) in enumerate(zip(xs, labels, strict=True)):
        if i % every and i != n - 1:
            continue
        anchor = "start" if i == 0 else ("end" if i == n - 1 else "middle")
        xlabels.append({"x": f"{x:.1f}", "text": text, "anchor": anchor})
    lines = []
    for s in STATE_ORDER:
        dots = []
        for x, p, label in zip(xs, points, labels, strict=True):
            share = p.counts.share(s)
            if share is None:
                continue
            dots.append({"x": f"{x:.1f}", "y": f"{y_of(share):.1f}",
                         "title": t(lang, "{date}: {word} {n} {share}", date=label, word=words[s], n=p.counts.states[s], share=share_text(share))})
        lines.append({
            "key": s.value, "word": words[s], "colour": STATE_FILL[s.value], "dash": STATE_DASH[s.value],
            "points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots,
        })
    desc = "; ".join(
        f"{label}: " + w.sep(lang).join(f"{words[s]} {share_text(p.counts.share(s))}" for s in STATE_ORDER)
        for p, label in zip(points, labels, strict=True) if p.counts.with_status
    )
    return {
        "id": "chart-history",
        "title": t(lang, "Shares of the task rows per status over time ({first} to {last})", first=labels[0], last=labels[-1]),
        "desc": desc,
        "width": _W, "height": _HEIGHT, "left": _LEFT, "right": _RIGHT, "top": _TOP, "bottom": _BOTTOM,
        "grid": [{"y": f"{y_of(v):.1f}", "label": f"{v}%"} for v in (0, 25, 50, 75, 100)],
        "xlabels": xlabels,
        "label_y": _BOTTOM + 22,
        "lines": lines,
    }


def _sheet_row(plan: Plan, states: list[ActionAt | None], heads: list[dict], lang: str) -> dict | None:
    """One action's statuses at each column, or None when no column holds a status word for it."""
    if not any(a is not None and any(a.words) for a in states):
        return None
    cells = []
    for a in states:
        if a is None or not a.words:
            cells.append("—")
        else:
            cells.append(w.sep(lang).join(word if word else t(lang, "no status") for word in a.words))
    return {"cells": cells}


def history_view(h: ReportHistory | None, plan: Plan, words: dict[State, str], actions: list[Action],
                 anchors: dict[str, str], lang: str) -> dict | None:
    """Everything the history templates show, or None when there is nothing: fewer than two evaluation dates (and not a
    shallow clone with one, where only the note is shown).

    ``{"shown", "shallow_note", "heading", "caption", "columns": [heading dicts], "rows": [{"key", "label",
    "cells"}], "total", "without", "source_row", "source_line", "movement", "chart", "sheets":
    {action id: {"caption", "columns", "cells"}}, "sheet_heading"}``.
    """
    if h is None or not (h.shown or (h.shallow and h.points)):
        return None
    shallow_note = t(lang, "The repository is a shallow clone: the history starts at its oldest commit here "
                           "(git fetch --unshallow brings the rest).") if h.shallow else None
    if not h.shown:
        return {"shown": False, "shallow_note": shallow_note}
    points = h.points
    heads = _headings(plan, points, lang)
    years = {p.fiscal_year for p in points}
    one_year = fy_label(plan, points[0].fiscal_year, lang) if len(years) == 1 else None
    by_id = {a.id: a for a in actions}
    sheet_caption = t(lang, "Status over the evaluation dates ({year})", year=one_year) if one_year else t(lang, "Status over the evaluation dates")
    sheet_columns = [hd["heading"] if one_year else f"{hd['heading']} ({hd['fiscal_year']})" for hd in heads]
    sheets = {}
    for aid, states in h.actions.items():
        row = _sheet_row(plan, states, heads, lang)
        if row is not None:
            sheets[aid] = row | {"caption": sheet_caption, "columns": sheet_columns}
    return {
        "shown": True,
        "shallow_note": shallow_note,
        "heading": t(lang, "Status over time (from the plan's history)"),
        "caption": t(lang, "Task rows per status at each date ({year})", year=one_year) if one_year
        else t(lang, "Task rows per status at each date (the fiscal year of each date)"),
        "intro": t(lang, "One column per evaluation date of the plan in its git repository, oldest first: the plan as "
                         "the last commit with that date holds it; counts and shares (of the rows with a status) of the "
                         "task rows of the fiscal year evaluated."),
        "columns": heads,
        "years_differ": one_year is None,
        "rows": [{"key": st["key"], "label": st["label"], "cells": [_cell(p.counts, s) for p in points]}
                 for st, s in zip(state_views(words, lang), STATE_ORDER, strict=True)],
        "total": [str(p.counts.with_status) for p in points],
        "without": [str(p.counts.without) for p in points],
        "source_row": [_source_cell(p, h.checks, words, lang) for p in points] if h.checks else None,
        "source_line": _source_line(plan, h.checks, lang),
        "movement": movement_view(plan, h.movement, words, by_id, anchors, lang) if h.movement else None,
        "chart": line_chart(plan, points, words, lang),
        "sheets": sheets,
        "source_row_label": t(lang, "the plan's own table"),
    }
