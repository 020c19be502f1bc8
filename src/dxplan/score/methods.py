"""The ways to an action's rate (001, フローチャート): each method's name, its computation and its place in the
decision, registered in one table (:data:`METHOD_RULES`).

- **target** — ``(actual − baseline) / (target − baseline)`` from the target's numeric spec and its
  latest measurement (rule 1), else the action's indicators combined;
- **tasks** — method ①: per fiscal year the mean of the tasks' progress, then the mean of the yearly
  means (3カ年平均; rule 2);
- **summary** — method ②: the department's 総括評価 percent (rule 3).

A method is added here: its :class:`Method` value, its computation and its :class:`MethodRule` in
:data:`METHOD_RULES`; its words go in :data:`dxplan.output.wording.METHOD_WORDS` (and their Japanese in the
catalogue). :func:`dxplan.score.actions.score_action` computes every registered method and lets
:func:`deciding_order` pick the one that decides. Pure functions, no I/O; percents are 0–100, raw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from statistics import fmean

from dxplan.fiscal import FiscalYearText, fiscal_year_of
from dxplan.model.schema import Action, Measurement, Plan, TargetKind, TargetSpec, Task
from dxplan.model.index import PlanIndex
from dxplan.i18n import N_, Listed, Text
from .rates import INSUFFICIENT, MEASURE_WORDS, NOT_APPLICABLE, OK, Method, Rate, fmt_num as _fmt, formula_text, range_note, read_rate, round1


#: How a measurement was taken, as worded in explanations (Measurement.kind).
_MEASUREMENT_KIND = {"actual": N_("actual"), "forecast": N_("forecast"), "assumed": N_("assumed")}


# --------------------------------------------------------------------------- target


def _measurement_fy(m: Measurement) -> int | None:
    if m.fiscal_year is not None:
        return m.fiscal_year
    return fiscal_year_of(m.date) if m.date else None


def _default_baseline(spec: TargetSpec) -> float | None:
    if spec.baseline is not None:
        return spec.baseline
    if spec.kind is TargetKind.multiple:
        return 1.0
    if spec.kind is TargetKind.lower_is_better:
        return None
    return 0.0


def target_rate(action: Action, plan: Plan, indicator_rate: Rate | None = None) -> Rate:
    """Rule 1: the rate against a numeric target, from its latest measurement.

    The action's headline ``target`` with a numeric spec is scored as below (嘉麻市). Without
    one, ``indicator_rate`` is the rate: the action's indicators combined as the plan declares
    (:func:`dxplan.score.indicators.indicators_rate`), which :func:`dxplan.score.actions.score_action`
    passes for an action with indicators (None: the action has none).

    - count / level / increase: baseline 0 unless given → actual / target
      (001: 8 of 10 回 → 80 %; +25 % of +30 % → 83.3 %; 96 % of 80 % → 120 %).
    - multiple: baseline 1 → (1.8 − 1) / (2 − 1) = 80 %, not 90 % (001, 例①).
    - lower_is_better: (baseline − actual) / (baseline − target); needs a baseline.
    - per_year: a rate per fiscal year measured, then their mean.

    A plan that reads rates as ``ratio`` (``Plan.scoring.rate``) gets actual ÷ target instead
    (:func:`dxplan.score.rates.read_rate`).

    The raw rate may exceed 100 (001, 例②: 2.3倍 → 130 %); labels cap it.
    Status ``not_applicable`` for a text target, ``insufficient_data`` when a
    measurement or baseline is missing or target equals baseline.
    """
    t = action.target
    reading = plan.scoring.rate
    if (t is None or t.spec is None) and indicator_rate is not None:
        return indicator_rate
    if t is None or t.spec is None:
        return Rate(Method.target, NOT_APPLICABLE, reason=Text("no numeric target (text target)"))
    spec = t.spec
    baseline = _default_baseline(spec)
    lower = spec.kind is TargetKind.lower_is_better or spec.direction == "lower"
    unit = spec.unit or ""
    if not t.measurements:
        return Rate(Method.target, INSUFFICIENT, reason=Text("no measurement recorded"))
    if baseline is None and reading == "ratio":
        baseline = 0.0  # actual ÷ target does not use a baseline
    if baseline is None:
        return Rate(Method.target, INSUFFICIENT, reason=Text("no baseline (lower-is-better target)"))
    explain: list[Text | tuple[str, str]] = [
        Text("target: {text} ({kind}, target value {target_value}{unit}, baseline {baseline}{unit})", text=t.text, kind=Text(MEASURE_WORDS[spec.kind.value]), target_value=_fmt(spec.value), unit=unit, baseline=_fmt(baseline)),
    ]
    style = plan.fiscal_year_style
    if spec.kind is TargetKind.per_year:
        by_year: dict[int, Measurement] = {}
        for m in t.measurements:
            fy = _measurement_fy(m)
            if fy is None:
                return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text("a measurement has no fiscal year"))
            prev = by_year.get(fy)
            if prev is None or (m.date or dt.date.min) >= (prev.date or dt.date.min):
                by_year[fy] = m
        rates = []
        for fy in sorted(by_year):
            r = read_rate(by_year[fy].value, baseline, spec.value, lower, reading)
            if r is None:
                return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text("target equals baseline"))
            rates.append(r)
            if reading == "ratio":
                explain.append(Text("{year}: {formula} = {rate}%", year=FiscalYearText(fy, style),
                                    formula=formula_text(by_year[fy].value, baseline, spec.value, lower, reading), rate=round1(r)))
                continue
            explain.append(Text(
                "{year}: ({actual} − {baseline}) / ({target} − {baseline}) = {rate}%",
                year=FiscalYearText(fy, style), actual=_fmt(by_year[fy].value), baseline=_fmt(baseline), target=_fmt(spec.value), rate=round1(r),
            ))
        value = fmean(rates)
        shown = " + ".join(f"{round1(r)}" for r in rates)
        explain.append(Text("mean over years: ({shown}) / {n} = {rate}%", shown=shown, n=len(rates), rate=round1(value)))
        return Rate(Method.target, OK, value, explain, range_note=range_note(value, lower, reading))
    latest = max(t.measurements, key=lambda m: (m.date or dt.date.min, _measurement_fy(m) or 0))
    r = read_rate(latest.value, baseline, spec.value, lower, reading)
    if r is None:
        return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text("target equals baseline"))
    latest_fy = _measurement_fy(latest)
    when = latest.date.isoformat() if latest.date else (FiscalYearText(latest_fy, style) if latest_fy else "")
    explain.append(Text("measured: {actual}{unit} ({when} {kind})", actual=_fmt(latest.value), unit=unit, when=when, kind=Text(_MEASUREMENT_KIND[latest.kind])))
    figures = {"actual": _fmt(latest.value), "baseline": _fmt(baseline), "target": _fmt(spec.value), "rate": round1(r)}
    if reading == "ratio":
        explain.append(Text("rate = {formula} × 100 = {rate}%", formula=formula_text(latest.value, baseline, spec.value, lower, reading), rate=round1(r)))
    elif lower:
        explain.append(Text("rate = ({baseline} − {actual}) / ({baseline} − {target}) × 100 = {rate}%", **figures))
    else:
        explain.append(Text("rate = ({actual} − {baseline}) / ({target} − {baseline}) × 100 = {rate}%", **figures))
    return Rate(Method.target, OK, r, explain, range_note=range_note(r, lower, reading))


# --------------------------------------------------------------------------- tasks


def scored_years(plan: Plan) -> list[int]:
    """The fiscal years the task rate averages over: the plan's years up to the evaluation date's year.

    With no evaluation date, or one after the period, all the plan's years.
    (Decision where 001 is silent: a year not yet reached has no results to average.)
    """
    years = plan.fiscal_years
    if plan.evaluation_date is None:
        return years
    upto = fiscal_year_of(plan.evaluation_date)
    return [y for y in years if y <= upto] or years


def _task_progress(task: Task, index: PlanIndex) -> float | None:
    """A task row's percent: its ``progress``, else its status word's declared percent, else None."""
    if task.progress is not None:
        return task.progress
    sw = index.status(task.status) if task.status else None
    return sw.progress if sw is not None else None


def task_rate(action: Action, plan: Plan, index: PlanIndex | None = None) -> Rate:
    """Rule 2 (method ①, 各年度タスクの3カ年平均進捗率): mean of yearly means.

    A task's progress is its explicit ``progress``; else the percent the plan
    declares for its status word (Kama: 完了 = 100, 未着手 = 0); else unknown, and
    the rate is ``insufficient_data`` — never a guess. When no task of those
    years carries a status or percent at all (a draft plan), the rate is
    ``not_applicable``: nothing has been reported yet (未評価); so is a plan without an evaluation
    date whose rows all say not started (0 %): no date to be behind at. Years in
    :func:`scored_years` that have task rows are averaged; the mean is not pooled
    (001, action 13: 42.5, 50.0, 70.0 → 54.2 %, where 001 prints 56.5 %).
    """
    index = index or PlanIndex(plan)
    style = plan.fiscal_year_style
    years = scored_years(plan)
    if not action.tasks:
        return Rate(Method.tasks, NOT_APPLICABLE, reason=Text("no tasks"))
    in_scope = [t for t in action.tasks if t.fiscal_year in years]
    if in_scope and all(t.status is None and t.progress is None for t in in_scope):
        return Rate(Method.tasks, NOT_APPLICABLE, reason=Text("no results recorded yet (not evaluated)"))
    if plan.evaluation_date is None and in_scope and all(_task_progress(t, index) == 0 for t in in_scope):
        # no date to be behind at: rows that only say "not started" are a plan not yet under way, not 0 %
        return Rate(Method.tasks, NOT_APPLICABLE, reason=Text("nothing started and the plan has no evaluation date (not evaluated)"))
    means: list[tuple[int, float]] = []
    explain: list[Text | tuple[str, str]] = []
    if len(years) < len(plan.fiscal_years):
        assert plan.evaluation_date is not None, "scored_years leaves years out only before an evaluation date"
        explain.append(Text("years evaluated: up to {last_year} (evaluation date {evaluation_date})", last_year=FiscalYearText(years[-1], style), evaluation_date=plan.evaluation_date.isoformat()))
    missing: list[Text] = []
    for fy in years:
        rows = [t for t in action.tasks if t.fiscal_year == fy]
        if not rows:
            continue
        values = []
        for n, task in enumerate(rows, 1):
            if task.progress is not None:
                values.append(task.progress)
            elif task.status and (sw := index.status(task.status)) is not None and sw.progress is not None:
                values.append(sw.progress)
            else:
                what = task.status or Text("no status")
                if task.plan:
                    missing.append(Text("{year} #{n} {task} ({status})", year=FiscalYearText(fy, style), n=n, task=task.plan, status=what))
                else:
                    missing.append(Text("{year} #{n} ({status})", year=FiscalYearText(fy, style), n=n, status=what))
        if len(values) == len(rows):
            mean = fmean(values)
            means.append((fy, mean))
            explain.append(Text(
                "{year}: ({values}) / {n} = {rate}%",
                year=FiscalYearText(fy, style), values=" + ".join(_fmt(v) for v in values), n=len(values), rate=round1(mean),
            ))
    if missing:
        first = missing[:5]
        more = " …" if len(missing) > 5 else ""
        shown = Listed(tuple(first), "; ", more)  # worded with the message
        return Rate(
            Method.tasks,
            INSUFFICIENT,
            explain=explain,
            reason=Text("{n} task(s) without a progress percent: {shown}", n=len(missing), shown=shown),
        )
    if not means:
        return Rate(Method.tasks, NOT_APPLICABLE, reason=Text("no tasks in the years evaluated"))
    value = fmean(m for _, m in means)
    parts = " + ".join(f"{round1(m)}" for _, m in means)
    explain.append(Text("mean of yearly means: ({parts}) / {n} = {rate}%", parts=parts, n=len(means), rate=round1(value)))
    return Rate(Method.tasks, OK, value, explain)


def summary_rate(action: Action) -> Rate:
    """Rule 3 (method ②, 総括評価): the department's percent, with its reason."""
    s = action.summary_evaluation
    if s is None:
        return Rate(Method.summary, NOT_APPLICABLE, reason=Text("no summary evaluation"))
    return Rate(
        Method.summary,
        OK,
        s.percent,
        [Text("summary evaluation: {percent}% (reason: {reason})", percent=_fmt(s.percent), reason=s.reason)],
    )


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class RateInputs:
    """What a method computes an action's rate from: the action, its plan, the plan's look-ups and
    ``indicator_rate``, the action's indicators combined (:func:`dxplan.score.indicators.indicators_rate`;
    None when the action has no indicators)."""

    action: Action
    plan: Plan
    index: PlanIndex
    indicator_rate: Rate | None = None


@dataclass(frozen=True)
class MethodRule:
    """How one method works: ``rate`` computes it (never raises for missing inputs: the :class:`Rate` says
    ``insufficient_data`` or ``not_applicable``); ``rank`` is its place in 001's flowchart (the first method,
    lowest rank, with an ``ok`` rate decides); ``decides_in`` lists the plan's scoring methods
    (``ScoringConfig.method``: ``flowchart``, ``indicators``) under which it may decide — under the others it
    is a reference rate only."""

    rate: Callable[[RateInputs], Rate]
    rank: int
    decides_in: tuple[str, ...] = ("flowchart",)


METHOD_RULES: dict[Method, MethodRule] = {
    Method.target: MethodRule(lambda i: target_rate(i.action, i.plan, i.indicator_rate), rank=1, decides_in=("flowchart", "indicators")),
    Method.tasks: MethodRule(lambda i: task_rate(i.action, i.plan, i.index), rank=3),
    Method.summary: MethodRule(lambda i: summary_rate(i.action), rank=2),
}
"""Every :class:`Method` and its rule (rule 4: a numeric target or indicators with a measurement decide, else
the summary evaluation, else the task rate; a plan scoring by ``indicators`` lets the target method alone decide)."""


def method_rates(inputs: RateInputs) -> dict[Method, Rate]:
    """Every method's rate for one action, in :class:`Method` order."""
    return {m: METHOD_RULES[m].rate(inputs) for m in Method}


def deciding_order(plan: Plan) -> list[Method]:
    """The methods that may decide an action's rate under ``plan.scoring.method``, first to last:
    target, summary, tasks for ``flowchart`` (001); target alone for ``indicators``."""
    return sorted((m for m in Method if plan.scoring.method in METHOD_RULES[m].decides_in), key=lambda m: METHOD_RULES[m].rank)
