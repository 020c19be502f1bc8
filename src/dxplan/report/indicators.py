"""The context of an action sheet's indicator block (templates ``_indicators.html.j2`` / ``_indicators.md.j2``).

Arranges results computed elsewhere (:class:`dxplan.score.actions.ActionScore` with its indicator scores,
the action's yearly targets and effects) into plain dicts with every word already worded for
``lang``; no figure is computed here. Effect cells are printed as the sheet writes them (``raw``:
「△24時間（一人当たり）」, 「3,395（千円）※令和2年度実績」), grouped per kind and sign meaning, the meaning
marked as dxplan's reading. Rates are shown to one decimal (``80.0%``); a year with a target and no actual
reads "no actual yet", never 0 %.
"""

from __future__ import annotations

from functools import partial

from dxplan.status.effects import KINDS, MEANINGS
from dxplan.fiscal import FiscalYearText
from dxplan.i18n import N_, t
from dxplan.output import wording as w
from dxplan.output.wording import (
    EFFECT_KINDS, SIGN_MEANING_HEADING, SIGN_MEANING_NOTE, actual_text, core_text, effect_unit, percent_with_note, plan_label, with_decimals,
)
from dxplan.model.schema import Action, Indicator, Plan
from dxplan.score.rates import RateStatus, written_decimals
from dxplan.score.actions import ActionScore
from dxplan.score.indicators import IndicatorScore

_MEANING = {
    "saving": N_("saving"), "extra_workload": N_("extra workload"), "cost": N_("cost"), "revenue": N_("revenue"),
    "reduction": N_("reduction"), "unknown": N_("unknown"), "unspecified": N_("meaning not recorded"),
}
_KIND = EFFECT_KINDS


def _num(x: float | None, decimals: int | None = None) -> str:
    if x is None:
        return "—"
    if decimals is None:
        decimals = written_decimals(x)
    if decimals is not None:
        return with_decimals(x, decimals)
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def indicator_entry(plan: Plan, s: IndicatorScore, lang: str = "ja") -> dict:
    """One indicator, worded: ``{"id", "name", "unit", "baseline", "final", "cells": [per fiscal year of the plan:
    {"target", "target_text", "actual", "rate", "bar", "grade"}], "overall"}``. A year with a target and no actual
    reads "no actual yet", never 0 %; a final target given only as text (上昇) is shown as written."""
    years = plan.fiscal_years
    style = plan.fiscal_year_style
    ind = s.indicator
    unit = ind.unit or ""
    cells = []
    for fy in years:
        y = next((x for x in s.years if x.fiscal_year == fy), None)
        if y is None:
            cells.append({"target": "—", "target_text": None, "actual": "—", "rate": "—", "bar": 0, "grade": s.grades.get(fy)})
            continue
        if y.status is RateStatus.ok:
            rate = percent_with_note(y.shown, y.range_note, lang)
        elif y.status is RateStatus.insufficient_data:
            rate = t(lang, "no actual yet")
        else:
            rate = "—"
        actual = actual_text(y.actual, unit, lang, partial(_num, decimals=ind.decimals))
        target = "—" if y.target is None else f"{_num(y.target)}{unit}"
        cells.append({
            "target": target,
            "target_text": y.target_text if y.target_text and y.target_text != target else None,
            "actual": actual,
            "rate": rate,
            "bar": 0 if y.rate is None else max(0, min(100, round(y.rate))),
            "grade": s.grades.get(fy),
        })
    o = s.overall
    overall = (percent_with_note(o.shown, o.range_note, lang) + (t(lang, " (interim)") if o.interim else "")) if o.status is RateStatus.ok else (core_text(o.reason, lang) if o.reason else "—")
    final = None
    if ind.target_value is not None or ind.target_text:
        final = ind.target_text or f"{_num(ind.target_value)}{unit}"
        if ind.deadline is not None:
            final += t(lang, " ({text})", text=FiscalYearText(ind.deadline, style)(lang))
    return {
        "id": ind.id,
        "name": ind.name,
        "unit": unit,
        "baseline": None if ind.baseline is None else f"{_num(ind.baseline.value)}{unit}"
        + (t(lang, " ({text})", text=FiscalYearText(ind.baseline.fiscal_year, style)(lang)) if ind.baseline.fiscal_year else ""),
        "final": final,
        "cells": cells,
        "overall": overall,
        "notes": indicator_notes(ind, style, lang),
    }


def indicator_notes(ind: Indicator, style: str, lang: str) -> list[dict[str, str]]:
    """The source's words on an indicator that its table has no cell for, each with what it annotates:
    ``[{"what", "text"}]`` — the indicator's note, the baseline's note, each yearly target's, actual's and grade's
    note, a grade's reason and who gave it, in that order (fiscal years as the plan writes them)."""
    out: list[dict[str, str]] = []

    def add(what: str, text: str | None) -> None:
        if text and text.strip():
            out.append({"what": what, "text": text})

    def fy(year: int) -> str:
        return FiscalYearText(year, style)(lang)

    add(t(lang, "note"), ind.note)
    if ind.baseline is not None:
        add(t(lang, "baseline"), ind.baseline.note)
    for x in ind.targets:
        add(t(lang, "{fy} {what}", fy=fy(x.fiscal_year), what=t(lang, "target")), x.note)
    for a in ind.actuals:
        add(t(lang, "{fy} {what}", fy=fy(a.fiscal_year), what=t(lang, "actual")), a.note)
    for g in ind.grades:
        grade = t(lang, "{fy} {what}", fy=fy(g.fiscal_year), what=t(lang, "grade"))
        add(t(lang, "{what}: reason", what=grade), g.reason)
        add(t(lang, "{what}: graded by", what=grade), g.by)
        add(grade, g.note)
    return out


def _labels(lang: str) -> dict[str, str]:
    return {
        "yearly_targets": t(lang, "yearly targets"),
        "indicators": t(lang, "indicators"),
        "indicator": t(lang, "indicator"),
        "unit": t(lang, "unit"),
        "baseline": t(lang, "baseline"),
        "final": t(lang, "final target"),
        "target": t(lang, "target"),
        "actual": t(lang, "actual"),
        "rate": t(lang, "rate"),
        "grade": t(lang, "grade"),
        "overall": t(lang, "overall"),
        "effects": t(lang, "effect targets"),
        "meaning": t(lang, SIGN_MEANING_HEADING),
        "meaning_note": t(lang, SIGN_MEANING_NOTE),
        "effect_kind": t(lang, "kind of effect"),
        "fiscal_year": t(lang, "fiscal year"),
        "text_effects": t(lang, "cells without a number"),
        "plan_indicators": t(lang, "plan-level indicators"),
    }


def plan_indicators_view(plan: Plan, scores: list[IndicatorScore], lang: str = "ja") -> dict | None:
    """The plan-level indicators (飯塚市's 成果指標) for the report's summary: ``{"labels", "years", "indicators":
    [:func:`indicator_entry`]}``; None when the plan has none. ``scores``: :attr:`dxplan.report.figures.ReportFigures.plan_indicators`."""
    if not scores:
        return None
    return {
        "labels": _labels(lang),
        "years": [FiscalYearText(fy, plan.fiscal_year_style)(lang) for fy in plan.fiscal_years],
        "indicators": [indicator_entry(plan, s, lang) for s in scores],
    }


def indicator_summary(plan: Plan, ind: Indicator, lang: str = "ja") -> str:
    """An indicator in one line for a table cell: its id and name, then its final target (else its last yearly
    target) as written, with the year it is due: ``K1 オンラインで申請できる手続の数: 80手続（令和8年度）``."""
    unit = ind.unit or ""
    target = ind.target_text or (None if ind.target_value is None else f"{_num(ind.target_value)}{unit}")
    due = ind.deadline
    if target is None:
        written = [x for x in ind.targets if x.value is not None or x.text]
        if written:
            last = max(written, key=lambda x: x.fiscal_year)
            target, due = last.text or f"{_num(last.value)}{unit}", last.fiscal_year
    head = f"{ind.id} {ind.name}"
    if target is None:
        return head
    due_text = t(lang, " ({text})", text=FiscalYearText(due, plan.fiscal_year_style)(lang)) if due is not None else ""
    return f"{head}: {target}{due_text}"


def row_note(label: str, text: str, lang: str) -> str:
    """A 備考 the source writes beside one row, with the row it belongs to: ``業務量（時間）の備考: …``."""
    return t(lang, "remarks on {row}: {text}", row=label, text=text)


def sheet_indicators(plan: Plan, action: Action, score: ActionScore, lang: str = "ja") -> dict | None:
    """``{"labels", "years", "indicators", "target_notes", "effects", "text_effects", "effect_notes"}`` for one
    action sheet; None when the action has none of them (the block is then left out).

    ``effects``: one row per kind and sign meaning with a number, ``{"what", "meaning", "cells": [per fiscal year of
    the plan: the cells' ``raw`` text as written, "—" when none]}``; per-person figures are printed like any other
    cell (their text says 一人当たり) since nothing is summed here. ``text_effects``: the cells without a number.
    ``effect_notes``: the 備考 of the hours and money rows (``Action.row_notes``), each naming its row;
    ``target_notes``: the 備考 of the 各年度目標 row when the action has no ``yearly_targets`` (its yearly targets
    are the indicators' targets); otherwise it is printed with the yearly targets as written (年次目標) in the
    sheet's overview table (:func:`dxplan.report.pages.sheet_view`)."""
    years = plan.fiscal_years
    style = plan.fiscal_year_style

    def fy_text(fy: int) -> str:
        return FiscalYearText(fy, style)(lang)

    indicators = [indicator_entry(plan, x, lang) for x in score.indicators]
    written: dict[tuple[str, str], dict[int, list[str]]] = {}
    for e in action.effects:
        if e.value is not None:
            written.setdefault((e.kind, e.meaning or "unspecified"), {}).setdefault(e.fiscal_year, []).append(e.raw)

    own = {"hours": plan.labels.effect_hours, "money": plan.labels.effect_money}

    def what(kind: str) -> str:
        """The effect row's heading: the plan's own (業務量削減目標値（時間）) or the catalogue's word with its unit."""
        catalogue = t(lang, _KIND[kind]) + t(lang, " ({text})", text=effect_unit(kind, lang))
        word = own[kind]
        return catalogue if not word else word if lang != "en" else f"{catalogue} ({word})"

    effects = [
        {
            "what": what(k),
            "meaning": t(lang, _MEANING[m]),
            "cells": [w.sep(lang).join(written[(k, m)][fy]) if fy in written[(k, m)] else "—" for fy in years],
        }
        for k in KINDS for m in MEANINGS if (k, m) in written
    ]
    text_effects = [f"{fy_text(e.fiscal_year)} {own[e.kind] or t(lang, _KIND[e.kind])}: {e.raw}" for e in action.effects if e.value is None]
    rn = action.row_notes
    effect_notes = [row_note(what(k), text, lang) for k, text in (("hours", rn.hours if rn else None), ("money", rn.money if rn else None)) if text]
    yearly = plan_label(plan.labels.yearly_targets, "yearly targets", lang)
    target_notes = [row_note(yearly, rn.yearly_targets, lang)] if rn and rn.yearly_targets and not action.yearly_targets else []
    if not (indicators or effects or text_effects or effect_notes or target_notes):
        return None
    return {
        "labels": _labels(lang),
        "years": [fy_text(fy) for fy in years],
        "indicators": indicators,
        "target_notes": target_notes,
        "effects": effects,
        "text_effects": text_effects,
        "effect_notes": effect_notes,
    }
