"""JSON for ``dxplan status`` and ``dxplan score`` (plain dicts built from the results), and the two helpers
every JSON writer uses: :func:`json_number` for its figures and :func:`dumps` for its text.

Shares are numbers in 0–100 rounded half-up to two decimals, as the tables and
the plans print them (:func:`dxplan.status.counts.round_share`). Rates carry the raw
value rounded half-up to four decimals (``rate``) beside the text shown, one decimal
half-up (``shown``); a rate outside 0–100 % carries why as ``range`` (a key of
:data:`dxplan.score.rates.RANGE_NOTES`: ``beyond_target``, ``below_baseline``, ``above_baseline``,
``negative``; null inside) and ``range_note``, the reason worded in ``lang``. Labels and sentences follow ``lang`` through
:mod:`dxplan.output.wording`.

:func:`write_status`, :func:`write_indicators` and :func:`write_scores` are the JSON writers of
``dxplan status``, ``status --by indicator`` and ``dxplan score`` (registered in
:mod:`dxplan.report.formats` and :mod:`dxplan.output.formats`): indented, Japanese kept as written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, overload

from dxplan.status.counts import (
    Counts, GradeCounts, GradeTable, PlanIndicators, PlanOverview, PlanScores, StatusResult, YearStatus, round_share,
)
from dxplan.status.effects import UNITS, EffectSums, EffectSummary
from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import t
from dxplan.model.schema import STATE_ORDER, Plan
from dxplan.score.rates import NO_SCALE_LABEL, Rate, range_key_of
from dxplan.score.actions import ActionScore
from dxplan.score.indicators import IndicatorRow, IndicatorScore
from . import wording as w
from .wording import group_label, total_label

SHARE_PLACES = 2
"""Decimals of a share (percent 0–100 of the rows with a status) in JSON, as the tables print it."""

RATE_PLACES = 4
"""Decimals of a raw achievement rate (percent, uncapped) in JSON; the text shown has one."""


@overload
def json_number(value: float, places: int = SHARE_PLACES) -> float: ...
@overload
def json_number(value: None, places: int = SHARE_PLACES) -> None: ...
@overload
def json_number(value: float | None, places: int = SHARE_PLACES) -> float | None: ...
def json_number(value: float | None, places: int = SHARE_PLACES) -> float | None:
    """A figure as JSON carries it: rounded half-up to ``places`` decimals, as a float (50.0, 3.13); None stays None.

    The rounding is :func:`dxplan.status.counts.round_share`, the rule of every table, so JSON and the tables
    agree (a share of 1 in 32 rows, 3.125 %, is 3.13 in both, where Python's ``round`` gives 3.12). Every JSON
    writer rounds its shares (``places`` :data:`SHARE_PLACES`), rates (:data:`RATE_PLACES`) and other
    fractional figures through this.
    """
    shown = round_share(value, places)
    return None if shown is None else float(shown)


def dumps(data: Any) -> str:
    """``data`` as the JSON text every command prints or writes: characters kept as they are (Japanese stays
    readable), two-space indents, no final newline. Raises TypeError for a value JSON cannot hold."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def dumps_line(data: Any) -> str:
    """:func:`dumps` and its line end: what a command prints."""
    return dumps(data) + "\n"


def counts_dict(c: Counts, key: str, label: str) -> dict:
    """``{"key", "label", "counts": {state: n}, "shares": {state: pct}, "with_status", "no_status", "unknown", "rows"}``.

    ``shares`` are percents (0–100) rounded half-up to two decimals, None when no row has a status.
    """
    return {
        "key": key,
        "label": label,
        "counts": {s.value: c.states[s] for s in STATE_ORDER},
        "shares": {s.value: json_number(c.share(s)) for s in STATE_ORDER},
        "with_status": c.with_status,
        "no_status": c.no_status,
        "unknown": c.unknown,
        "rows": c.rows,
    }


def overview_dict(o: PlanOverview, lang: str = "ja") -> dict:
    """JSON for one plan in the combined view: actions and task rows per state; not evaluated = ``no_status``."""
    return {
        "plan": o.plan.id,
        "municipality": o.plan.municipality,
        "fiscal_year": o.fiscal_year,
        "actions": counts_dict(o.actions, o.plan.id, o.plan.municipality),
        "task_rows": counts_dict(o.rows, "total", total_label(lang)),
    }


def _year_dict(y: YearStatus, style: str, lang: str) -> dict:
    t, check = y.table, y.check
    entry = {
        "fiscal_year": t.fiscal_year,
        "fiscal_year_label": format_fiscal_year(t.fiscal_year, style),
        "by": t.by,
        "total": counts_dict(t.total, "total", total_label(lang)),
        "groups": [counts_dict(g, g.key, group_label(g, lang)) for g in t.groups] if t.by else [],
    }
    if check is not None:
        entry["source_table"] = {
            "label": check.snapshot.label,
            "date": check.snapshot.date.isoformat(),
            "counts": check.snapshot.counts.model_dump(exclude_none=True),
            "matches": check.matches,
            "differences": {k: {"source": a, "computed": b} for k, (a, b) in check.differences.items()},
        }
    return entry


def status_dict(result: StatusResult, lang: str = "ja") -> dict:
    """JSON for ``dxplan status``: one entry per fiscal year, with the source's own table beside it;
    ``grades`` (per year, when the plan declares a grade scale) and ``effects`` (when actions have any).

    ``state_words`` holds the plan's own word for each canonical state, null where the plan declares none
    (鹿島市 and 鞍手町 declare ``statuses: []``); ``state_words_declared`` says whether the plan declares any.
    """
    plan = result.plan
    declared = {sw.state for sw in plan.statuses}
    out = {
        "plan": plan.id,
        "municipality": plan.municipality,
        "title": plan.title,
        "state_words": {s.value: result.state_words[s] if s in declared else None for s in STATE_ORDER},
        "state_words_declared": bool(declared),
        "years": [_year_dict(y, plan.fiscal_year_style, lang) for y in result.years],
    }
    if result.grades:
        out["grades"] = [grade_table_dict(g, plan, lang) for g in result.grades]
    if result.effects is not None:
        out["effects"] = effects_dict(result.effects)
    return out


def grade_counts_dict(c: GradeCounts, key: str, label: str | None) -> dict:
    """``{"key", "label", "counts": {grade: n}, "shares": {grade: pct}, "graded", "not_evaluated": {grade: n}, "not_graded",
    "unknown", "rows"}``; shares are percents (0–100) of the graded rows, half-up to two decimals, None when none is
    graded; ``not_evaluated`` counts the grades the scale declares not evaluated (outside the shares)."""
    return {
        "key": key,
        "label": label,
        "counts": dict(c.grades),
        "shares": {g: json_number(c.share(g)) for g in c.grades},
        "graded": c.graded,
        "not_evaluated": dict(c.apart),
        "not_graded": c.not_graded,
        "unknown": c.unknown,
        "rows": c.rows,
    }


def grade_table_dict(g: GradeTable, plan: Plan, lang: str = "ja") -> dict:
    """JSON for one fiscal year's grade counts: the scale (grade, meaning, best first), total and groups."""
    scale = plan.grade_scale
    return {
        "fiscal_year": g.fiscal_year,
        "fiscal_year_label": format_fiscal_year(g.fiscal_year, plan.fiscal_year_style),
        "applies_to": g.applies_to,
        "by": g.by,
        "scale": [{"grade": x.grade, "meaning": x.meaning} for x in scale.grades] if scale else [],
        "total": grade_counts_dict(g.total, "total", total_label(lang)),
        "groups": [grade_counts_dict(c, c.key, c.label) for c in g.groups],
    }


def _num(x: float) -> float | int:
    """An effect sum (hours or 千円) for JSON: an int when whole, else four decimals half-up."""
    return int(x) if float(x).is_integer() else json_number(x, 4)


def effect_sums_dict(e: EffectSums, years: list[int]) -> dict:
    """``{kind: {meaning: {"by_year": {fy: sum}, "total", "cells"}}, "text_cells": {kind: n}, "per_person_cells": {kind: n}}``,
    never netted across meanings; ``per_person_cells`` counts the per-person figures left out of the sums."""
    out: dict = {}
    for kind, meaning in e.pairs():
        per = e.values[(kind, meaning)]
        out.setdefault(kind, {})[meaning] = {
            "by_year": {str(fy): _num(per[fy]) for fy in years if fy in per},
            "total": _num(e.total(kind, meaning)),
            "cells": e.cells[(kind, meaning)],
        }
    out["text_cells"] = dict(sorted(e.text_cells.items()))
    out["per_person_cells"] = dict(sorted(e.per_cells.items()))
    return out


def effects_dict(summary: EffectSummary) -> dict:
    """JSON for the plan's effect sums: units, fiscal years, total, per 部 and per action (see :mod:`dxplan.status.effects`)."""
    years = summary.years
    return {
        "units": dict(UNITS),
        "years": years,
        "total": effect_sums_dict(summary.total, years),
        "by_division": [
            {"key": k, "label": summary.division_names.get(k, k), **effect_sums_dict(v, years)} for k, v in summary.by_division.items()
        ],
        "by_action": [{"id": k, **effect_sums_dict(v, years)} for k, v in summary.by_action.items()],
    }


def rate_dict(r: Rate, lang: str = "ja") -> dict:
    """``{"method", "status", "rate" (raw %, four decimals), "shown" (one decimal, text), "reason", "range" (key, or
    null inside 0–100 %), "range_note" (worded), "explain": [...]}``."""
    return {
        "method": r.method.value,
        "status": r.status.value,
        "rate": json_number(r.value, RATE_PLACES),
        "shown": r.shown,
        "reason": w.core_text(r.reason, lang) if r.reason else None,
        "range": range_key_of(r.range_note),
        "range_note": w.core_text(r.range_note, lang) if r.range_note is not None else None,
        "explain": [w.core_text(line, lang) for line in r.explain],
    }


def score_label_text(label: str, lang: str) -> str:
    """An action's label for output: the plan's own word, or "no scale declared" worded in ``lang``."""
    return t(lang, "no scale declared") if label == NO_SCALE_LABEL else label


def score_dict(s: ActionScore, lang: str = "ja") -> dict:
    """JSON for one action's score: deciding method, rate (raw, four decimals), shown, label, state, interim,
    reference rates and each indicator's rates (``indicators``)."""
    out: dict[str, Any] = {
        "id": s.action_id,
        "title": s.title,
        "state": s.state.value,
        "deciding": None if s.deciding is None else s.deciding.value,
        "rate": None if s.rate is None else json_number(s.rate.value, RATE_PLACES),
        "shown": None if s.rate is None else s.rate.shown,
        "range": None if s.rate is None else range_key_of(s.rate.range_note),
        "range_note": None if s.rate is None or s.rate.range_note is None else w.core_text(s.rate.range_note, lang),
        "label": score_label_text(s.label, lang),
        "references": {k.value: rate_dict(v, lang) for k, v in s.references.items()},
    }
    if s.rate is not None and s.rate.interim:
        out["interim"] = True
    if s.indicators:
        out["indicators"] = [indicator_dict(i, lang) for i in s.indicators]
    return out


def indicator_dict(s: IndicatorScore, lang: str = "ja") -> dict:
    """JSON for one indicator: its shape, overall rate (:func:`rate_dict` plus ``interim``), and per fiscal year the
    target, actual (with kind; ``actual_text`` added where the source writes the actual as text, 「完了」), rate (raw,
    four decimals; None = no actual yet, no target or a text-only actual), status and grade."""
    ind = s.indicator
    overall = rate_dict(s.overall, lang)
    overall["interim"] = s.overall.interim
    return {
        "id": ind.id,
        "name": ind.name,
        "kind": ind.kind,
        "unit": ind.unit,
        "measure": ind.measure,
        "direction": ind.direction,
        "accumulation": ind.accumulation,
        "baseline": None if ind.baseline is None else ind.baseline.value,
        "final_target": ind.target_value,
        "deadline": ind.final_deadline,
        "overall": overall,
        "years": [
            {
                "fiscal_year": y.fiscal_year,
                "target": y.target,
                "target_text": y.target_text,
                "actual": None if y.actual is None else y.actual.value,
                "actual_kind": None if y.actual is None else y.actual.kind,
                "rate": json_number(y.rate, RATE_PLACES),
                "shown": y.shown,
                "range": range_key_of(y.range_note),
                "range_note": None if y.range_note is None else w.core_text(y.range_note, lang),
                "status": y.status.value,
                "interim": y.interim,
                "grade": s.grades.get(y.fiscal_year),
            } | ({"actual_text": y.actual.text} if y.actual is not None and y.actual.text else {})
            for y in s.years
        ],
    }


def indicator_rows_dict(plan: Plan, fiscal_year: int, rows: list[IndicatorRow], lang: str = "ja") -> dict:
    """JSON for ``status --by indicator``: the year and one entry per indicator (``action`` None = plan level)."""
    return {
        "plan": plan.id,
        "fiscal_year": fiscal_year,
        "fiscal_year_label": format_fiscal_year(fiscal_year, plan.fiscal_year_style),
        "indicators": [{"action": r.action_id, **indicator_dict(r.score, lang)} for r in rows],
    }


def status_entry(result: StatusResult, lang: str = "ja") -> tuple[str, dict]:
    """One plan's part of :func:`write_status`'s document, made where the plan is counted (a worker): its
    :func:`status_dict` as JSON text (:func:`dumps`) and its :func:`overview_dict`; joined by :func:`status_document`."""
    return dumps(status_dict(result, lang)), overview_dict(result.overview, lang)


def status_document(entries: list[tuple[str, dict]]) -> str:
    """What :func:`write_status` writes for the plans whose :func:`status_entry` are ``entries`` (in order), the same
    text, from each plan's JSON text: nested JSON is the same text indented two spaces per level."""
    if len(entries) == 1:
        return entries[0][0] + "\n"
    if not entries:
        return dumps_line({})
    plans = ",\n".join("    " + text.replace("\n", "\n    ") for text, _ in entries)
    combined = ",\n".join("    " + dumps(o).replace("\n", "\n    ") for _, o in entries)
    return f'{{\n  "plans": [\n{plans}\n  ],\n  "combined": [\n{combined}\n  ]\n}}\n'


def write_status(results: list[StatusResult], lang: str, console: Callable | None = None) -> str:
    """``dxplan status --format json``: one plan's status, or with several ``{"plans": [...], "combined": [...]}``."""
    data = [status_dict(r, lang) for r in results]
    if len(data) > 1:
        return dumps_line({"plans": data, "combined": [overview_dict(r.overview, lang) for r in results]})
    return dumps_line(data[0] if data else {})


def write_indicators(plans: Iterable[PlanIndicators], lang: str, console: Callable | None = None) -> str:
    """``dxplan status --by indicator --format json``: one plan's indicator rows (and why that year), or a list of them."""
    data = [indicator_rows_dict(p.plan, p.focus.fiscal_year, p.rows, lang) | {"year_chosen_by": p.focus.reason} for p in plans]
    return dumps_line(data[0] if len(data) == 1 else data)


def write_scores(plans: Iterable[PlanScores], lang: str, console: Callable | None = None, *, explain: bool = False) -> str:
    """``dxplan score --format json``: one plan's scores (and its grade split where it has a grade scale), or a list of them.

    ``explain`` changes nothing: every entry carries its inputs and formula.
    """
    return "".join(score_document(score_entry(p, lang) for p in plans))


def score_entry(p: PlanScores, lang: str = "ja") -> str:
    """One plan's part of :func:`write_scores`'s output as JSON text (:func:`dumps`), made where the plan is scored (a worker)."""
    entry: dict[str, Any] = {"plan": p.plan.id, "municipality": p.plan.municipality, "actions": [score_dict(s, lang) for s in p.scores]}
    if p.plan.grade_scale is not None:  # the grade split per year, as `status` gives it
        entry["grades"] = [grade_table_dict(g, p.plan, lang) for g in p.grades]
    return dumps(entry)


def score_document(entries: Iterable[str]) -> Iterator[str]:
    """:func:`write_scores`'s text from each plan's :func:`score_entry`, in pieces as the plans come: one plan's
    entry alone, else a list of them (nested JSON is the same text indented two spaces per level). The first
    piece comes once two plans are seen or all are; so a caller may still decide, then, to print nothing."""
    it = iter(entries)
    first = next(it, None)
    if first is None:
        yield dumps_line([])
        return
    second = next(it, None)
    if second is None:
        yield first + "\n"
        return
    yield "[\n  " + first.replace("\n", "\n  ")
    yield ",\n  " + second.replace("\n", "\n  ")
    for text in it:
        yield ",\n  " + text.replace("\n", "\n  ")
    yield "\n]\n"
