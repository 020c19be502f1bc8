"""Scoring: achievement rates and labels by the plan's evaluation rules (001, made exact in DOMAIN.md).

Pure functions, no I/O. All rates are percents (100.0 = target reached), kept
raw (uncapped, unrounded) in :attr:`Rate.value`; display and labels use the
value rounded half-up to one decimal (``shown``), capped at 100 for the label.

Three rates per action (001, フローチャート):

- **target** — ``(actual − baseline) / (target − baseline)`` from the target's
  numeric spec and its latest measurement (rule 1);
- **tasks** — method ①: per fiscal year the mean of the tasks' progress, then the
  mean of the yearly means (3カ年平均; rule 2);
- **summary** — method ②: the department's 総括評価 percent (rule 3).

Which decides (rule 4): a numeric target with a measurement; else the summary
evaluation; else the task rate. The others are reference rates. An action with
none is 未評価 (``not_evaluated``); one whose inputs exist but are incomplete is
``insufficient_data`` — never 0 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import fmean

from dxplan.fiscal import FiscalYearText, fiscal_year_of
from dxplan.model.schema import Action, Measurement, Plan, RatingBand, TargetKind, TargetSpec
from dxplan.model.index import PlanIndex
from dxplan.i18n import N_, Listed, Text
from .rates import (  # noqa: F401 - re-exported
    INSUFFICIENT,
    MEASURE_WORDS,
    NO_SCALE_LABEL,
    NOT_APPLICABLE,
    NOT_EVALUATED_LABEL,
    OK,
    Method,
    Rate,
    RateStatus,
    ScoreState,
    fmt_num as _fmt,
    ratio as _ratio,
    round1,
)
from .indicators import IndicatorScore, indicators_rate, score_indicators



#: How a measurement was taken, as worded in explanations (Measurement.kind).
_MEASUREMENT_KIND = {"actual": N_("actual"), "forecast": N_("forecast"), "assumed": N_("assumed")}


def label_for(value: float, scale: list[RatingBand]) -> str:
    """The label of the band holding ``value`` (a percent) *as shown*: rounded to one decimal, capped at 100.

    Bands are inclusive lower bounds (001, 表記方法): 90.0 → ほぼ達成; 89.96 shows
    as 90.0 and so is ほぼ達成, never 概ね達成. Raises ValueError for an empty scale.
    """
    if not scale:
        raise ValueError("the rating scale is empty")
    shown = min(round1(value), Decimal(100))
    bands = sorted(scale, key=lambda b: float("-inf") if b.min is None else b.min, reverse=True)
    for band in bands:
        if band.min is None or shown >= Decimal(repr(band.min)):
            return band.label
    return bands[-1].label


def plan_label(value: float, plan: Plan) -> str:
    """The label of a rate on the plan's own percent scale; :data:`NO_SCALE_LABEL` when it declares none."""
    return label_for(value, plan.rating_scale) if plan.rating_scale else NO_SCALE_LABEL


def band_order(scale: list[RatingBand]) -> list[str]:
    """The scale's labels from the highest band to the lowest."""
    bands = sorted(scale, key=lambda b: float("-inf") if b.min is None else b.min, reverse=True)
    return [b.label for b in bands]


def attention_labels(scale: list[RatingBand]) -> list[str]:
    """Labels that put an action on the report's attention index: the two lowest bands of the scale.

    With Kama's default scale these are やや未達 (≥ 60 %) and 課題あり (< 60 %).
    A scale of one or two bands contributes only its lowest band.
    """
    order = band_order(scale)
    return order[-2:] if len(order) > 2 else order[-1:]


@dataclass
class ActionScore:
    """The evaluation of one action: deciding method and its rate (None when none decides), the label from
    the plan's scale (:data:`NOT_EVALUATED_LABEL` without a rate, :data:`NO_SCALE_LABEL` when the plan
    declares no percent scale) and all three rates by method, in :class:`Method` order; ``indicators``
    holds each indicator's yearly and overall rates."""

    action_id: str
    title: str
    deciding: Method | None
    rate: Rate | None
    label: str
    references: dict[Method, Rate]
    indicators: list[IndicatorScore] = field(default_factory=list)

    @property
    def state(self) -> ScoreState:
        """Evaluated (a deciding rate), insufficient data (some rate has incomplete inputs) or not evaluated."""
        if self.rate is not None:
            return ScoreState.evaluated
        if any(r.status is INSUFFICIENT for r in self.references.values()):
            return ScoreState.insufficient_data
        return ScoreState.not_evaluated


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


def target_rate(action: Action, plan: Plan, indicators: list[IndicatorScore] | None = None) -> Rate:
    """Rule 1: the rate against a numeric target, from its latest measurement.

    The action's headline ``target`` with a numeric spec is scored as below (嘉麻市). Without
    one, the action's indicators give the rate, combined as the plan declares
    (:func:`dxplan.score.indicators.indicators_rate`; ``indicators``: their scores, if at hand).

    - count / level / increase: baseline 0 unless given → actual / target
      (001: 8 of 10 回 → 80 %; +25 % of +30 % → 83.3 %; 96 % of 80 % → 120 %).
    - multiple: baseline 1 → (1.8 − 1) / (2 − 1) = 80 %, not 90 % (001, 例①).
    - lower_is_better: (baseline − actual) / (baseline − target); needs a baseline.
    - per_year: a rate per fiscal year measured, then their mean.

    The raw rate may exceed 100 (001, 例②: 2.3倍 → 130 %); labels cap it.
    Status ``not_applicable`` for a text target, ``insufficient_data`` when a
    measurement or baseline is missing or target equals baseline.
    """
    t = action.target
    if (t is None or t.spec is None) and action.all_indicators:
        return indicators_rate(indicators if indicators is not None else score_indicators(action, plan), plan)
    if t is None or t.spec is None:
        return Rate(Method.target, NOT_APPLICABLE, reason=Text("no numeric target (text target)"))
    spec = t.spec
    baseline = _default_baseline(spec)
    lower = spec.kind is TargetKind.lower_is_better or spec.direction == "lower"
    unit = spec.unit or ""
    if not t.measurements:
        return Rate(Method.target, INSUFFICIENT, reason=Text("no measurement recorded"))
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
            r = _ratio(by_year[fy].value, baseline, spec.value, lower)
            if r is None:
                return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text("target equals baseline"))
            rates.append(r)
            explain.append(Text(
                "{year}: ({actual} − {baseline}) / ({target} − {baseline}) = {rate}%",
                year=FiscalYearText(fy, style), actual=_fmt(by_year[fy].value), baseline=_fmt(baseline), target=_fmt(spec.value), rate=round1(r),
            ))
        value = fmean(rates)
        shown = " + ".join(f"{round1(r)}" for r in rates)
        explain.append(Text("mean over years: ({shown}) / {n} = {rate}%", shown=shown, n=len(rates), rate=round1(value)))
        return Rate(Method.target, OK, value, explain)
    latest = max(t.measurements, key=lambda m: (m.date or dt.date.min, _measurement_fy(m) or 0))
    r = _ratio(latest.value, baseline, spec.value, lower)
    if r is None:
        return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text("target equals baseline"))
    latest_fy = _measurement_fy(latest)
    when = latest.date.isoformat() if latest.date else (FiscalYearText(latest_fy, style) if latest_fy else "")
    explain.append(Text("measured: {actual}{unit} ({when} {kind})", actual=_fmt(latest.value), unit=unit, when=when, kind=Text(_MEASUREMENT_KIND[latest.kind])))
    figures = {"actual": _fmt(latest.value), "baseline": _fmt(baseline), "target": _fmt(spec.value), "rate": round1(r)}
    if lower:
        explain.append(Text("rate = ({baseline} − {actual}) / ({baseline} − {target}) × 100 = {rate}%", **figures))
    else:
        explain.append(Text("rate = ({actual} − {baseline}) / ({target} − {baseline}) × 100 = {rate}%", **figures))
    return Rate(Method.target, OK, r, explain)


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


def task_rate(action: Action, plan: Plan, index: PlanIndex | None = None) -> Rate:
    """Rule 2 (method ①, 各年度タスクの3カ年平均進捗率): mean of yearly means.

    A task's progress is its explicit ``progress``; else the percent the plan
    declares for its status word (Kama: 完了 = 100, 未着手 = 0); else unknown, and
    the rate is ``insufficient_data`` — never a guess. When no task of those
    years carries a status or percent at all (a draft plan), the rate is
    ``not_applicable``: nothing has been reported yet (未評価). Years in
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


# --------------------------------------------------------------------------- action


def score_action(action: Action, plan: Plan, index: PlanIndex | None = None) -> ActionScore:
    """Rule 4 (001, フローチャート): which rate decides, its label, and the reference rates.

    The plan declares the method (``plan.scoring.method``): ``flowchart`` (001: a numeric
    target or indicators with a measurement decide, else the summary evaluation, else the task
    rate) or ``indicators`` (only the indicators' combined rate decides; the others stay
    reference rates). The label comes from the plan's own percent scale, else :data:`NO_SCALE_LABEL`.

    ``index``: the plan's look-ups (``LoadedPlan.index``); built when not given.
    """
    index = index or PlanIndex(plan)
    inds = score_indicators(action, plan)
    refs = {Method.target: target_rate(action, plan, inds), Method.tasks: task_rate(action, plan, index), Method.summary: summary_rate(action)}
    if plan.scoring.method == "indicators":
        order = [Method.target]
    else:
        order = [Method.target] if refs[Method.target].status is OK else [Method.summary, Method.tasks]
    for method in order:
        if refs[method].status is OK:
            rate = refs[method]
            assert rate.value is not None, "a rate with status ok has a value"
            return ActionScore(action.id, action.title, method, rate, plan_label(rate.value, plan), refs, inds)
    return ActionScore(action.id, action.title, None, None, NOT_EVALUATED_LABEL, refs, inds)


def score_plan(plan: Plan, actions: list[Action], index: PlanIndex | None = None) -> list[ActionScore]:
    """Scores of every action, in the order given. ``index``: the plan's look-ups (``LoadedPlan.index``), if at hand."""
    index = index or PlanIndex(plan)
    return [score_action(a, plan, index) for a in actions]


def tally_labels(scores: list[ActionScore]) -> dict[str | ScoreState, int]:
    """How many actions carry each outcome, in order of first appearance.

    Evaluated actions count under their label (``"達成"``); the others under their
    :class:`ScoreState` (``insufficient_data`` or ``not_evaluated``; ``no_scale`` for rates the
    plan has no scale to label), so that writers can word them.
    """
    out: dict[str | ScoreState, int] = {}
    for s in scores:
        key: str | ScoreState = s.label if s.state is ScoreState.evaluated else s.state
        if key == NO_SCALE_LABEL:
            key = ScoreState.no_scale
        out[key] = out.get(key, 0) + 1
    return out
