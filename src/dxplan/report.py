"""Report and status-Markdown views: the figures arranged as plain dicts for the Jinja templates.

A *view* here is the dict a template receives; *rendering* (Jinja, escaping,
template errors) is :mod:`dxplan.render`'s. Every figure comes computed:
:class:`dxplan.aggregate.StatusResult` for ``dxplan status --format markdown``,
:class:`dxplan.figures.ReportFigures` for ``dxplan report``. This module neither
scores, nor lints, nor counts, nor reads the clock; it picks texts through
:mod:`dxplan.wording` and derives chart geometry (the x offset and width of a
bar segment, in percent of the bar) from the shares so that the templates need
no arithmetic. Percents are 0–100 throughout: shares to two decimals (half-up,
as 000 prints them), rates to one decimal (as 001 prints them).
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment

from .aggregate import Counts, GroupCounts, SnapshotCheck, StatusResult, StatusTable, YearStatus, share_text
from .figures import Attention, LabelCount, ReportFigures
from .fiscal import format_fiscal_year
from .indicator_view import sheet_indicators
from .i18n import STATE_EN
from .i18n import tr as _t
from .model import STATE_ORDER, Action, Plan, State
from .planindex import PlanIndex
from .problems import Problem
from .render import render_template, tidy_markdown
from .score import ActionScore, Method, RateStatus, ScoreState, band_order
from . import wording as w

FORMATS = {"md": "report.md.j2", "html": "report.html.j2"}
"""Report formats and their top-level templates."""

_RESULT_KIND = {"actual": ("実績", "actual"), "forecast": ("見込", "forecast"), "planned": ("予定", "planned")}
_SNAP_KIND = {"actual": ("", ""), "forecast": ("見込", "forecast")}


# --------------------------------------------------------------------------- status views


def fy_label(plan: Plan, fy: int) -> str:
    """A fiscal year in the plan's own style (令和6年度, R6 or 2024年度)."""
    return format_fiscal_year(fy, plan.fiscal_year_style)


def _paren(text: str, lang: str) -> str:
    """``（text）`` in Japanese, `` (text)`` in English."""
    return _t(lang, f"（{text}）", f" ({text})")


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


def _total_view(c: Counts, lang: str) -> dict:
    return counts_view(c, "total", w.total_label(lang))


def _group_view(g: GroupCounts, lang: str) -> dict:
    return counts_view(g, g.key, w.group_label(g, lang))


def check_view(check: SnapshotCheck | None, words: dict[State, str], lang: str) -> dict | None:
    """The comparison with the plan's own summary table: ``{"label", "date", "matches", "line"}`` (line is a sentence)."""
    if check is None:
        return None
    snap = check.snapshot
    return {"label": snap.label, "date": snap.date.isoformat(), "matches": check.matches, "line": w.snapshot_check_line(check, words, lang)}


def plan_header_view(plan: Plan, lang: str) -> dict:
    """Title, municipality, period, evaluation date and sources of a plan, as display text."""
    return {
        "id": plan.id,
        "title": plan.title,
        "municipality": plan.municipality,
        "prefecture": plan.prefecture,
        "stage": plan.stage_label,
        "period": f"{fy_label(plan, plan.period_start)}〜{fy_label(plan, plan.period_end)}",
        "evaluation_date": plan.evaluation_date.isoformat() if plan.evaluation_date else None,
        "published": plan.published,
        "sources": [{"file": s.file, "title": s.title, "date": s.date.isoformat() if s.date else None, "note": s.note} for s in plan.sources],
    }


def status_year_view(plan: Plan, year: YearStatus, words: dict[State, str], lang: str) -> dict:
    """One fiscal year of ``dxplan status``: total, groups (with ``--by``), rows without status, source check."""
    table = year.table
    return {
        "fiscal_year": table.fiscal_year,
        "label": fy_label(plan, table.fiscal_year),
        "by": table.by,
        "by_label": w.by_label(table.by, lang) if table.by else None,
        "title": w.status_title(fy_label(plan, table.fiscal_year), table.by, lang),
        "total": _total_view(table.total, lang),
        "groups": [_group_view(g, lang) for g in table.groups],
        "empty": table.total.rows == 0,
        "no_status_rows": table.total.with_status == 0,
        "without_line": w.without_status_line(table.total, lang),
        "note": w.table_note(table, lang),
        "check": check_view(year.check, words, lang),
    }


def status_view(results: list[StatusResult], lang: str) -> dict:
    """The context of ``status.md.j2``: ``{"plans": [{"header", "states", "years"}], "lang", "L"}``."""
    plans = [
        {
            "header": plan_header_view(r.plan, lang),
            "states": state_views(r.state_words, lang),
            "years": [status_year_view(r.plan, y, r.state_words, lang) for y in r.years],
        }
        for r in results
    ]
    return {"plans": plans, "lang": lang, "L": w.status_labels(lang)}


def status_markdown(results: list[StatusResult], lang: str, templates: Path | None = None) -> str:
    """``dxplan status --format markdown``: per plan and fiscal year, a GitHub table of the states.

    Each table has a row per state with count and share (of rows with a status)
    and a total row; rows without a status are reported on a line of their own,
    and the comparison with the source's own summary table follows. Rendered
    through ``status.md.j2``. Raises :class:`dxplan.render.RenderError` on a template problem.
    """
    return tidy_markdown(render_template("status.md.j2", status_view(results, lang), lang, templates))


# --------------------------------------------------------------------------- report pieces


def _anchor(prefix: str, key: str, used: set[str]) -> str:
    base = prefix + re.sub(r"[^A-Za-z0-9_-]+", "_", key)
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def _label_class(plan: Plan, s: ActionScore) -> str:
    if s.state is ScoreState.insufficient_data:
        return "lab-insufficient"
    if s.state is ScoreState.not_evaluated:
        return "lab-none"
    order = band_order(plan.rating_scale)
    return f"lab-{order.index(s.label)}" if s.label in order else "lab-none"


def _bar_segments(c: Counts, words: dict[State, str]) -> list[dict]:
    """Segments of one stacked bar: x/width/mid in percent of the bar, with the count and share as text."""
    segs, x = [], 0.0
    for s in STATE_ORDER:
        share = c.share(s) or 0.0
        segs.append({
            "key": s.value,
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


def _bar_summary(c: Counts, words: dict[State, str], lang: str) -> str:
    if not c.with_status:
        return _t(lang, f"状況の記入なし（{c.rows} 行）", f"no status recorded ({c.rows} rows)")
    parts = "、".join(f"{words[s]} {c.states[s]}{_t(lang, '件', '')} {share_text(c.share(s))}" for s in STATE_ORDER)
    extra = _t(lang, f"（状況なし {c.without} 件）", f" (no status: {c.without})") if c.without else ""
    return parts + extra


def _stacked_chart(chart_id: str, title: str, bars: list[tuple[str, Counts]], words: dict[State, str], lang: str) -> dict:
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
            "segments": _bar_segments(c, words),
            "summary": _bar_summary(c, words, lang),
        })
    desc = "; ".join(f"{b['label']}: {b['summary']}" for b in out)
    return {"id": chart_id, "title": title, "desc": desc, "height": 8 + len(out) * 46 + 4, "bars": out, "empty": all(b["empty"] for b in out)}


def _years_chart(f: ReportFigures, title: str, lang: str) -> dict | None:
    """Per year with status rows: a bar per printed column of the plan's own table, then the computed counts."""
    bars: list[tuple[str, Counts]] = []
    for y in f.status.years:
        if not y.table.total.with_status:
            continue
        fy = fy_label(f.plan, y.fiscal_year)
        for snap, counts in zip(y.snapshots, y.source_counts):
            kind = _t(lang, "見込", "forecast") if snap.kind == "forecast" else _t(lang, "資料", "source")
            bars.append((f"{fy}  {snap.date.isoformat()}{_paren(kind, lang)}", counts))
        bars.append((f"{fy}  {_t(lang, '集計（本ツール）', 'computed')}", y.table.total))
    return _stacked_chart("chart-years", title, bars, f.status.state_words, lang) if bars else None


def _snapshot_columns(y: YearStatus, lang: str) -> list[dict]:
    cols = []
    for snap in y.snapshots:
        cells = []
        for s in STATE_ORDER:
            n = getattr(snap.counts, s.value)
            share = snap.shares.get(s)
            cells.append("—" if n is None else (f"{n} ({share:.2f}%)" if share is not None else f"{n}"))
        total = snap.counts.total
        kind = _t(lang, *_SNAP_KIND[snap.kind])
        cols.append({
            "heading": snap.date.isoformat() + (_paren(kind, lang) if kind else ""),
            "label": snap.label,
            "source": True,
            "cells": cells,
            "total": "—" if total is None else f"{total}",
            "without": "",
            "note": snap.note,
        })
    return cols


def _year_status(plan: Plan, y: YearStatus, words: dict[State, str], lang: str) -> dict:
    """One fiscal year of the plan report: the source's own columns (every date) beside the computed counts."""
    cols = _snapshot_columns(y, lang)
    c = y.table.total
    cols.append({
        "heading": _t(lang, "集計（本ツール）", "computed"),
        "label": _t(lang, "アクションシートのタスク行から集計", "counted from the action sheets' task rows"),
        "source": False,
        "cells": [f"{c.states[s]} ({share_text(c.share(s))})" for s in STATE_ORDER],
        "total": f"{c.with_status}",
        "without": f"{c.without}",
        "note": None,
    })
    rows = [{"label": st["label"], "cells": [col["cells"][i] for col in cols]} for i, st in enumerate(state_views(words, lang))]
    return {
        "fiscal_year": y.fiscal_year,
        "label": fy_label(plan, y.fiscal_year),
        "columns": cols,
        "rows": rows,
        "total": [col["total"] for col in cols],
        "without": [col["without"] for col in cols],
        "counts": _total_view(c, lang),
        "empty": c.rows == 0,
        "no_status_rows": c.with_status == 0,
        "without_line": w.without_status_line(c, lang),
        "check": check_view(y.check, words, lang),
        "notes": [col["note"] for col in cols if col["note"]],
    }


def _group_table(plan: Plan, table: StatusTable, action_counts: dict[str, int] | None, title: str, lang: str) -> dict:
    groups = []
    for g in table.groups:
        v = _group_view(g, lang)
        v["actions"] = None if action_counts is None else action_counts.get(g.key, 0)
        groups.append(v)
    total = _total_view(table.total, lang)
    total["actions"] = None if action_counts is None else sum(action_counts.values())
    fy = fy_label(plan, table.fiscal_year)
    return {"fiscal_year": table.fiscal_year, "label": fy, "caption": f"{title}{_paren(fy, lang)}", "groups": groups, "total": total, "note": w.table_note(table, lang)}


def _category_path(index: PlanIndex, written: str) -> str:
    ref = index.category(written)
    if ref is None:
        return written
    if ref.top is ref.node:
        return f"{ref.node.id} {ref.node.name}"
    return f"{ref.top.id} {ref.top.name} / {ref.node.id} {ref.node.name}"


def _category_short(index: PlanIndex, written: str) -> str:
    ref = index.category(written)
    return ref.node.id if ref else written


_UNEVALUATED_CLASS = {ScoreState.insufficient_data: "lab-insufficient", ScoreState.not_evaluated: "lab-none"}


def _label_bar_text(key: str | ScoreState, lang: str) -> str:
    if key is ScoreState.not_evaluated:
        return _t(lang, "未評価（材料なし）", "not evaluated (no rate)")
    return w.unevaluated_label(key, lang) if isinstance(key, ScoreState) else key


def _label_chart(labels: list[LabelCount], n: int, lang: str) -> dict:
    """Distribution of labels: one horizontal bar per label of the scale, then データ不足 and 未評価.

    ``{"id", "title", "desc", "height", "total", "bars": [{"label", "class", "count", "share", "width", "text_x", "y"}]}``;
    width/text_x are percents of the bar area (the share of all ``n`` actions × 0.8).
    """
    bars = []
    for i, lc in enumerate(labels):
        cls = _UNEVALUATED_CLASS[lc.key] if isinstance(lc.key, ScoreState) else f"lab-{i}"
        bars.append({
            "label": _label_bar_text(lc.key, lang), "class": cls, "count": lc.count,
            "share": share_text(lc.share, 1), "width": f"{lc.share * 0.8:.3f}", "text_x": f"{lc.share * 0.8 + 1:.3f}",
            "y": 6 + i * 30, "text_y": 6 + i * 30 + 16,
        })
    desc = "、".join(f"{b['label']} {b['count']}{_t(lang, '件', '')}" for b in bars)
    return {
        "id": "chart-labels", "title": _t(lang, f"評価の分布（{n} アクション）", f"labels ({n} actions)"),
        "desc": desc, "height": 6 + len(bars) * 30 + 4, "total": n, "bars": bars,
    }


def _problem_line(p: Problem, lang: str) -> str:
    return f"{p.severity} {p.rule} ({p.path.name}:{p.line}): {p.message(lang)}"


def _attention_view(f: ReportFigures, a: Attention, anchor: str, lang: str) -> dict:
    s = a.score
    reasons = []
    if a.low_label:
        reasons.append(f"{s.label}{_paren(f'{s.rate.shown}%', lang)}")
    elif s.state is ScoreState.insufficient_data:
        why = "; ".join(
            f"{w.method_label(m, lang)}: {_t(lang, *r.reason)}"
            for m, r in s.references.items() if r.status is RateStatus.insufficient_data and r.reason
        )
        reasons.append(_t(lang, f"データ不足 — {why}", f"insufficient data — {why}"))
    elif s.state is ScoreState.not_evaluated:
        reasons.append(_t(lang, "未評価（目標の実測値・総括評価・タスクのいずれもなし）", "not evaluated (no measurement, summary evaluation or tasks)"))
    reasons += [_problem_line(p, lang) for p in a.problems]
    return {"id": a.action.id, "anchor": anchor, "title": a.action.title, "label": w.score_label(s, lang), "label_class": _label_class(f.plan, s), "reasons": reasons}


def _action_row(f: ReportFigures, a: Action, anchor: str, lang: str) -> dict:
    s = f.scores[a.id]
    return {
        "id": a.id, "anchor": anchor, "title": a.title, "category": _category_path(f.index, a.category),
        "category_short": _category_short(f.index, a.category),
        "rate": w.rate_text(s.rate), "label": w.score_label(s, lang), "label_class": _label_class(f.plan, s),
        "method": w.method_label(s.deciding, lang),
        "references": [{"method": m.value, "heading": w.method_heading(m, lang), "text": w.reference_cell(s.references[m], lang)} for m in Method],
    }


def _sheet_view(f: ReportFigures, a: Action, anchor: str, L: dict, lang: str) -> dict:
    """One action sheet (001, 最終進捗率・達成率まとめ方): overview, rate and label, final report, tasks per FY, explanation."""
    s = f.scores[a.id]
    target = None
    if a.target is not None:
        target = a.target.text
        if a.target.panel and a.target.panel != a.target.text:
            target += "\n" + a.target.panel
    overview = [
        {"heading": L["aim"], "text": a.aim},
        {"heading": L["approach"], "text": a.approach},
        {"heading": L["target"], "text": target},
        {"heading": L["owners"], "text": "、".join(a.owners) if a.owners else None},
    ]
    fr = a.final_report
    activities: list[str] = []
    if fr is not None:
        activities = list(fr.activities) + ([fr.activities_text] if fr.activities_text else [])
    final = [
        {"heading": L["outcome"], "text": fr.outcome if fr else None, "entries": []},
        {"heading": L["activities"], "text": None, "entries": activities},
        {"heading": L["issues"], "text": fr.issues if fr else None, "entries": []},
    ]
    task_years = []
    for fy in f.years:
        rows = [t for t in a.tasks if t.fiscal_year == fy]
        if not rows:
            continue
        task_years.append({
            "label": fy_label(f.plan, fy),
            "rows": [{
                "department": t.department,
                "plan": t.plan,
                "timing": t.timing,
                "result": t.result,
                "result_kind": _t(lang, *_RESULT_KIND[t.result_kind]) if t.result_kind else None,
                "status": t.status,
                "progress": None if t.progress is None else f"{t.progress:g}%",
                "note": t.note,
            } for t in rows],
        })
    explain = [
        {
            "method": w.method_label(m, lang),
            "deciding": m == s.deciding,
            "value": w.rate_value(r, lang),
            "ok": r.status is RateStatus.ok,
            "lines": [_t(lang, *line) for line in r.explain],
        }
        for m, r in s.references.items()
    ]
    return {
        "id": a.id,
        "anchor": anchor,
        "number": a.number,
        "title": a.title,
        "category": _category_path(f.index, a.category),
        "overview": overview,
        "rate": f"{s.rate.shown}%" if s.rate else None,
        "label": w.score_label(s, lang),
        "label_class": _label_class(f.plan, s),
        "method": None if s.deciding is None else w.method_label(s.deciding, lang),
        "final": final,
        "task_years": task_years,
        "explain": explain,
        "indicators": sheet_indicators(f.plan, a, s, lang),
        "decision": w.decision_line(s, lang),
        "problems": [_problem_line(p, lang) for p in f.action_problems.get(a.id, [])],
        "sources": [f"{src.file} {src.location}" for src in a.sources],
    }


# --------------------------------------------------------------------------- the report


def report_view(f: ReportFigures, lang: str = "ja") -> dict:
    """Everything the report templates show for one plan, as plain dicts and strings, from its figures.

    Rates are shown to one decimal (percent, 0–100+), shares to two decimals.
    """
    plan = f.plan
    words = f.status.state_words
    L = w.report_labels(plan, lang)
    used: set[str] = set()
    anchors = {a.id: _anchor("action-", a.id, used) for a in f.actions}
    category_charts = [
        _stacked_chart(f"chart-categories-{t.fiscal_year}", f"{L['chart_categories']}{_paren(fy_label(plan, t.fiscal_year), lang)}", [(w.group_label(g, lang), g) for g in t.groups], words, lang)
        for t in f.by_category if t.total.with_status
    ]
    sy = f.scored_years
    return {
        "lang": lang,
        "L": L,
        "full": f.full,
        "header": plan_header_view(plan, lang),
        "states": state_views(words, lang),
        "status_years": [_year_status(plan, y, words, lang) for y in f.status.years],
        "chart_years": _years_chart(f, L["chart_years"], lang),
        "category_tables": [_group_table(plan, t, f.actions_per_category, L["status_by_category"], lang) for t in f.by_category],
        "department_tables": [_group_table(plan, t, None, L["status_by_department"], lang) for t in f.by_department],
        "category_charts": category_charts,
        "label_chart": _label_chart(f.labels, len(f.actions), lang),
        "actions": [_action_row(f, a, anchors[a.id], lang) for a in f.actions],
        "action_count": len(f.actions),
        "attention": [_attention_view(f, a, anchors[a.action.id], lang) for a in f.attention],
        "attention_intro": w.attention_intro(f.low_labels, lang),
        "plan_problems": [_problem_line(p, lang) for p in f.plan_problems],
        "sheets": [_sheet_view(f, a, anchors[a.id], L, lang) for a in f.sheets],
        "scale": w.scale_bands(plan.rating_scale, lang),
        "scored_years": f"{fy_label(plan, sy[0])}〜{fy_label(plan, sy[-1])}" if len(sy) > 1 else fy_label(plan, sy[0]),
        "year": fy_label(plan, f.year) if f.year is not None else None,
        "generated": f.generated.isoformat(),
    }


def render_report(figures: ReportFigures, fmt: str = "md", lang: str = "ja", templates: Path | None = None, env: Environment | None = None) -> str:
    """The plan report (or one action's sheet, as the figures say) rendered as ``fmt`` (``md`` or ``html``).

    Uses ``report.md.j2`` / ``report.html.j2`` from ``templates`` (if given) or the
    default set. Raises :class:`dxplan.render.RenderError` on a template problem
    and ValueError for an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (md or html)")
    out = render_template(FORMATS[fmt], report_view(figures, lang), lang, templates, env)
    return tidy_markdown(out) if fmt == "md" else out
