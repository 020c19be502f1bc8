"""Rendering reports through Jinja templates (Markdown and HTML).

The templates live in the repository's ``templates/`` folder; a user folder
given with ``--templates DIR`` comes first on the search path, so any template
can be overridden by name (``report.html.j2``, ``status.md.j2`` …).

Division of work: every figure comes from :mod:`dxplan.score`,
:mod:`dxplan.aggregate` and :mod:`dxplan.views`; this module arranges those
results into plain dicts ("views") and the templates only format them. Percents
are 0–100 throughout (shares to two decimals as 000 prints them, rates to one
decimal as 001 prints them). Chart geometry (the x offset and width of a bar
segment) is derived here from those percents so that the templates need no
arithmetic.

Escaping: HTML templates (``*.html``, ``*.html.j2``, ``*.svg.j2``) are rendered
with Jinja autoescaping, since plan text is untrusted input; Markdown templates
escape table cells with the ``md_cell`` filter and free text with ``md_text``.
Missing variables raise (``StrictUndefined``). Any template problem becomes a
:class:`RenderError` whose message names the template file and line.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup

from .aggregate import (
    Counts,
    SnapshotCheck,
    StatusTable,
    compare_snapshot,
    current_year,
    share_text,
    status_table,
)
from .fiscal import format_fiscal_year
from .load import LoadedPlan
from .model import STATE_ORDER, Action, Plan
from .planindex import PlanIndex
from .score import INSUFFICIENT, METHOD_LABELS, NOT_EVALUATED_LABEL, OK, ActionScore, score_plan
from .i18n import STATE_EN
from .i18n import tr as _t

def templates_dir() -> Path:
    """The default templates: ``dxplan/templates`` in an installed wheel (package data built
    from the repository's ``templates/``), else the repository's ``templates/`` (a source
    checkout or an editable install)."""
    packaged = Path(__file__).resolve().parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


TEMPLATES_DIR = templates_dir()
"""The default template set: the repository's ``templates/`` folder."""

_AUTOESCAPE_EXT = ("html", "htm", "xml", "svg", "html.j2", "htm.j2", "xml.j2", "svg.j2")


class RenderError(Exception):
    """A template could not be found, parsed or rendered. ``str()`` is a message naming the file and line."""


# --------------------------------------------------------------------------- environment


_MD_LINE_START = re.compile(r"^(\s*)([#>+*=-]|\d+[.)])")


def md_cell(value: Any) -> str:
    """Text safe inside one GitHub table cell: ``|`` escaped, newlines as ``<br>``, ``<``/``>`` as entities.

    None and empty strings become an empty cell.
    """
    if value is None:
        return ""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "<br>".join(ln for ln in lines if ln)


def md_text(value: Any) -> str:
    """Free text as one Markdown paragraph: ``<``/``>`` as entities, markup at a line start escaped, lines kept as hard breaks."""
    if value is None:
        return ""
    text = str(value).replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [_MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), ln) for ln in lines if ln]
    return "\\\n".join(lines)


def _nl2br(value: Any) -> Markup:
    """HTML text with line breaks kept: each line escaped, joined with ``<br>``."""
    if value is None:
        return Markup("")
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("<br>").join(lines)


def environment(templates: Path | None = None) -> Environment:
    """The Jinja environment: ``templates`` (if given) first, then :data:`TEMPLATES_DIR`.

    Autoescaping is on for HTML/SVG/XML templates (by name, e.g. ``report.html.j2``),
    off for Markdown. Undefined variables raise. Filters: ``md_cell``, ``md_text``,
    ``nl2br`` (HTML line breaks, escaping each line).
    """
    search = [str(templates)] if templates is not None else []
    search.append(str(TEMPLATES_DIR))
    env = Environment(
        loader=FileSystemLoader(search),
        autoescape=select_autoescape(enabled_extensions=_AUTOESCAPE_EXT, default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_cell"] = md_cell
    env.filters["md_text"] = md_text
    env.filters["nl2br"] = _nl2br
    return env


def _template_frame(exc: BaseException, env: Environment) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame in ``exc``'s traceback (Jinja rewrites them to template lines)."""
    roots = [Path(p).resolve() for p in env.loader.searchpath] if isinstance(env.loader, FileSystemLoader) else []
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        fname = frame.filename
        try:
            path = Path(fname).resolve()
        except (OSError, ValueError):
            continue
        if any(path.is_relative_to(r) for r in roots) or fname.endswith(".j2"):
            found = (fname, frame.lineno or 0)
    return found


def render_template(name: str, context: dict[str, Any], lang: str = "ja", templates: Path | None = None, env: Environment | None = None) -> str:
    """Render template ``name`` with ``context``; any template problem becomes a :class:`RenderError`.

    The message names the template file and line, in ``lang`` (ja/en).
    """
    env = env or environment(templates)
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise RenderError(_t(lang, f"テンプレートの構文エラー {where}: {exc.message}", f"template syntax error {where}: {exc.message}")) from None
    except TemplateNotFound as exc:
        dirs = ", ".join(env.loader.searchpath) if isinstance(env.loader, FileSystemLoader) else ""
        raise RenderError(_t(lang, f"テンプレート {exc.name} が見つかりません（検索先: {dirs}）", f"template {exc.name} not found (searched: {dirs})")) from None
    try:
        return template.render(**context)
    except TemplateSyntaxError as exc:  # in an included/imported template
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise RenderError(_t(lang, f"テンプレートの構文エラー {where}: {exc.message}", f"template syntax error {where}: {exc.message}")) from None
    except TemplateNotFound as exc:
        frame = _template_frame(exc, env)
        where = f" ({frame[0]}:{frame[1]})" if frame else ""
        raise RenderError(_t(lang, f"テンプレート {exc.name} が見つかりません{where}", f"template {exc.name} not found{where}")) from None
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError, LookupError) as exc:
        frame = _template_frame(exc, env)
        if frame is None:
            raise
        where = f"{frame[0]}:{frame[1]}"
        raise RenderError(_t(lang, f"テンプレートのエラー {where}: {exc}", f"template error {where}: {exc}")) from None


# --------------------------------------------------------------------------- views


def fy_label(plan: Plan, fy: int) -> str:
    """A fiscal year in the plan's own style (令和6年度, R6 or 2024年度)."""
    return format_fiscal_year(fy, plan.fiscal_year_style)


def _state_views(index: PlanIndex, lang: str) -> list[dict]:
    out = []
    for s in STATE_ORDER:
        word = index.state_word(s)
        out.append({"key": s.value, "word": word, "en": STATE_EN[s.value], "label": f"{word} ({STATE_EN[s.value]})" if lang == "en" else word})
    return out


def counts_view(c: Counts) -> dict:
    """One group's counts for templates.

    ``{"key", "label", "states": [{"key", "count", "share" (text, e.g. "50.99%"), "share_value" (0–100 or None)}],
    "with_status", "no_status", "unknown", "without" (no_status + unknown), "rows"}``.
    """
    states = [{"key": s.value, "count": c.states[s], "share": share_text(c.share(s)), "share_value": c.share(s)} for s in STATE_ORDER]
    return {
        "key": c.key,
        "label": c.label,
        "states": states,
        "with_status": c.with_status,
        "no_status": c.no_status,
        "unknown": c.unknown,
        "without": c.no_status + c.unknown,
        "rows": c.rows,
    }


def check_view(index: PlanIndex, check: SnapshotCheck | None, lang: str) -> dict | None:
    """The comparison with the plan's own summary table: ``{"label", "date", "matches", "line"}`` (line is a sentence)."""
    if check is None:
        return None
    snap = check.snapshot
    printed = "、".join(f"{index.state_word(s)} {getattr(snap.counts, s.value)}" for s in STATE_ORDER if getattr(snap.counts, s.value) is not None)
    if check.matches:
        line = _t(lang, f"資料の集計表「{snap.label}」と一致: {printed}", f"matches the source table '{snap.label}': {printed}")
    else:
        diffs = "、".join(f"{k}: {_t(lang, '資料', 'source')} {a} / {_t(lang, '集計', 'computed')} {b}" for k, (a, b) in check.differences.items())
        line = _t(lang, f"資料の集計表「{snap.label}」と差異: {diffs}", f"differs from the source table '{snap.label}': {diffs}")
    return {"label": snap.label, "date": snap.date.isoformat(), "matches": check.matches, "line": line}


def _without_line(c: Counts, lang: str) -> str | None:
    if not (c.no_status or c.unknown):
        return None
    return _t(
        lang,
        f"状況のない行 {c.no_status} 件" + (f"、未定義の状況語 {c.unknown} 件" if c.unknown else "") + "（割合の分母に含めません）",
        f"rows without a status: {c.no_status}" + (f", with an undeclared word: {c.unknown}" if c.unknown else "") + " (not in the shares' denominator)",
    )


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


def status_year_view(plan: Plan, index: PlanIndex, table: StatusTable, check: SnapshotCheck | None, lang: str) -> dict:
    """One fiscal year of ``dxplan status``: total, groups (with ``--by``), rows without status, source check."""
    by_label = {"category": ("区分", "category"), "department": ("担当課", "department"), "action": ("アクション", "action")}
    return {
        "fiscal_year": table.fiscal_year,
        "label": fy_label(plan, table.fiscal_year),
        "by": table.by,
        "by_label": _t(lang, *by_label[table.by]) if table.by else None,
        "title": (
            _t(lang, f"{fy_label(plan, table.fiscal_year)} 進捗状況（{by_label[table.by][0]}別）", f"{fy_label(plan, table.fiscal_year)} status by {by_label[table.by][1]}")
            if table.by
            else _t(lang, f"{fy_label(plan, table.fiscal_year)} 進捗状況（タスク行）", f"{fy_label(plan, table.fiscal_year)} status (task rows)")
        ),
        "total": counts_view(table.total),
        "groups": [counts_view(g) for g in table.groups],
        "empty": table.total.rows == 0,
        "no_status_rows": table.total.with_status == 0,
        "without_line": _without_line(table.total, lang),
        "note": table.note,
        "check": check_view(index, check, lang),
    }


def _labels(lang: str) -> dict[str, str]:
    keys = {
        "status": ("状況", "status"), "count": ("数", "count"), "share": ("割合", "share"),
        "total_with_status": ("合計（状況あり）", "total (with status)"), "total": ("合計", "total"),
        "no_status": ("状況なし", "no status"), "rows": ("計", "rows"), "no_tasks": ("タスクなし", "no tasks"),
        "no_status_rows": ("進捗状況の記入された行はありません", "no row carries a status yet"),
        "task_rows": ("進捗状況（タスク行）", "status (task rows)"), "evaluated": ("評価日", "evaluated"),
        "period": ("計画期間", "period"), "source": ("出典", "source"), "by": ("別", "by"),
        "lp": ("（", " ("), "rp": ("）", ")"),
    }
    return {k: _t(lang, *v) for k, v in keys.items()}


def render_status_markdown(
    items: list[tuple[Plan, list[StatusTable], dict[int, SnapshotCheck | None]]],
    lang: str,
    templates: Path | None = None,
) -> str:
    """``dxplan status --format markdown``: per plan and fiscal year, a GitHub table of the states.

    ``items`` are ``(plan, tables, checks)`` as ``dxplan status`` computes them
    (``checks`` maps a fiscal year to its :class:`SnapshotCheck` or None). Each
    table has a row per state with count and share (of rows with a status), a
    total row; rows without a status are reported on a line of their own, and the
    comparison with the source's own summary table follows. Rendered through
    ``status.md.j2``. Raises :class:`RenderError` on a template problem.
    """
    plans = []
    for plan, tables, checks in items:
        index = PlanIndex(plan)
        plans.append({
            "header": plan_header_view(plan, lang),
            "states": _state_views(index, lang),
            "years": [status_year_view(plan, index, t, checks.get(t.fiscal_year), lang) for t in tables],
        })
    return tidy_markdown(render_template("status.md.j2", {"plans": plans, "lang": lang, "L": _labels(lang)}, lang, templates))


def tidy_markdown(text: str) -> str:
    """Collapse runs of blank lines left by template blocks into one; end with a single newline."""
    return re.sub(r"\n[ \t]*(\n[ \t]*)+\n", "\n\n", text).strip("\n") + "\n"


# --------------------------------------------------------------------------- report views

FORMATS = {"md": "report.md.j2", "html": "report.html.j2"}
"""Report formats and their top-level templates."""

_METHODS = ("target", "tasks", "summary")
_REF_HEAD = {"target": ("目標", "target"), "tasks": ("タスク", "tasks"), "summary": ("総括", "summary")}
_RESULT_KIND = {"actual": ("実績", "actual"), "forecast": ("見込", "forecast"), "planned": ("予定", "planned")}
_SNAP_KIND = {"actual": ("", ""), "forecast": ("見込", "forecast")}


def _anchor(prefix: str, key: str, used: set[str]) -> str:
    base = prefix + re.sub(r"[^A-Za-z0-9_-]+", "_", key)
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def _band_order(plan: Plan) -> list[str]:
    """The plan's labels from the highest band to the lowest."""
    bands = sorted(plan.rating_scale, key=lambda b: float("-inf") if b.min is None else b.min, reverse=True)
    return [b.label for b in bands]


def attention_labels(plan: Plan) -> list[str]:
    """Labels that put an action on the attention index: the two lowest bands of the plan's scale.

    With Kama's default scale these are やや未達 (≥ 60 %) and 課題あり (< 60 %).
    A scale of one or two bands contributes only its lowest band.
    """
    order = _band_order(plan)
    return order[-2:] if len(order) > 2 else order[-1:]


def _rate_cell(r, lang: str) -> str:
    if r.status == OK:
        return f"{r.shown}%"
    if r.status == INSUFFICIENT:
        return _t(lang, "不足", "insufficient")
    return "—"


def _label_text(s: ActionScore, lang: str) -> str:
    if s.state == INSUFFICIENT:
        return _t(lang, f"{NOT_EVALUATED_LABEL}（データ不足）", f"{NOT_EVALUATED_LABEL} (insufficient data)")
    if s.state == "not_evaluated":
        return _t(lang, NOT_EVALUATED_LABEL, f"{NOT_EVALUATED_LABEL} (not evaluated)")
    return s.label


def _label_class(plan: Plan, s: ActionScore) -> str:
    if s.state == INSUFFICIENT:
        return "lab-insufficient"
    if s.state == "not_evaluated":
        return "lab-none"
    order = _band_order(plan)
    return f"lab-{order.index(s.label)}" if s.label in order else "lab-none"


def _bar_segments(c: Counts, index: PlanIndex, lang: str) -> list[dict]:
    """Segments of one stacked bar: x/width/mid in percent of the bar, with the count and share as text."""
    segs, x = [], 0.0
    for s in STATE_ORDER:
        share = c.share(s) or 0.0
        segs.append({
            "key": s.value,
            "word": index.state_word(s),
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


def _bar_summary(c: Counts, index: PlanIndex, lang: str) -> str:
    parts = "、".join(f"{index.state_word(s)} {c.states[s]}{_t(lang, '件', '')} {share_text(c.share(s))}" for s in STATE_ORDER)
    extra = _t(lang, f"（状況なし {c.no_status + c.unknown} 件）", f" (no status: {c.no_status + c.unknown})") if (c.no_status or c.unknown) else ""
    return parts + extra


def _stacked_chart(chart_id: str, title: str, bars: list[tuple[str, Counts]], index: PlanIndex, lang: str) -> dict:
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
            "segments": _bar_segments(c, index, lang),
            "summary": _bar_summary(c, index, lang) if c.with_status else _t(lang, f"状況の記入なし（{c.rows} 行）", f"no status recorded ({c.rows} rows)"),
        })
    desc = "; ".join(f"{b['label']}: {b['summary']}" for b in out)
    return {"id": chart_id, "title": title, "desc": desc, "height": 8 + len(out) * 46 + 4, "bars": out, "empty": all(b["empty"] for b in out)}


def _snapshot_columns(plan: Plan, fy: int, lang: str) -> list[dict]:
    cols = []
    for snap in sorted((s for s in plan.status_snapshots if s.fiscal_year == fy), key=lambda s: s.date):
        cells = []
        for s in STATE_ORDER:
            n = getattr(snap.counts, s.value)
            share = snap.shares.get(s)
            cells.append("—" if n is None else (f"{n} ({share:.2f}%)" if share is not None else f"{n}"))
        total = snap.counts.total
        kind = _t(lang, *_SNAP_KIND[snap.kind])
        cols.append({
            "heading": snap.date.isoformat() + (f"（{kind}）" if kind and lang != "en" else (f" ({kind})" if kind else "")),
            "label": snap.label,
            "source": True,
            "cells": cells,
            "total": "—" if total is None else f"{total}",
            "without": "",
            "note": snap.note,
        })
    return cols


def _year_status(plan: Plan, index: PlanIndex, table: StatusTable, lang: str) -> dict:
    """One fiscal year of the plan report: the source's own columns (every date) beside the computed counts."""
    cols = _snapshot_columns(plan, table.fiscal_year, lang)
    c = table.total
    cols.append({
        "heading": _t(lang, "集計（本ツール）", "computed"),
        "label": _t(lang, "アクションシートのタスク行から集計", "counted from the action sheets' task rows"),
        "source": False,
        "cells": [f"{c.states[s]} ({share_text(c.share(s))})" for s in STATE_ORDER],
        "total": f"{c.with_status}",
        "without": f"{c.no_status + c.unknown}",
        "note": None,
    })
    rows = [{"label": st["label"], "cells": [col["cells"][i] for col in cols]} for i, st in enumerate(_state_views(index, lang))]
    return {
        "fiscal_year": table.fiscal_year,
        "label": fy_label(plan, table.fiscal_year),
        "columns": cols,
        "rows": rows,
        "total": [col["total"] for col in cols],
        "without": [col["without"] for col in cols],
        "counts": counts_view(c),
        "empty": c.rows == 0,
        "no_status_rows": c.with_status == 0,
        "without_line": _without_line(c, lang),
        "check": check_view(index, compare_snapshot(plan, table), lang),
        "notes": [col["note"] for col in cols if col["note"]],
    }


def _group_table(plan: Plan, table: StatusTable, action_counts: dict[str, int] | None, title: str, lang: str) -> dict:
    groups = []
    for g in table.groups:
        v = counts_view(g)
        v["actions"] = None if action_counts is None else action_counts.get(g.key, 0)
        groups.append(v)
    total = counts_view(table.total)
    total["actions"] = None if action_counts is None else sum(action_counts.values())
    fy = fy_label(plan, table.fiscal_year)
    return {"fiscal_year": table.fiscal_year, "label": fy, "caption": _t(lang, f"{title}（{fy}）", f"{title} ({fy})"), "groups": groups, "total": total, "note": table.note}


def _actions_per_category(index: PlanIndex, actions: list[Action]) -> dict[str, int]:
    """Number of actions per leaf category id (an action counts under its own ``category`` only, not 再掲)."""
    out: dict[str, int] = {}
    for a in actions:
        ref = index.category(a.category)
        key = ref.node.id if ref else a.category
        out[key] = out.get(key, 0) + 1
    return out


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


def _label_chart(plan: Plan, scores: list[ActionScore], lang: str) -> dict:
    """Distribution of labels: one horizontal bar per label of the scale, then 未評価 and データ不足.

    ``{"id", "title", "desc", "height", "total", "bars": [{"label", "class", "count", "share", "width", "text_x", "y"}]}``;
    width/text_x are percents of the bar area (count ÷ number of actions).
    """
    n = len(scores)
    keys: list[tuple[str, str, int]] = []
    for i, lab in enumerate(_band_order(plan)):
        keys.append((lab, f"lab-{i}", sum(1 for s in scores if s.state == "evaluated" and s.label == lab)))
    keys.append((_t(lang, f"{NOT_EVALUATED_LABEL}（データ不足）", f"{NOT_EVALUATED_LABEL} (insufficient data)"), "lab-insufficient", sum(1 for s in scores if s.state == INSUFFICIENT)))
    keys.append((_t(lang, f"{NOT_EVALUATED_LABEL}（材料なし）", f"{NOT_EVALUATED_LABEL} (no rate)"), "lab-none", sum(1 for s in scores if s.state == "not_evaluated")))
    bars = []
    for i, (label, cls, count) in enumerate(keys):
        pct = count / n * 100 if n else 0.0
        bars.append({
            "label": label, "class": cls, "count": count,
            "share": f"{pct:.1f}%", "width": f"{pct * 0.8:.3f}", "text_x": f"{pct * 0.8 + 1:.3f}",
            "y": 6 + i * 30, "text_y": 6 + i * 30 + 16,
        })
    desc = "、".join(f"{b['label']} {b['count']}{_t(lang, '件', '')}" for b in bars)
    return {
        "id": "chart-labels", "title": _t(lang, f"評価の分布（{n} アクション）", f"labels ({n} actions)"),
        "desc": desc, "height": 6 + len(bars) * 30 + 4, "total": n, "bars": bars,
    }


def _report_labels(plan: Plan, lang: str) -> dict[str, str]:
    """Headings and fixed words of the report, in ``lang``; field headings use the plan's own labels."""
    pl = plan.labels

    def both(ja: str, en: str) -> str:
        return en if lang == "en" else ja

    def plan_word(word: str, en: str) -> str:
        return f"{en} ({word})" if lang == "en" else word

    return _labels(lang) | {
        "report": both("進捗報告書", "progress report"),
        "action_sheet": both("アクションシート", "action sheet"),
        "generated": both("作成", "generated"),
        "municipality": both("自治体", "municipality"),
        "sources": both("資料", "sources"),
        "status_by_year": both("年度別の進捗状況（タスク行）", "status per fiscal year (task rows)"),
        "status_by_category": both("区分別の進捗状況", "status by category"),
        "status_by_department": both("担当課別の進捗状況", "status by department"),
        "category": both("区分", "category"),
        "department_col": both("担当課", "department"),
        "actions": both("アクション", "actions"),
        "action_list": both("アクション一覧（達成率と評価）", "actions: rate and label"),
        "label_distribution": both("評価の分布", "distribution of labels"),
        "attention": both("要確認のアクション", "actions that need attention"),
        "attention_intro": both("評価が低い（{labels}）、未評価・データ不足、または検査（lint）で警告のあるアクション。", "actions labelled {labels}, not evaluated or with insufficient data, or with lint warnings."),
        "attention_none": both("該当するアクションはありません。", "none."),
        "plan_problems": both("計画ファイルの指摘", "findings in the plan file"),
        "no": "No",
        "title": both("アクション名", "action"),
        "rate": both("達成率", "rate"),
        "label": both("評価", "label"),
        "method": both("決定方法", "decided by"),
        "references": both("参考値", "reference rates"),
        "count_of_actions": both("アクション数", "actions"),
        "share_of_actions": both("割合", "share"),
        "overview": both("概要", "overview"),
        "aim": plan_word(pl.aim, "aim"),
        "approach": plan_word(pl.approach, "approach"),
        "target": plan_word(pl.target, "target"),
        "owners": plan_word(pl.owners, "owners"),
        "department": plan_word(pl.department, "department"),
        "plan_col": plan_word(pl.plan, "plan"),
        "result": plan_word(pl.result, "result"),
        "status_col": plan_word(pl.status, "status"),
        "outcome": plan_word(pl.outcome, "outcome"),
        "activities": plan_word(pl.activities, "activities"),
        "issues": plan_word(pl.issues, "issues"),
        "rate_heading": plan_word(pl.rate, "achievement rate"),
        "tasks": both("タスク", "tasks"),
        "progress": both("進捗率", "progress"),
        "explain": both("達成率の根拠", "how the rate was computed"),
        "deciding": both("決定", "deciding"),
        "empty": both("未記入", "not filled in"),
        "lint": both("検査の指摘", "lint findings"),
        "legend": both("凡例", "legend"),
        "figures_table": both("数値", "figures"),
        "chart_years": both("年度別の進捗状況の割合", "status shares per fiscal year"),
        "chart_categories": both("区分別の進捗状況の割合", "status shares per category"),
        "no_status_chart": both("進捗状況の記入された行がないため、グラフはありません。", "no row carries a status, so there is no chart."),
        "scale": both("評価基準（小数第1位で判定）", "scale (applied to the value shown to one decimal)"),
        "scored_years": both("達成率の対象年度", "years the task rate covers"),
        "source_col": both("資料", "source"),
        "none": "—",
        "toc": both("目次", "contents"),
        "back_to_top": both("目次へ", "contents"),
    }


def _problem_line(p, lang: str) -> str:
    return f"{p.severity} {p.rule} ({p.path.name}:{p.line}): {p.message(lang)}"


def report_view(loaded: LoadedPlan, lang: str = "ja", year: int | None = None, action_id: str | None = None) -> dict:
    """Everything the report templates show for one loaded plan, as plain dicts and strings.

    ``year`` limits the status sections and the task tables to one fiscal year;
    ``action_id`` limits the report to that action's sheet (with the plan heading).
    Raises ValueError when ``loaded.plan`` is None or ``action_id`` names no action.
    Rates are shown to one decimal (percent, 0–100+), shares to two decimals.
    """
    plan = loaded.plan
    if plan is None:
        raise ValueError(f"{loaded.root}: plan.yaml did not load")
    index = PlanIndex(plan)
    all_actions = [la.action for la in loaded.actions]
    scores = score_plan(plan, all_actions)
    by_id = {s.action_id: s for s in scores}

    # lint findings per action file
    from .lint import lint_plan

    problems = lint_plan(loaded)
    path_to_action = {la.doc.path.resolve(): la.action.id for la in loaded.actions}
    action_problems: dict[str, list] = {}
    plan_problems = []
    for p in problems:
        aid = path_to_action.get(Path(p.path).resolve())
        if aid is None:
            plan_problems.append(p)
        else:
            action_problems.setdefault(aid, []).append(p)

    if action_id is not None:
        wanted = [a for a in all_actions if a.id == action_id or a.id.lstrip("0") == action_id.lstrip("0")]
        if not wanted:
            raise ValueError(f"{plan.id}: no action {action_id}")
    else:
        wanted = all_actions
    years = [year] if year is not None else plan.fiscal_years
    L = _report_labels(plan, lang)
    used: set[str] = set()
    anchors = {a.id: _anchor("action-", a.id, used) for a in all_actions}

    # status per fiscal year, with the source's own columns
    tables = [status_table(plan, all_actions, fy, index=index) for fy in years]
    status_years = [_year_status(plan, index, t, lang) for t in tables]
    with_status = [t for t in tables if t.total.with_status]
    focus = [t.fiscal_year for t in with_status] or [year if year is not None else current_year(plan)]

    year_bars: list[tuple[str, Counts]] = []
    for t in tables:
        if not t.total.with_status:
            continue
        for snap in sorted((s for s in plan.status_snapshots if s.fiscal_year == t.fiscal_year), key=lambda s: s.date):
            c = Counts(snap.label, snap.label)
            for s in STATE_ORDER:
                c.states[s] = getattr(snap.counts, s.value) or 0
            kind = _t(lang, "見込", "forecast") if snap.kind == "forecast" else _t(lang, "資料", "source")
            year_bars.append((f"{fy_label(plan, t.fiscal_year)}  {snap.date.isoformat()}（{kind}）" if lang != "en" else f"{fy_label(plan, t.fiscal_year)}  {snap.date.isoformat()} ({kind})", c))
        year_bars.append((f"{fy_label(plan, t.fiscal_year)}  {_t(lang, '集計（本ツール）', 'computed')}", t.total))
    chart_years = _stacked_chart("chart-years", L["chart_years"], year_bars, index, lang) if year_bars else None

    per_cat = _actions_per_category(index, all_actions)
    category_tables, department_tables, category_charts = [], [], []
    for fy in focus:
        ct = status_table(plan, all_actions, fy, "category", index)
        category_tables.append(_group_table(plan, ct, per_cat, L["status_by_category"], lang))
        dt_ = status_table(plan, all_actions, fy, "department", index)
        if dt_.groups:
            department_tables.append(_group_table(plan, dt_, None, L["status_by_department"], lang))
        if ct.total.with_status:
            category_charts.append(_stacked_chart(f"chart-categories-{fy}", _t(lang, f"{L['chart_categories']}（{fy_label(plan, fy)}）", f"{L['chart_categories']} ({fy_label(plan, fy)})"), [(g.label, g) for g in ct.groups], index, lang))

    # actions and attention
    low = attention_labels(plan)
    action_rows, attention = [], []
    for a in all_actions:
        s = by_id[a.id]
        refs = [{"method": m, "heading": _t(lang, *_REF_HEAD[m]), "text": _rate_cell(s.references[m], lang)} for m in _METHODS]
        action_rows.append({
            "id": a.id, "anchor": anchors[a.id], "title": a.title, "category": _category_path(index, a.category),
            "category_short": _category_short(index, a.category),
            "rate": f"{s.rate.shown}%" if s.rate else "—", "label": _label_text(s, lang), "label_class": _label_class(plan, s),
            "method": METHOD_LABELS[s.deciding][1 if lang == "en" else 0] if s.deciding else "—", "references": refs,
        })
        reasons = []
        if s.state == "evaluated" and s.label in low:
            reasons.append(f"{s.label}（{s.rate.shown}%）" if lang != "en" else f"{s.label} ({s.rate.shown}%)")
        elif s.state == INSUFFICIENT:
            why = "; ".join(f"{METHOD_LABELS[m][1 if lang == 'en' else 0]}: {r.reason[1 if lang == 'en' else 0]}" for m, r in s.references.items() if r.status == INSUFFICIENT and r.reason)
            reasons.append(_t(lang, f"データ不足 — {why}", f"insufficient data — {why}"))
        elif s.state == "not_evaluated":
            reasons.append(_t(lang, "未評価（目標の実測値・総括評価・タスクのいずれもなし）", "not evaluated (no measurement, summary evaluation or tasks)"))
        for p in action_problems.get(a.id, []):
            reasons.append(_problem_line(p, lang))
        if reasons:
            attention.append({"id": a.id, "anchor": anchors[a.id], "title": a.title, "label": _label_text(s, lang), "label_class": _label_class(plan, s), "reasons": reasons})

    sheets = [_sheet_view(plan, index, a, by_id[a.id], anchors[a.id], years, action_problems.get(a.id, []), L, lang) for a in wanted]
    bands = "、".join(f"{b.label} ≥{b.min:g}%" if b.min is not None else _t(lang, f"{b.label} それ未満", f"{b.label} below") for b in plan.rating_scale)
    from .score import scored_years

    sy = scored_years(plan)
    return {
        "lang": lang,
        "L": L,
        "full": action_id is None,
        "header": plan_header_view(plan, lang),
        "states": _state_views(index, lang),
        "status_years": status_years,
        "chart_years": chart_years,
        "category_tables": category_tables,
        "department_tables": department_tables,
        "category_charts": category_charts,
        "label_chart": _label_chart(plan, scores, lang),
        "actions": action_rows,
        "action_count": len(all_actions),
        "attention": attention,
        "attention_intro": L["attention_intro"].format(labels="・".join(low)),
        "plan_problems": [_problem_line(p, lang) for p in plan_problems],
        "sheets": sheets,
        "scale": bands,
        "scored_years": f"{fy_label(plan, sy[0])}〜{fy_label(plan, sy[-1])}" if len(sy) > 1 else fy_label(plan, sy[0]),
        "year": fy_label(plan, year) if year is not None else None,
        "generated": dt.date.today().isoformat(),
    }


def _sheet_view(plan: Plan, index: PlanIndex, a: Action, s: ActionScore, anchor: str, years: list[int], problems: list, L: dict, lang: str) -> dict:
    """One action sheet (001, 最終進捗率・達成率まとめ方): overview, rate and label, final report, tasks per FY, explanation."""
    i = 1 if lang == "en" else 0
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
    for fy in years:
        rows = [t for t in a.tasks if t.fiscal_year == fy]
        if not rows:
            continue
        task_years.append({
            "label": fy_label(plan, fy),
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
    explain = []
    for m, r in s.references.items():
        explain.append({
            "method": METHOD_LABELS[m][i],
            "deciding": m == s.deciding,
            "value": f"{r.shown}%" if r.status == OK else (r.reason[i] if r.reason else r.status),
            "ok": r.status == OK,
            "lines": [line[i] for line in r.explain],
        })
    if s.rate is not None:
        capped = _t(lang, "（100%で上限）", " (capped at 100%)") if s.rate.value is not None and s.rate.value > 100 else ""
        decision = _t(lang, f"決定: {METHOD_LABELS[s.deciding][0]} {s.rate.shown}%{capped} → {s.label}", f"decided by {METHOD_LABELS[s.deciding][1]}: {s.rate.shown}%{capped} → {s.label}")
    else:
        decision = _t(lang, f"決定: {s.label}（{'データ不足' if s.state == INSUFFICIENT else '評価の材料なし'}）", f"result: not evaluated ({s.state.replace('_', ' ')})")
    return {
        "id": a.id,
        "anchor": anchor,
        "number": a.number,
        "title": a.title,
        "category": _category_path(index, a.category),
        "overview": overview,
        "rate": f"{s.rate.shown}%" if s.rate else None,
        "label": _label_text(s, lang),
        "label_class": _label_class(plan, s),
        "method": METHOD_LABELS[s.deciding][i] if s.deciding else None,
        "final": final,
        "task_years": task_years,
        "explain": explain,
        "decision": decision,
        "problems": [_problem_line(p, lang) for p in problems],
        "sources": [f"{src.file} {src.location}" for src in a.sources],
    }


def render_report(loaded: LoadedPlan, fmt: str = "md", lang: str = "ja", year: int | None = None, action_id: str | None = None, templates: Path | None = None, env: Environment | None = None) -> str:
    """Render the plan report (or one action's sheet with ``action_id``) as ``fmt`` (``md`` or ``html``).

    Uses ``report.md.j2`` / ``report.html.j2`` from ``templates`` (if given) or the
    default set. Raises :class:`RenderError` on a template problem and ValueError
    for an unknown format, a plan that did not load, or an unknown action id.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (md or html)")
    view = report_view(loaded, lang, year, action_id)
    out = render_template(FORMATS[fmt], view, lang, templates, env)
    return tidy_markdown(out) if fmt == "md" else out
