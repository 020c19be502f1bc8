"""Writers of ``dxplan diff``: plain text, Markdown (a pull request comment) and JSON.

They only arrange a :class:`dxplan.diff.compute.DiffResult`; nothing is compared here.

- :func:`diff_view` turns the result into plain data (dicts and lists of
  strings and numbers, every sentence already worded in ``lang``);
- :func:`to_text` prints that view as plain text;
- :func:`to_markdown` renders it through ``diff.md.j2`` in the same Jinja
  environment as the reports (:func:`dxplan.output.render.environment`), so a
  ``--templates DIR`` holding a ``diff.md.j2`` overrides it; the template words
  its own labels with ``_("English {x}", x=...)`` (:func:`dxplan.i18n.t`);
- :func:`to_json` is the machine-readable form (field paths, raw values).

:func:`write_text`, :func:`to_markdown` and :func:`write_json` are the writers of ``--format``
(registered in :mod:`dxplan.diff.formats`): each gives the text printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from dxplan.model.changes import FieldChange, clip, show_value

from .compute import ActionDiff, CountsChange, DiffResult, PlanDiff, ScoreView, TaskChange
from dxplan.fiscal import FiscalYearText
from dxplan.files.gitio import Side
from dxplan.i18n import N_, STATE_EN, Text, t
from dxplan.model.schema import STATE_ORDER
from dxplan.files.layout import PLAN_FILE
from dxplan.problems import Problem
from dxplan.output.jsonout import dumps_line
from dxplan.output.render import environment, render_template
from dxplan.output.wording import method_change_word, percent_with_note
from dxplan.score.rates import RANGE_NOTES

_STATES = [s.value for s in STATE_ORDER]

#: Task row changes counted in an action's summary cell, in this order.
_ROW_CHANGES = {"added": N_("added {n}"), "removed": N_("removed {n}"), "changed": N_("changed {n}")}


def fy_name(pd: PlanDiff, fy: int, lang: str) -> str:
    """A fiscal year in the plan's style (ja: ``令和6年度``, ``R6``, ``2024年度``) or as ``FY2024`` (en)."""
    return FiscalYearText(fy, pd.fiscal_year_style)(lang)


def state_name(pd: PlanDiff, state: str, lang: str) -> str:
    """A state's column name: the plan's own word for a canonical state (ja), the canonical state in English (en);
    ``no_status`` and ``unknown`` (a word the plan does not declare) through the catalogue."""
    if state == "no_status":
        return t(lang, "no status")
    if state == "unknown":
        return t(lang, "undeclared word")
    return STATE_EN.get(state, state) if lang == "en" else pd.state_words.get(state, state)


def field_name(pd: PlanDiff, path: str, lang: str) -> str:
    """A field path for people: the plan's own label for the top field in Japanese (``目指すこと``), the path in English."""
    if lang == "en":
        return path
    m = re.match(r"^(tasks\[\d+\]\.)?([a-z_]+)(.*)$", path)
    if not m:
        return path
    top, rest = m.group(2), m.group(3)
    label = pd.labels.get(top) if isinstance(pd.labels.get(top), str) else None
    if not label:
        return path
    return f"{label}{('（' + rest.lstrip('.') + '）') if rest else ''}"


def score_text(s: ScoreView | None, lang: str) -> str:
    """``54.2% 概ね達成`` (the plan's label) / ``未評価`` / ``未評価（データ不足）`` / ``—`` (no action on that side)."""
    if s is None:
        return "—"
    if s.rate is None:
        if s.state == "insufficient_data":
            return t(lang, "not evaluated (insufficient data)")
        return t(lang, "not evaluated")
    note = Text(RANGE_NOTES[s.range]) if s.range in RANGE_NOTES else None
    return f"{percent_with_note(s.rate, note, lang)} {s.label}"


def status_text(word: str | None, lang: str) -> str:
    """A status word as written, or （なし）/ (none)."""
    return word or t(lang, "(none)")


def percent_text(value: Any) -> str:
    """``40%``, or ``—`` when there is no value."""
    return "—" if value is None else f"{show_value(value)}%"


def counts_text(pd: PlanDiff, c: CountsChange, lang: str) -> str:
    """``検討中 2 → 1, 進捗中 1 → 2`` for the states whose count changed."""
    parts = []
    for key in [s.value for s in STATE_ORDER] + ["no_status", "unknown"]:
        b, a = c.before.get(key, 0), c.after.get(key, 0)
        if b != a:
            parts.append(f"{state_name(pd, key, lang)} {b} → {a}")
    return ", ".join(parts)


def transitions_text(pd: PlanDiff, lang: str, limit: int = 3) -> str:
    """``検討中 → 進捗中 ×2, 進捗中 → 完了 ×1`` over the plan's changed rows."""
    items = pd.summary()["transitions"]
    parts = [f"{status_text(x['before'], lang)} → {status_text(x['after'], lang)} ×{x['count']}" for x in items[:limit]]
    if len(items) > limit:
        parts.append("…")
    return ", ".join(parts)


def task_label(pd: PlanDiff, tc: TaskChange, lang: str) -> str:
    """``令和6年度 #2 デジタル戦略課「事例等の調査・研究」`` (row numbers are 1-based on the new side)."""
    idx = tc.after_index if tc.after_index is not None else tc.before_index
    who = f"{tc.department}" if tc.department else ""
    what = f"「{clip(tc.plan, 30)}」" if tc.plan else ""
    return f"{fy_name(pd, tc.fiscal_year, lang)} #{(idx or 0) + 1} {who}{what}".strip()


def task_lines(pd: PlanDiff, tc: TaskChange, lang: str) -> list[str]:
    """Plain-text lines describing one task row change."""
    head = task_label(pd, tc, lang)
    if tc.change == "added":
        if tc.status_after:
            return [t(lang, "task added {task} ({status})", task=head, status=tc.status_after)]
        return [t(lang, "task added {task}", task=head)]
    if tc.change == "removed":
        return [t(lang, "task removed {task}", task=head)]
    parts = []
    if tc.status_before != tc.status_after:
        parts.append(t(lang, "status {before} → {after}", before=status_text(tc.status_before, lang), after=status_text(tc.status_after, lang)))
    if tc.progress_before != tc.progress_after:
        parts.append(t(lang, "progress {before} → {after}", before=percent_text(tc.progress_before), after=percent_text(tc.progress_after)))
    for fc in tc.fields:
        parts.append(field_change_text(pd, fc, lang, strip_task=True))
    return [f"{head}: " + "; ".join(parts)]


#: The fields of a dated list entry that :func:`entry_text` words; any other field is shown as JSON after them.
_ENTRY_WORDED = {"fiscal_year", "grade", "text", "value", "kind", "source", "comparator"}


def entry_text(entry: dict[str, Any], lang: str) -> str:
    """A dated list entry (an actual, a grade, a target …) without its fiscal year, as the sheets show it.

    ``61（見込、出典: 年度末見込）`` for a forecast with a source, ``B`` for a grade, the text of a
    target that has one (else its value); fields beyond those follow as JSON.
    """
    main = entry.get("grade") if entry.get("grade") is not None else entry.get("text") if entry.get("text") else entry.get("value")
    text = show_value(main)
    forecast, source = entry.get("kind") == "forecast", entry.get("source")
    if forecast and source:
        text = t(lang, "{value} (forecast, source: {source})", value=text, source=source)
    elif forecast:
        text = t(lang, "{value} (forecast)", value=text)
    elif source:
        text = t(lang, "{value} (source: {source})", value=text, source=source)
    rest = {k: v for k, v in entry.items() if k not in _ENTRY_WORDED and v is not None and v != []}
    return f"{text} {show_value(rest)}" if rest else text


def _dated_entry(path: str, value: Any) -> tuple[str, int] | None:
    """(the list's path, the fiscal year) when ``value`` is a whole entry of a dated list (``indicators[0].actuals[2]``)."""
    m = re.match(r"^(.*)\[\d+\]$", path)
    if m is None or not isinstance(value, dict) or not isinstance(value.get("fiscal_year"), int) or isinstance(value.get("fiscal_year"), bool):
        return None
    return m.group(1), value["fiscal_year"]


def field_change_text(pd: PlanDiff, fc: FieldChange, lang: str, strip_task: bool = False) -> str:
    """``目標(値)（spec.value）: 30 → 20``, a text edit ``備考: 「…前…」→「…後…」`` or a dated entry
    added or removed, by its fiscal year: ``indicators[0].actuals 令和8年度 追加: 61（見込）``."""
    path = re.sub(r"^tasks\[\d+\]\.", "", fc.field) if strip_task else fc.field
    name = field_name(pd, path, lang)
    if fc.excerpt is not None:
        return f"{name}: 「{fc.excerpt[0]}」→「{fc.excerpt[1]}」"
    if fc.change in ("added", "removed"):
        value = fc.after if fc.change == "added" else fc.before
        dated = _dated_entry(path, value)
        if dated is not None:
            name, shown = f"{field_name(pd, dated[0], lang)} {fy_name(pd, dated[1], lang)}", entry_text(value, lang)
        else:
            shown = show_value(value)
        if fc.change == "added":
            return t(lang, "{field} added: {value}", field=name, value=shown)
        return t(lang, "{field} removed: {value}", field=name, value=shown)
    return f"{name}: {show_value(fc.before)} → {show_value(fc.after)}"


def action_summary(pd: PlanDiff, ad: ActionDiff, lang: str) -> str:
    """One cell: what changed in an action (added/removed, fields, task rows, transitions, goalposts)."""
    if ad.change == "added":
        return t(lang, "added")
    if ad.change == "removed":
        return t(lang, "removed")
    parts = []
    goal = ad.goalposts
    if goal:
        text = field_change_text(pd, goal[0], lang)
        if len(goal) > 1:
            text = t(lang, "{change} +{n} more", change=text, n=len(goal) - 1)
        if ad.recorded:
            parts.append(t(lang, "{change} (reason: {reasons})", change=text, reasons="; ".join(r["reason"] for r in ad.reasons)))
        else:
            parts.append(t(lang, "{change} (no recorded reason)", change=text))
    rows = Counter(tc.change for tc in ad.tasks)
    if ad.tasks:
        counts = "・".join(t(lang, msg, n=rows[k]) for k, msg in _ROW_CHANGES.items() if rows[k])
        parts.append(t(lang, "tasks {counts}", counts=counts))
    trans = ad.transitions
    if trans:
        parts.append(", ".join(f"{status_text(b, lang)} → {status_text(a, lang)}" + (f" ×{n}" if n > 1 else "") for (b, a), n in trans.items()))
    others = [fc for fc in ad.fields if not fc.goalpost]
    if others:
        names = list(dict.fromkeys(field_name(pd, re.sub(r"\[\d+\].*$", "", fc.field), lang) for fc in others))
        parts.append(t(lang, "fields {names}", names=", ".join(names[:4]) + (" …" if len(names) > 4 else "")))
    if not parts and ad.score_changed:
        parts.append(t(lang, "score only (a plan rule changed)"))
    return "; ".join(parts)


def action_details(pd: PlanDiff, ad: ActionDiff, lang: str) -> list[str]:
    """Plain-text lines with every change of an action (for the folded details and the text form)."""
    lines = []
    if ad.before_path:
        lines.append(t(lang, "file {before} → {after}", before=ad.before_path, after=ad.path))
    for fc in ad.fields:
        mark = "⚠️ " if fc.goalpost else ""
        lines.append(mark + field_change_text(pd, fc, lang))
    if ad.goalposts:
        if ad.recorded:
            for r in ad.reasons:
                lines.append(t(lang, "reason ({date} {field}): {reason}", date=r["date"], field=r["field"], reason=r["reason"]))
        else:
            lines.append("⚠️ " + t(lang, "no reason recorded in target.history for the goalpost change"))
    for tc in ad.tasks:
        lines += task_lines(pd, tc, lang)
    for c in ad.counts:
        lines.append(t(lang, "status {year}: {counts}", year=fy_name(pd, c.fiscal_year, lang), counts=counts_text(pd, c, lang)))
    if ad.score_changed:
        b, a = score_text(ad.score_before, lang), score_text(ad.score_after, lang)
        if ad.score_after and ad.score_after.method:
            method = method_change_word(ad.score_after.method, lang)
            lines.append(t(lang, "rate and label {before} → {after} ({method})", before=b, after=a, method=method))
        else:
            lines.append(t(lang, "rate and label {before} → {after}", before=b, after=a))
    return lines


def split_actions(pd: PlanDiff, limit: int = 20) -> tuple[list[ActionDiff], list[ActionDiff]]:
    """(shown, folded): at most ``limit`` action rows for the visible table, the rest to fold away.

    Shown first: goalpost changes, then rate or label changes, removed actions,
    status transitions, added actions, other edits. Both lists keep the
    actions' order.
    """
    if len(pd.actions) <= limit:
        return list(pd.actions), []

    def rank(ad: ActionDiff) -> int:
        if ad.goalposts:
            return 0
        if ad.score_changed:
            return 1
        if ad.change == "removed":
            return 2
        if ad.transitions:
            return 3
        if ad.change == "added":
            return 4
        return 5

    order = sorted(range(len(pd.actions)), key=lambda i: (rank(pd.actions[i]), i))
    keep = set(order[:limit])
    return [a for i, a in enumerate(pd.actions) if i in keep], [a for i, a in enumerate(pd.actions) if i not in keep]



# --------------------------------------------------------------------------- the view


def side_name(side: Side, lang: str) -> str:
    """How a side is shown: ``a1b2c3d (HEAD~1)``, or 作業ツリー / working tree."""
    if side.commit is None:
        return t(lang, "working tree")
    return f"{side.short} ({side.label})" if side.label and side.label != side.short else f"{side.short}"


#: The ``L`` labels of the diff view, kept for ``diff.md.j2`` templates written before the bundled
#: one moved to ``_()``; the bundled template words the same messages itself.
_LABELS = {
    "heading": N_("Plan changes"),
    "no_changes": N_("No changes to the plans."),
    "plan": N_("plan"),
    "actions_arc": N_("actions added/removed/changed"),
    "rows_arc": N_("task rows added/removed/changed"),
    "status_changes": N_("status changes"),
    "labels_changed": N_("labels changed"),
    "goalposts": N_("goalpost changes"),
    "new_plan": N_("A new plan"),
    "plan_removed": N_("The plan was removed"),
    "actions": N_("actions"),
    "no_recorded_reason": N_("no recorded reason"),
    "action": N_("action"),
    "change": N_("change"),
    "rate_label": N_("rate and label"),
    "other_changes": N_("Other changes"),
    "rows_per_status": N_("Task rows per status (before → after)"),
    # "fiscal year" alone is the --year option's help, translated with examples
    "fiscal_year": N_("Fiscal year"),
    "details": N_("Details"),
    "not_loaded": N_("Files that did not load (left out; see `dxplan lint`)"),
    "footer": N_("rates by the plan's evaluation rules (dxplan score --explain)"),
}

#: The goalpost cell of the summary table: ``1（理由の記録なし 1）``.
_UNRECORDED = N_("{n} (no reason recorded {unrecorded})")


def _labels(lang: str) -> dict[str, str]:
    """The ``L`` labels in ``lang`` (see :data:`_LABELS`); ``unrecorded_open``/``_close`` are the two ends of :data:`_UNRECORDED`."""
    labels = {k: t(lang, msgid) for k, msgid in _LABELS.items()}
    labels["not_loaded"] = "⚠️ " + labels["not_loaded"]
    labels["unrecorded_open"], labels["unrecorded_close"] = t(lang, _UNRECORDED, n="", unrecorded="\0").split("\0")
    return labels


def _action_view(pd: PlanDiff, ad: ActionDiff, lang: str) -> dict[str, Any]:
    return {
        "id": ad.id,
        "title": ad.title,
        "change": ad.change,
        "goalpost": bool(ad.goalposts),
        "path": ad.path,
        "summary": action_summary(pd, ad, lang),
        "details": action_details(pd, ad, lang) if ad.change == "changed" else [],
        "score_before": score_text(ad.score_before, lang),
        "score_after": score_text(ad.score_after, lang),
        "score_changed": ad.score_changed,
    }


def _counts_view(pd: PlanDiff, c: CountsChange, lang: str) -> dict[str, Any]:
    return {
        "year": fy_name(pd, c.fiscal_year, lang),
        "cells": [{"before": c.before.get(st, 0), "after": c.after.get(st, 0)} for st in _STATES + ["no_status"]],
        "text": counts_text(pd, c, lang),
    }


def _plan_view(pd: PlanDiff, lang: str) -> dict[str, Any]:
    shown, folded = split_actions(pd)
    return {
        "root": pd.root or ".",
        "municipality": pd.municipality,
        "title": pd.title,
        "change": pd.change,
        "summary": pd.summary(),
        "transitions": transitions_text(pd, lang),
        "action_count": len(pd.actions),
        "fields": [
            {"goalpost": fc.goalpost, "unrecorded": fc.goalpost and not pd.recorded, "text": field_change_text(pd, fc, lang)} for fc in pd.fields
        ],
        "actions": [_action_view(pd, ad, lang) for ad in pd.actions],
        "shown": [_action_view(pd, ad, lang) for ad in shown],
        "folded": [_action_view(pd, ad, lang) for ad in folded],
        "states": [state_name(pd, st, lang) for st in _STATES + ["no_status"]],
        "counts": [_counts_view(pd, c, lang) for c in pd.counts],
        "errors": [{"file": p.path.name, "line": p.line, "column": p.column, "rule": p.rule} for p in pd.problems_after if p.severity == "error"],
    }


def diff_view(result: DiffResult, lang: str = "ja") -> dict[str, Any]:
    """The diff as plain data, worded in ``lang``: the context of ``diff.md.j2`` and the input of :func:`to_text`.

    Keys: ``base``/``head`` (side names), ``lang``, ``L`` (the labels of
    :data:`_LABELS`, worded; kept for templates written before ``_()``), ``plans``
    (only plans with changes), each with ``root``, ``municipality``, ``title``,
    ``change`` (added/removed/changed), ``summary`` (counts of
    :meth:`dxplan.diff.compute.PlanDiff.summary`), ``transitions`` (text), ``fields``
    (plan.yaml changes: ``text``, ``goalpost``, ``unrecorded``), ``actions``
    (every action; ``shown``/``folded`` split them for a long table), each with
    ``id``, ``title``, ``change``, ``goalpost``, ``path``, ``summary``,
    ``details`` (lines), ``score_before``/``score_after`` (text) and
    ``score_changed``; ``states`` (column names), ``counts`` (per fiscal year:
    ``year``, ``cells`` of ``before``/``after`` per column, ``text``) and
    ``errors`` (files of the new side that did not load).
    """
    return {
        "base": side_name(result.base, lang),
        "head": side_name(result.head, lang),
        "lang": lang,
        "L": _labels(lang),
        "plans": [_plan_view(pd, lang) for pd in result.plans if pd.has_changes],
    }


# --------------------------------------------------------------------------- text and Markdown

_MARK = {"added": "+", "removed": "-", "changed": "~"}
"""Line marks of the text form; ``!`` marks an action with a goalpost change."""


def to_text(result: DiffResult, lang: str = "ja") -> str:
    """The plain-text form: one block per plan, one line per action, details indented."""
    view = diff_view(result, lang)
    out = [f"dxplan diff: {view['base']} → {view['head']}"]
    if not view["plans"]:
        out.append(t(lang, "no changes to the plans."))
    for p in view["plans"]:
        s = p["summary"]
        out.append("")
        name = f"{p['municipality']} {p['title']} ({p['root']})"
        if p["change"] == "added":
            name = t(lang, "{plan} (new plan)", plan=name)
        elif p["change"] == "removed":
            name = t(lang, "{plan} (plan removed)", plan=name)
        out.append(name.strip())
        if p["change"] in ("added", "removed"):
            out.append("  " + t(lang, "{n} action(s)", n=p["action_count"]))
            continue
        line = t(
            lang,
            "actions +{added} -{removed} ~{changed}, task rows +{rows_added} -{rows_removed} ~{rows_changed}",
            added=s["actions_added"],
            removed=s["actions_removed"],
            changed=s["actions_changed"],
            rows_added=s["rows_added"],
            rows_removed=s["rows_removed"],
            rows_changed=s["rows_changed"],
        )
        if s["goalposts"]:
            line = t(lang, "{counts}, ⚠️ goalpost changes {n} ({unrecorded} without a recorded reason)", counts=line, n=s["goalposts"], unrecorded=s["goalposts_unrecorded"])
        out.append("  " + line)
        for f in p["fields"]:
            text = f"{'⚠️ ' if f['goalpost'] else ''}{PLAN_FILE} {f['text']}"
            out.append("  " + (t(lang, "{change} (no recorded reason)", change=text) if f["unrecorded"] else text))
        for c in p["counts"]:
            out.append("  " + t(lang, "status {year}: {counts}", year=c["year"], counts=c["text"]))
        for a in p["actions"]:
            out.append(f"  {'!' if a['goalpost'] else _MARK[a['change']]} {a['id']} {a['title']}: {a['summary']}")
            out += [f"      {line}" for line in a["details"]]
            if a["change"] == "added":
                out.append("      " + t(lang, "{path}; evaluation {score}", path=a["path"], score=a["score_after"]))
        for e in p["errors"]:
            where = f"{e['file']}:{e['line']}:{e['column']}"
            out.append("  " + t(lang, "file that did not load (left out): {where} {rule}", where=where, rule=e["rule"]))
    return "\n".join(out)


def write_text(result: DiffResult, lang: str = "ja", templates: Path | None = None) -> str:
    """``--format text`` as printed: :func:`to_text` and its line end (no template)."""
    return to_text(result, lang) + "\n"


def table_cell(value: Any) -> str:
    """Text for one cell of a Markdown table: on one line, ``|`` escaped (the ``cell`` filter of ``diff.md.j2``)."""
    s = " ".join(str(value).split())
    return s.replace("|", "\\|")


def to_markdown(result: DiffResult, lang: str = "ja", templates: Path | None = None) -> str:
    """The Markdown PR comment: ``diff.md.j2`` (a summary table, then folded details) rendered with :func:`diff_view`.

    Besides the view the template gets ``_``: ``_("English {x}", x=...)`` is
    :func:`dxplan.i18n.t` in ``lang``.

    The template is looked up in ``templates`` first, then in the default
    templates (the same environment as the reports). Raises
    :class:`dxplan.output.render.RenderError` naming the template file and line.
    """
    env = environment(templates)
    env.filters["cell"] = table_cell
    context = {**diff_view(result, lang), "_": partial(t, lang)}
    return render_template("diff.md.j2", context, templates, env).rstrip() + "\n"


# --------------------------------------------------------------------------- JSON


def write_json(result: DiffResult, lang: str = "ja", templates: Path | None = None) -> str:
    """``--format json`` as printed: :func:`to_json` indented, Japanese kept as written (no words, no template)."""
    return dumps_line(to_json(result))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Problem):
        return {
            "path": value.path.as_posix(),
            "line": value.line,
            "column": value.column,
            "severity": value.severity,
            "rule": value.rule,
            "message": value.message_en,
            "message_ja": value.message_ja,
        }
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return value.as_posix()
    return value


def to_json(result: DiffResult) -> dict[str, Any]:
    """The JSON form: sides, and per plan whose files differ its summary, plan.yaml changes, status counts and
    action changes (``change`` is ``unchanged`` for a plan whose edit left its data as it was: comments, layout)."""
    plans = []
    for pd in result.plans:
        d = {
            "root": pd.root,
            "id": pd.id,
            "title": pd.title,
            "municipality": pd.municipality,
            "change": pd.change,
            "summary": pd.summary(),
            "fields": [_field_json(fc, pd.recorded) for fc in pd.fields],
            "status_counts": [asdict(c) for c in pd.counts],
            "actions": [],
            "problems_before": _jsonable(pd.problems_before),
            "problems_after": _jsonable(pd.problems_after),
        }
        for ad in pd.actions:
            d["actions"].append(
                {
                    "id": ad.id,
                    "title": ad.title,
                    "change": ad.change,
                    "path": ad.path,
                    "before_path": ad.before_path,
                    "fields": [_field_json(fc, ad.recorded) for fc in ad.fields],
                    "tasks": [_task_json(tc) for tc in ad.tasks],
                    "status_counts": [asdict(c) for c in ad.counts],
                    "score": {
                        "before": asdict(ad.score_before) if ad.score_before else None,
                        "after": asdict(ad.score_after) if ad.score_after else None,
                        "changed": ad.score_changed,
                    },
                    "goalposts_recorded": ad.recorded,
                    "reasons": ad.reasons,
                }
            )
        plans.append(d)
    side = lambda s: {"rev": s.label if s.commit else None, "commit": s.commit, "worktree": s.commit is None}  # noqa: E731
    return {"base": side(result.base), "head": side(result.head), "plans": plans}


def _field_json(fc: FieldChange, recorded: bool) -> dict[str, Any]:
    d = {"field": fc.field, "change": fc.change, "before": fc.before, "after": fc.after, "goalpost": fc.goalpost}
    if fc.goalpost:
        d["recorded"] = recorded
    if fc.excerpt:
        d["excerpt"] = {"before": fc.excerpt[0], "after": fc.excerpt[1]}
    return d


def _task_json(tc: TaskChange) -> dict[str, Any]:
    return {
        "change": tc.change,
        "fiscal_year": tc.fiscal_year,
        "before_index": tc.before_index,
        "after_index": tc.after_index,
        "department": tc.department,
        "plan": tc.plan,
        "status": {"before": tc.status_before, "after": tc.status_after},
        "progress": {"before": tc.progress_before, "after": tc.progress_after},
        "fields": [_field_json(fc, False) for fc in tc.fields],
    }

