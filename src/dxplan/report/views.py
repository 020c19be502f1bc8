"""Report and status-Markdown views: the figures arranged as plain dicts for the Jinja templates.

A *view* here is the dict a template receives; *rendering* (Jinja, escaping,
template errors) is :mod:`dxplan.output.render`'s, PDF is :mod:`dxplan.report.pdf`'s. Every figure
comes computed: :class:`dxplan.status.counts.StatusResult` for ``dxplan status --format
markdown``, :class:`dxplan.report.figures.ReportFigures` for ``dxplan report``. This module
neither scores, nor lints, nor counts, nor reads the clock; it picks texts through
:mod:`dxplan.output.wording` and the gettext catalogue. The report's parts are built in
:mod:`dxplan.report.pages`, shared pieces and chart geometry in
:mod:`dxplan.report.common`. Percents are 0–100 throughout: shares to two decimals
(half-up, as 000 prints them), rates to one decimal (as 001 prints them).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment

from dxplan.status.counts import Counts, StatusResult, StatusTable, YearStatus, share_text
from .figures import ReportFigures
from .history_figures import ReportHistory
from dxplan.i18n import t
from dxplan.model.schema import STATE_ORDER, Plan, State
from dxplan.output.render import render_template, tidy_markdown
from . import pages
from .indicators import plan_indicators_view
from .grades import grade_summary_view
from .history import history_view
from .common import (
    anchor, check_view, counts_view, date_label, fy_label, group_view, label_chart, paren, stacked_chart, state_views, total_view,
)
from dxplan.output import wording as w

TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2", "pdf": "report.html.j2"}
"""The top-level template of each form :func:`render_report` renders (PDF is the HTML through WeasyPrint's print CSS)."""

SECTIONS = ("cover", "contents", "summary", "status", "categories", "departments", "sheets")
"""The parts of the report, in order (``--sections`` picks some); the ``--audit`` appendix comes last."""

__all__ = ["TEMPLATES", "SECTIONS", "fy_label", "counts_view", "state_views", "check_view", "status_markdown", "report_view", "render_report"]


# --------------------------------------------------------------------------- status views
def plan_header_view(plan: Plan, lang: str) -> dict:
    """Title, municipality, period, evaluation date and sources of a plan, as display text."""
    return {
        "id": plan.id,
        "title": plan.title,
        "municipality": plan.municipality,
        "prefecture": plan.prefecture,
        "stage": plan.stage_label,
        "period": t(lang, "{start} to {end}", start=fy_label(plan, plan.period_start, lang), end=fy_label(plan, plan.period_end, lang)),
        "evaluation_date": date_label(plan, plan.evaluation_date, lang),
        "published": plan.published,
        "sources": [{"file": s.file, "title": s.title, "date": date_label(plan, s.date, lang), "note": s.note} for s in plan.sources],
    }


def status_year_view(plan: Plan, year: YearStatus, words: dict[State, str], lang: str) -> dict:
    """One fiscal year of ``dxplan status``: total, groups (with ``--by``), rows without status, source check."""
    table = year.table
    return {
        "fiscal_year": table.fiscal_year,
        "label": fy_label(plan, table.fiscal_year, lang),
        "by": table.by,
        "by_label": w.by_label(table.by, lang) if table.by else None,
        "title": w.status_title(fy_label(plan, table.fiscal_year, lang), table.by, lang),
        "total": total_view(table.total, lang),
        "groups": [group_view(g, lang) for g in table.groups],
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
    through ``status.md.j2``. Raises :class:`dxplan.output.render.RenderError` on a template problem.
    """
    return tidy_markdown(render_template("status.md.j2", status_view(results, lang), templates))


def write_status_markdown(results: list[StatusResult], lang: str, console: Callable | None = None) -> str:
    """``dxplan status --format markdown`` (:data:`dxplan.report.formats.STATUS`): :func:`status_markdown` as printed."""
    return status_markdown(results, lang) + "\n"




# --------------------------------------------------------------------------- report pieces


def _years_chart(f: ReportFigures, title: str, lang: str) -> dict | None:
    """Per year with status rows: a bar per printed column of the plan's own table, then the computed counts."""
    bars: list[tuple[str, Counts]] = []
    for y in f.status.years:
        if not y.table.total.with_status:
            continue
        fy = fy_label(f.plan, y.fiscal_year, lang)
        for snap, counts in zip(y.snapshots, y.source_counts, strict=True):
            kind = t(lang, "forecast") if snap.kind == "forecast" else t(lang, "source document")
            bars.append((f"{fy}  {date_label(f.plan, snap.date, lang)}{paren(kind, lang)}", counts))
        bars.append((f"{fy}  {t(lang, 'computed')}", y.table.total))
    return stacked_chart("chart-years", title, bars, f.status.state_words, lang) if bars else None


def _snapshot_columns(plan: Plan, y: YearStatus, lang: str) -> list[dict]:
    cols = []
    for snap in y.snapshots:
        cells = []
        for s in STATE_ORDER:
            n = getattr(snap.counts, s.value)
            share = snap.shares.get(s)
            cells.append("—" if n is None else (f"{n} ({share:.2f}%)" if share is not None else f"{n}"))
        total = snap.counts.total
        cols.append({
            "heading": date_label(plan, snap.date, lang) + (paren(t(lang, "forecast"), lang) if snap.kind == "forecast" else ""),
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
    cols = _snapshot_columns(plan, y, lang)
    c = y.table.total
    cols.append({
        "heading": t(lang, "computed"),
        "label": t(lang, "counted from the action sheets' task rows"),
        "source": False,
        "cells": [f"{c.states[s]} ({share_text(c.share(s))})" for s in STATE_ORDER],
        "total": f"{c.with_status}",
        "without": f"{c.without}",
        "note": None,
    })
    rows = [{"label": st["label"], "cells": [col["cells"][i] for col in cols]} for i, st in enumerate(state_views(words, lang))]
    return {
        "fiscal_year": y.fiscal_year,
        "label": fy_label(plan, y.fiscal_year, lang),
        "columns": cols,
        "rows": rows,
        "total": [col["total"] for col in cols],
        "without": [col["without"] for col in cols],
        "counts": total_view(c, lang),
        "empty": c.rows == 0,
        "no_status_rows": c.with_status == 0,
        "without_line": w.without_status_line(c, lang),
        "check": check_view(y.check, words, lang),
        "notes": [col["note"] for col in cols if col["note"]],
    }


def _group_table(plan: Plan, table: StatusTable, action_counts: dict[str, int] | None, title: str, lang: str) -> dict:
    groups = []
    for g in table.groups:
        v = group_view(g, lang)
        v["actions"] = None if action_counts is None else action_counts.get(g.key, 0)
        groups.append(v)
    total = total_view(table.total, lang)
    total["actions"] = None if action_counts is None else sum(action_counts.values())
    fy = fy_label(plan, table.fiscal_year, lang)
    return {"fiscal_year": table.fiscal_year, "label": fy, "caption": f"{title}{paren(fy, lang)}", "groups": groups, "total": total, "note": w.table_note(table, lang)}


def _cover_view(f: ReportFigures, lang: str) -> dict:
    """The cover: plan, municipality, evaluation date in the plan's style, issuer, and the sources by title and date."""
    plan = f.plan
    evaluated = date_label(plan, plan.evaluation_date, lang)
    return {
        "evaluated": t(lang, "as of {date}", date=evaluated) if evaluated else None,
        "issuer": plan.published,
        "generated": date_label(plan, f.generated, lang),
        "sources": [
            {"title": s.title, "date": date_label(plan, s.date, lang)}
            for s in plan.sources if s.title
        ],
        "notes": list(plan.notes),
    }


# --------------------------------------------------------------------------- the report


def report_view(f: ReportFigures, lang: str = "ja", *, audit: bool = False, sections: tuple[str, ...] | None = None,
                history: ReportHistory | None = None) -> dict:
    """Everything the report templates show for one plan, as plain dicts and strings, from its figures.

    ``sections``: the parts to show (default :data:`SECTIONS`, all); ``audit`` adds the appendix of
    annotations, source files and lint findings; ``history``: the plan's history from git
    (:func:`dxplan.report.history_figures.report_history`), shown in the summary and on each sheet where there is one
    (``view["history"]`` is None otherwise). Rates are shown to one decimal (percent, 0–100+),
    shares to two decimals. Raises ValueError for an unknown section name.
    """
    chosen = tuple(sections) if sections is not None else SECTIONS
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s): {', '.join(unknown)} (choose from {', '.join(SECTIONS)})")
    plan = f.plan
    words = f.status.state_words
    L = w.report_labels(plan, lang)
    used: set[str] = set()
    anchors = {a.id: anchor("action-", a.id, used) for a in f.actions}
    category_charts = [
        stacked_chart(f"chart-categories-{tb.fiscal_year}", f"{L['chart_categories']}{paren(fy_label(plan, tb.fiscal_year, lang), lang)}", [(w.group_label(g, lang), g) for g in tb.groups], words, lang)
        for tb in f.by_category if tb.total.with_status
    ]
    sy = f.scored_years
    show = {s: (s in chosen) for s in SECTIONS}
    if not f.full:
        show = {s: s == "sheets" for s in SECTIONS}
    return {
        "lang": lang,
        "L": L,
        "full": f.full,
        "audit": audit,
        "show": show,
        "header": plan_header_view(plan, lang),
        "cover": _cover_view(f, lang),
        "summary": pages.summary_view(f, anchors, audit, lang),
        "grades": grade_summary_view(plan, f.status.grades, lang),
        "plan_indicators": plan_indicators_view(plan, f.plan_indicators, lang),
        "targets_shown": pages.targets_shown(f),
        "states": state_views(words, lang),
        "has_results": f.has_results,
        "status_years": [_year_status(plan, y, words, lang) for y in f.status.years],
        "chart_years": _years_chart(f, L["chart_years"], lang),
        "category_tables": [_group_table(plan, tb, f.actions_per_category, L["status_by_category"], lang) for tb in f.by_category],
        "category_charts": category_charts,
        "categories": pages.category_sections(f, anchors, lang),
        "departments": pages.department_pages(f, anchors, lang),
        "plan_parts": pages.plan_parts(f, L, lang) if f.full else [],
        "idle_departments": w.sep(lang).join(pages.departments_without_actions(f)) if f.full else None,
        "glossary": pages.glossary_view(f, L) if f.full else None,
        "label_chart": label_chart(f.labels, len(f.actions), lang),
        "action_count": len(f.actions),
        "attention_intro": w.attention_intro(f.low_labels, lang, audit),
        "sheets": [pages.sheet_view(f, a, anchors[a.id], L, lang) for a in f.sheets],
        "appendix": pages.appendix_view(f, anchors, lang) if audit else None,
        "scale": w.scale_bands(plan.rating_scale, lang),
        "scale_line": w.scale_line(plan.rating_scale, lang),
        "scored_years": t(lang, "{start} to {end}", start=fy_label(plan, sy[0], lang), end=fy_label(plan, sy[-1], lang)) if len(sy) > 1 else fy_label(plan, sy[0], lang),
        "year": fy_label(plan, f.year, lang) if f.year is not None else None,
        "generated": date_label(plan, f.generated, lang),
        "history": history_view(history, plan, words, f.actions, anchors, lang) if f.full else None,
    }


def render_report(
    figures: ReportFigures, fmt: str = "md", lang: str = "ja", templates: Path | None = None, env: Environment | None = None,
    *, audit: bool = False, sections: tuple[str, ...] | None = None, history: ReportHistory | None = None,
) -> str:
    """The plan report (or one action's sheet, as the figures say) rendered as ``fmt`` (``md`` or ``html``;
    ``pdf`` gives the HTML that :func:`dxplan.report.pdf.write_pdf` prints).

    ``history``: the plan's history from git, or None (the history parts are then left out).
    Uses ``report.md.j2`` / ``report.html.j2`` from ``templates`` (if given) or the default set.
    Raises :class:`dxplan.output.render.RenderError` on a template problem and ValueError for an unknown
    format or section.
    """
    if fmt not in TEMPLATES:
        raise ValueError(f"unknown format {fmt!r} (md, html or pdf)")
    view = report_view(figures, lang, audit=audit, sections=sections, history=history)
    view["pdf"] = fmt == "pdf"
    out = render_template(TEMPLATES[fmt], view, templates, env)
    return tidy_markdown(out) if fmt == "md" else out


def write_report_markdown(figures: ReportFigures, lang: str = "ja", **options: Any) -> str:
    """``dxplan report --format md`` (:data:`dxplan.report.formats.REPORT`): the report as Markdown; ``options``
    those of :func:`render_report`."""
    return render_report(figures, "md", lang, **options)


def write_report_html(figures: ReportFigures, lang: str = "ja", **options: Any) -> str:
    """``dxplan report --format html``: the report as one self-contained HTML file; ``options`` those of :func:`render_report`."""
    return render_report(figures, "html", lang, **options)
