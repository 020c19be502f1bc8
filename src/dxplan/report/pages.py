"""The parts of the council report, each a plain dict for the templates: summary, sections by category,
department pages, action sheets and the audit appendix.

Source fields only in the body: the source's own 備考 (``notes``) is shown; our annotations
(``transcription_notes``, ``discrepancies``, ``sources`` with file names and locations) and lint findings
go to the appendix, built only with ``audit``. Empty fields are left out (no 未記入). Figures come from
:class:`dxplan.report.figures.ReportFigures`; words from :mod:`dxplan.output.wording` and the gettext catalogue.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from dxplan.status.counts import share_text
from .figures import Attention, DepartmentAction, DepartmentFigures, ReportFigures
from dxplan.i18n import t
from .indicators import indicator_summary, row_note, sheet_indicators
from dxplan.model.provenance import annotation_strings
from dxplan.model.schema import STATE_ORDER, Action, Task
from dxplan.problems import Problem
from .common import date_label, fy_label, label_class, paren, stacked_chart, states_line
from dxplan.score.methods import Method
from dxplan.score.rates import RateStatus, ScoreState, fmt_num
from dxplan.output import wording as w


def problem_line(p: Problem, lang: str) -> str:
    """A lint finding with its rule id and file position (appendix and ``--audit`` only)."""
    return f"{p.severity} {p.rule} ({p.path.name}:{p.line}): {p.message(lang)}"


def _result_kind(kind: str | None, lang: str) -> str | None:
    words = {"actual": t(lang, "actual"), "forecast": t(lang, "forecast"), "planned": t(lang, "planned")}
    return words.get(kind) if kind else None


# --------------------------------------------------------------------------- summary


def summary_view(f: ReportFigures, anchors: dict[str, str], audit: bool, lang: str) -> dict:
    """The one-page summary: status per fiscal year, the label split, what needs attention (grouped by reason)
    and, for a plan without results, its tasks planned per year. ``has_status``: some year has a task row with a
    status; ``focus_line``: which fiscal year is current when the plan gives no evaluation date (else None).

    ``{"years": [{"label", "cells": [count (share)], "without", "rows", "empty"}], "has_status", "focus_line", "has_results",
    "attention": [{"reason", "actions": [{"id", "title", "anchor", "label", "label_class"}]}], "attention_count",
    "planned": [{"label", "rows", "actions"}]}``.
    """
    years = []
    for y in f.status.years:
        c = y.table.total
        years.append({
            "label": fy_label(f.plan, y.fiscal_year, lang),
            "cells": [f"{c.states[s]} ({share_text(c.share(s))})" if c.with_status else "—" for s in STATE_ORDER],
            "with_status": c.with_status,
            "without": c.without,
            "rows": c.rows,
            "empty": c.with_status == 0,
        })
    groups: dict[str, dict] = {}
    for a in f.attention:
        reason = _attention_reason(a, lang)
        if reason is None and not (audit and a.problems):
            continue
        if reason is None:
            reason = t(lang, "lint findings (see the appendix)")
        g = groups.setdefault(reason, {"reason": reason, "actions": []})
        g["actions"].append(_action_ref(f, a.action, anchors, lang))
    planned = []
    for fy in f.years:
        rows = [task for a in f.actions for task in a.tasks if task.fiscal_year == fy]
        acts = {a.id for a in f.actions for task in a.tasks if task.fiscal_year == fy}
        planned.append({"label": fy_label(f.plan, fy, lang), "rows": len(rows), "actions": len(acts)})
    items = list(groups.values())
    return {
        "years": years,
        "has_status": any(not y["empty"] for y in years),
        "focus_line": w.focus_line(f.focus, fy_label(f.plan, f.focus.fiscal_year, lang), lang),
        "has_results": f.has_results,
        "attention": items,
        "attention_count": sum(len(g["actions"]) for g in items),
        "planned": planned,
        "with_targets": sum(1 for a in f.actions if a.target is not None),
        "with_yearly_targets": sum(1 for a in f.actions if a.yearly_targets),
    }


def _attention_reason(a: Attention, lang: str) -> str | None:
    s = a.score
    if a.low_label:
        return t(lang, "labelled {label}", label=s.label)
    if s.state is ScoreState.insufficient_data:
        return t(lang, "not evaluated: the data for a rate is incomplete (each sheet says what is missing)")
    if s.state is ScoreState.not_evaluated:
        return t(lang, "not evaluated: no measurement, summary evaluation or task status")
    return None


def _action_ref(f: ReportFigures, a: Action, anchors: dict[str, str], lang: str) -> dict:
    s = f.scores[a.id]
    return {
        "id": a.id, "title": a.title, "anchor": anchors[a.id],
        "rate": w.rate_text(s.rate, lang) if s.rate else None,
        "label": w.score_label(s, lang), "label_class": label_class(f.plan, s),
    }


# --------------------------------------------------------------------------- by category


def category_sections(f: ReportFigures, anchors: dict[str, str], lang: str) -> list[dict]:
    """One section per top-level category, in the plan's order: ``{"id", "name", "anchor", "description",
    "children": [{"id", "name", "description"}] (the sub-categories with a description), "actions": [row]}``; each row ``{"id", "title", "anchor", "sub", "rate", "label", "label_class", "method",
    "references", "target", "years"}``. Actions whose category the plan does not declare come last."""
    tops: dict[str, dict] = {}
    for node_ref in f.index.category_nodes():
        if node_ref.top is None or node_ref.top is node_ref.node:
            node = node_ref.node
            tops[node.id] = {
                "id": node.id, "name": node.name, "anchor": f"cat-{len(tops) + 1}", "description": node.description, "actions": [],
                "children": [{"id": c.id, "name": c.name, "description": c.description} for c in node.children if c.description],
            }
    other: dict[str, Any] = {"id": "", "name": t(lang, "(no category)"), "anchor": "cat-other", "description": None, "children": [], "actions": []}
    for a in f.actions:
        ref = f.index.category(a.category)
        top = tops.get((ref.top or ref.node).id) if ref else None
        sub = ref.node if ref and ref.node is not (ref.top or ref.node) else None
        (top or other)["actions"].append(_category_row(f, a, anchors, f"{sub.id} {sub.name}" if sub else "", lang))
    return [s for s in [*tops.values(), other] if s["actions"]]


def _category_row(f: ReportFigures, a: Action, anchors: dict[str, str], sub: str, lang: str) -> dict:
    s = f.scores[a.id]
    row = _action_ref(f, a, anchors, lang)
    row |= {
        "sub": sub,
        "rate": w.rate_text(s.rate, lang),
        "method": w.method_label(s.deciding, lang, f.plan),
        "references": [{"heading": w.method_heading(m, lang), "text": w.reference_cell(s.references[m], lang)} for m in Method],
        "target": target_cell(f, a, lang),
        "owners": w.sep(lang).join(a.owners),
    }
    return row


def target_cell(f: ReportFigures, a: Action, lang: str = "ja") -> str | None:
    """The target column of the category and department tables: the action's headline target as written; for an
    action measured by indicators instead, one line per indicator (:func:`dxplan.report.indicators.indicator_summary`)."""
    if a.target is not None:
        return a.target.text
    return "\n".join(indicator_summary(f.plan, i, lang) for i in a.all_indicators) or None


def targets_shown(f: ReportFigures) -> bool:
    """Whether the tables need a target column: some action has a headline target or an indicator."""
    return any(a.target is not None or a.all_indicators for a in f.actions)


# --------------------------------------------------------------------------- departments


def department_pages(f: ReportFigures, anchors: dict[str, str], lang: str) -> list[dict]:
    """One page per department with actions: ``{"name", "anchor", "chart" (its task rows' states per focus
    year, or None), "actions": [{"id", "title", "anchor", "owner", "rows", "statuses", "rate", "label", ...}]}``."""
    pages = []
    words = f.status.state_words
    for i, d in enumerate(f.departments, 1):
        bars = [(fy_label(f.plan, fy, lang), d.counts[fy]) for fy in f.focus_years if d.counts[fy].with_status]
        chart = stacked_chart(f"chart-dept-{i}", t(lang, "status of the department's task rows"), bars, words, lang) if bars else None
        pages.append({
            "name": d.name,
            "anchor": f"dept-{i}",
            "chart": chart,
            "summary": _dept_summary(f, d, lang),
            "actions": [
                _action_ref(f, da.action, anchors, lang) | {
                    "owner": da.owner,
                    "rows": _rows_cell(da, lang),
                    "statuses": [states_line(da.counts[fy], words, lang) for fy in f.focus_years] if f.has_results else [],
                    "target": target_cell(f, da.action, lang),
                }
                for da in d.actions
            ],
        })
    return pages


def departments_without_actions(f: ReportFigures) -> list[str]:
    """The names of the plan's departments and offices (not its 部 or generic owners such as 関係各課) that have no
    page (no action or task row names them) and no role shown in the organisation part, in the plan's order
    (飯塚市's 組織一覧 lists 課 that propose no action)."""
    paged = {d.key for d in f.departments}
    return [d.name for d in f.plan.departments if d.key not in paged and not d.role and d.kind in ("department", "office")]


def _unnamed_rows(a: Action) -> int:
    """The action's task rows when none of them names a department (鹿島市, 飯塚市), else 0."""
    return len(a.tasks) if a.tasks and not any(task.department for task in a.tasks) else 0


def _rows_cell(da: DepartmentAction, lang: str) -> int | str:
    """An action's task rows on a department's page: the rows naming the department, or, when the action's
    rows name no department at all, a phrase saying so with the action's row count (never a bare 0)."""
    unnamed = _unnamed_rows(da.action)
    if da.rows or not unnamed:
        return da.rows
    return t(lang, "no department named (the action has {n} rows)", n=unnamed)


def _dept_summary(f: ReportFigures, d: DepartmentFigures, lang: str) -> str:
    owned = sum(1 for da in d.actions if da.owner)
    rows = sum(da.rows for da in d.actions)
    unnamed = sum(_unnamed_rows(da.action) for da in d.actions)
    if not rows and unnamed:
        return t(lang, "{n} actions ({owned} as owner); their task rows name no department ({rows} rows in these actions)",
                 n=len(d.actions), owned=owned, rows=unnamed)
    return t(lang, "{n} actions ({owned} as owner), {rows} task rows", n=len(d.actions), owned=owned, rows=rows)


# --------------------------------------------------------------------------- action sheets


def _task_groups(f: ReportFigures, a: Action, lang: str) -> list[dict]:
    """The task tables of a sheet, compact: consecutive years whose rows carry no result or status and repeat the
    same (department, plan, timing) are shown once under all their years; a result repeated on consecutive rows is
    shown once (``span`` rows)."""
    groups: list[dict] = []
    for fy in f.years:
        rows = [task for task in a.tasks if task.fiscal_year == fy]
        if not rows:
            continue
        bare = all(not (x.result or x.status or x.progress is not None) for x in rows)
        key = [(x.department, x.item, x.plan, x.timing, x.note) for x in rows]
        last = groups[-1] if groups else None
        if bare and last and last["bare"] and last["key"] == key:
            last["years"].append(fy)
            continue
        groups.append({"years": [fy], "bare": bare, "key": key, "rows": _task_rows(rows, lang)})
    for g in groups:
        g["label"] = w.sep(lang).join(fy_label(f.plan, fy, lang) for fy in g["years"])
        del g["key"]
    return groups


def _task_rows(rows: list[Task], lang: str) -> list[dict]:
    out: list[dict] = []
    owner: dict | None = None
    for x in rows:
        kind = _result_kind(x.result_kind, lang)
        row = {
            "department": x.department, "item": x.item, "plan": x.plan, "timing": x.timing, "note": x.note,
            "result": x.result, "result_kind": kind,
            "status": x.status, "progress": None if x.progress is None else f"{fmt_num(x.progress)}%", "span": 1,
        }
        if owner is not None and x.result and owner["result"] == x.result and owner["result_kind"] == kind:
            owner["span"] += 1
            row["span"] = 0
        else:
            owner = row
        out.append(row)
    return out


def sheet_view(f: ReportFigures, a: Action, anchor: str, L: dict, lang: str) -> dict:
    """One action sheet (001, 最終進捗率・達成率まとめ方), source fields only and empty fields left out:
    ``{"id", "anchor", "title", "category", "owners", "overview": [{"heading", "text"|"entries"}], "rate", "label",
    "label_class", "method", "evaluated", "final", "task_groups", "explain", "decision", "notes", "summary_evaluation"}``."""
    s = f.scores[a.id]
    target = None
    if a.target is not None:
        target = a.target.text
        if a.target.panel and a.target.panel != a.target.text:
            target += "\n" + a.target.panel
    overview = [
        {"heading": L["aim"], "text": a.aim},
        {"heading": L["approach"], "text": a.approach},
        {"heading": L["background"], "text": a.background},
        {"heading": L["target"], "text": target},
        {"heading": t(lang, "notes on the target"), "entries": _target_notes(f, a, lang)},
        {"heading": L["yearly_targets"], "entries": [f"{fy_label(f.plan, y.fiscal_year, lang)}: {y.text}" for y in a.yearly_targets]
         + ([row_note(L["yearly_targets"], a.row_notes.yearly_targets, lang)] if a.yearly_targets and a.row_notes and a.row_notes.yearly_targets else [])},
        {"heading": L["schedule"], "entries": [(f"{fy_label(f.plan, e.fiscal_year, lang)}: " if e.fiscal_year else "") + e.text for e in a.schedule]},
        {"heading": L["budget"], "text": a.budget},
        {"heading": L["title_variants"], "entries": list(a.title_variants)},
        {"heading": L["division"], "text": a.division},
        {"heading": L["related_departments"], "text": w.sep(lang).join(a.related_departments)},
        {"heading": L["priority"], "text": None if a.priority is None else str(a.priority)},
        {"heading": L["tags"], "text": w.sep(lang).join(a.tags)},
        {"heading": L["examples"], "text": w.sep(lang).join(a.examples)},
        {"heading": L["reference_cases"], "text": a.references},
        {"heading": L["visions"], "entries": [v.text for v in f.plan.visions if v.id in a.visions]},
        {"heading": L["secondary_categories"], "entries": [_category_path(f, c) for c in a.secondary_categories]},
        {"heading": L["predecessors"], "entries": [r.title for p in f.plan.predecessors for r in p.results if r.id in a.predecessors]},
    ]
    fr = a.final_report
    activities = (list(fr.activities) + ([fr.activities_text] if fr.activities_text else [])) if fr else []
    final = [
        {"heading": L["outcome"], "text": fr.outcome if fr else None},
        {"heading": L["activities"], "entries": activities},
        {"heading": L["issues"], "text": fr.issues if fr else None},
    ]
    se = a.summary_evaluation
    explain = [
        {
            "method": w.method_label(m, lang, f.plan),
            "deciding": m == s.deciding,
            "value": w.rate_value(r, lang),
            "ok": r.status is RateStatus.ok,
            "lines": [w.core_text(line, lang) for line in r.explain],
        }
        for m, r in s.references.items()
        if r.status is not RateStatus.not_applicable
    ]
    return {
        "id": a.id,
        "anchor": anchor,
        "number": a.number,
        "title": a.title,
        "category": _category_path(f, a.category),
        "owners": w.sep(lang).join(a.owners) if a.owners else None,
        "overview": [{"text": None, "entries": []} | o for o in overview if o.get("text") or o.get("entries")],
        "evaluated": f.has_results or s.state is ScoreState.evaluated,
        "rate": w.rate_text(s.rate, lang) if s.rate else None,
        "label": w.score_label(s, lang),
        "label_class": label_class(f.plan, s),
        "method": None if s.deciding is None else w.method_label(s.deciding, lang, f.plan),
        "summary_evaluation": None if se is None else {"percent": f"{fmt_num(se.percent)}%", "reason": se.reason, "by": se.by, "date": date_label(f.plan, se.date, lang)},
        "final": [{"text": None, "entries": []} | x for x in final if x.get("text") or x.get("entries")],
        "task_groups": _task_groups(f, a, lang),
        "explain": explain,
        "decision": w.decision_line(s, lang, f.plan),
        "notes": list(a.notes),
        "indicators": sheet_indicators(f.plan, a, s, lang),
        "grades": _action_grades(f, a, lang),
    }


def _action_grades(f: ReportFigures, a: Action, lang: str) -> list[dict]:
    """The action's own grades per fiscal year, where the plan's grade scale applies to actions:
    ``[{"label" (fiscal year), "grade", "meaning"}]``, oldest first; empty otherwise."""
    scale = f.plan.grade_scale
    out = []
    for g in a.grades:  # every grade the source enters, also where the scale applies to indicators (lint: grade-ignored)
        found = scale.lookup(g.grade) if scale is not None else None
        out.append({"label": fy_label(f.plan, g.fiscal_year, lang), "grade": g.grade, "meaning": found.meaning if found and found.meaning else None,
                    "extra": [x for x in (g.reason, g.by, g.note) if x]})
    return out


def _target_notes(f: ReportFigures, a: Action, lang: str) -> list[str]:
    """The source's words on the target beside its text: each measurement's note (with its date or fiscal year)
    and each recorded change's reason (with who changed it)."""
    out: list[str] = []
    t_ = a.target
    if t_ is None:
        return out
    for m in t_.measurements:
        if m.note:
            when = date_label(f.plan, m.date, lang) if m.date else (fy_label(f.plan, m.fiscal_year, lang) if m.fiscal_year else "")
            out.append(f"{when}: {m.note}" if when else m.note)
    for h in t_.history:
        out.append(f"{date_label(f.plan, h.date, lang)}: {h.reason}" + (t(lang, " ({text})", text=h.by) if h.by else ""))
    return out


def _category_path(f: ReportFigures, written: str) -> str:
    ref = f.index.category(written)
    if ref is None:
        return written
    if ref.top is ref.node or ref.top is None:
        return f"{ref.node.id} {ref.node.name}"
    return f"{ref.top.id} {ref.top.name} / {ref.node.id} {ref.node.name}"


# --------------------------------------------------------------------------- the plan's own parts


def plan_parts(f: ReportFigures, L: dict, lang: str) -> list[dict]:
    """What plan.yaml holds beside its actions, each part only where the plan has it, headed by the plan's own
    label where it declares one: its visions (目指す姿), its organisation (推進体制: the departments with a role
    as written), the results of its predecessor plans and the reasons it records for its changes (``history``).
    ``[{"anchor", "heading", "rows": [{"term", "text",
    "lines": [str]}]}]``; ``term`` and ``text`` may be None."""
    plan = f.plan
    parts = []
    if plan.visions:
        names = {ref.node.id: ref.node.name for ref in f.index.category_nodes()}
        parts.append({"anchor": "visions", "heading": L["visions"], "rows": [
            {"term": names.get(v.category or ""), "text": v.text, "lines": []} for v in plan.visions
        ]})
    roles = [d for d in plan.departments if d.role]
    if roles:
        parts.append({"anchor": "organisation", "heading": L["organisation"], "rows": [
            {"term": d.name, "text": d.role, "lines": []} for d in roles
        ]})
    for i, p in enumerate(plan.predecessors, 1):
        items = []
        for r in p.results:
            lines = [f"{heading}: {value}" for heading, value in (
                (L["basic_policy"], r.category), (L["measure_name"], r.measure), (L["project_description"], r.description), (L["status"], r.status),
            ) if value]
            items.append({"term": r.title, "text": None, "lines": lines})
        span = t(lang, "{start} to {end}", start=fy_label(plan, p.period_start, lang), end=fy_label(plan, p.period_end, lang))
        parts.append({"anchor": f"predecessor-{i}", "heading": f"{L['predecessors']}: {p.title}{paren(span, lang)}", "rows": items})
    if plan.history:
        parts.append({"anchor": "plan-changes", "heading": t(lang, "changes to the plan"), "rows": [
            {"term": date_label(plan, h.date, lang), "text": h.reason + (t(lang, " ({text})", text=h.by) if h.by else ""), "lines": []}
            for h in plan.history
        ]})
    return parts


def glossary_view(f: ReportFigures, L: dict) -> dict | None:
    """The plan's glossary (用語集) as an appendix, in the plan's order: ``{"heading", "rows": [{"term", "aliases", "text"}]}``,
    or None when the plan has none."""
    if not f.plan.glossary:
        return None
    return {"heading": L["glossary"], "rows": [
        {"term": g.term, "aliases": list(g.aliases), "text": g.definition} for g in f.plan.glossary
    ]}


# --------------------------------------------------------------------------- audit appendix


_LISTED_ANNOTATIONS = ("sources", "transcription_notes", "discrepancies")
"""Annotation fields the appendix lists under their own headings; every other annotation is listed by its path."""


def other_annotations(model: BaseModel) -> list[str]:
    """The annotation strings of ``model`` outside :data:`_LISTED_ANNOTATIONS`, read from the schema's provenance
    declaration (a task's ``transcription_note``, a department's or glossary entry's ``note`` …), each as
    ``path: text`` with the path in the YAML's keys and 1-based list positions (``tasks[3].transcription_note``)."""
    out = []
    for path, text in annotation_strings(model):
        if path[0] in _LISTED_ANNOTATIONS:
            continue
        where = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        out.append(f"{where}: {text}")
    return out


def appendix_view(f: ReportFigures, anchors: dict[str, str], lang: str) -> dict:
    """The ``--audit`` appendix: the plan's source files, its annotations and lint findings, then per action
    (those with any) its sources (file and location), transcription notes, discrepancies, its other annotations
    (:func:`other_annotations`) and lint findings."""
    plan = f.plan
    actions = []
    for a in f.actions:
        problems = [problem_line(p, lang) for p in f.action_problems.get(a.id, [])]
        actions.append({
            "id": a.id, "title": a.title, "anchor": anchors[a.id] + "-audit", "sheet": anchors[a.id],
            "sources": [{"file": s.file, "location": s.location, "note": s.note} for s in a.sources],
            "transcription_notes": list(a.transcription_notes),
            "discrepancies": list(a.discrepancies),
            "annotations": other_annotations(a),
            "problems": problems,
        })
    return {
        "sources": [{"file": s.file, "title": s.title, "date": date_label(plan, s.date, lang), "note": s.note} for s in plan.sources],
        "transcription_notes": list(plan.transcription_notes),
        "discrepancies": list(plan.discrepancies),
        "annotations": other_annotations(plan),
        "problems": [problem_line(p, lang) for p in f.plan_problems],
        "actions": actions,
    }
