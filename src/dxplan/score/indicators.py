"""Scoring indicators: a rate per fiscal year and overall, and the action's rate formed from several.

Pure functions, no I/O. Rates are percents (100.0 = target reached), raw and uncapped, read as the
plan declares (``Plan.scoring.rate``): ``ratio`` reads ``actual ÷ target``; ``progress`` (the default)
follows docs/domain.md's rule 1. A rate outside 0–100 % carries a short reason (``range_note``):

- ``(actual − baseline) / (target − baseline)``; the baseline is the indicator's ``baseline``
  when given, else 0 (``count``/``level``/``increase``) or 1 (``multiple``). ``direction: lower``
  scores ``(baseline − actual) / (baseline − target)`` and needs a baseline.
- **Text actuals** (「完了」, 「－」 without a number) are shown as written and not measurable: their
  year has no rate (not applicable) and the overall rate uses the actuals with a number.
- **Per year**: each fiscal year with a target value (``targets``; for ``per_year`` indicators
  else the final ``target_value``; for the ``deadline`` year of a final ``target_value``, that
  target) and an actual is rated; a year with a target and no actual is
  "no actual yet" — apart from 0 %, never counted as 0.
- **Overall**: ``per_year`` indicators take the mean of their yearly rates (rule 1, 30件/年);
  ``cumulative`` ones compare the latest actual with the final target (``target_value``, else the
  target of the last year with one). A rate measured in a fiscal year before the target's
  deadline is **interim** (途中経過). An indicator without any actual has no overall rate
  (not applicable: nothing measured yet, as a draft plan), never 0 %.

An action's indicator rate (:func:`indicators_rate`) combines the rated indicators as the plan
declares (``Plan.scoring.combine``): the ``deciding`` indicator, the ``mean`` or the ``weakest``.
With several rated indicators and nothing declared there is no combined rate (never a guess).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

from dxplan.fiscal import FiscalYearText
from dxplan.i18n import N_, Text
from dxplan.model.schema import Action, Indicator, IndicatorActual, Plan
from .methods import Method
from .rates import (
    ACCUMULATION_WORDS, DIRECTION_WORDS, INSUFFICIENT, MEASURE_WORDS, NOT_APPLICABLE, OK, Rate, RateStatus, fmt_num, formula_text,
    range_note, read_rate, round1,
)


@dataclass
class YearRate:
    """One fiscal year of an indicator: its target value, actual and rate (raw percent).

    ``status``: ``ok`` (rated), ``insufficient_data`` (a target but no actual yet) or
    ``not_applicable`` (no target value that year). ``interim``: before the deadline.
    ``range_note``: why the rate lies outside 0–100 % (:func:`dxplan.score.rates.range_note`), else None.
    """

    fiscal_year: int
    target: float | None
    target_text: str | None
    actual: IndicatorActual | None
    rate: float | None
    status: RateStatus
    interim: bool = False
    range_note: Text | None = None

    @property
    def shown(self) -> str | None:
        """The rate as shown, one decimal (``"80.0"``), or None."""
        return None if self.rate is None else f"{round1(self.rate)}"


@dataclass
class IndicatorScore:
    """An indicator's yearly rates and its overall rate (``overall``, method ``target``)."""

    indicator: Indicator
    years: list[YearRate]
    overall: Rate
    grades: dict[int, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The indicator's id."""
        return self.indicator.id


def baseline_of(ind: Indicator) -> float | None:
    """The baseline the rate starts from: the given one, else 0 (1 for ``multiple``); None for lower-is-better without one."""
    if ind.baseline is not None:
        return ind.baseline.value
    if ind.direction == "lower":
        return None
    return 1.0 if ind.measure == "multiple" else 0.0


def _year_target(ind: Indicator, fy: int) -> tuple[float | None, str | None]:
    t = ind.target_for(fy)
    if t is not None:
        return t.value, t.text
    if ind.accumulation == "per_year" and ind.target_value is not None:
        return ind.target_value, ind.target_text
    if ind.target_value is not None and ind.deadline == fy:  # the final target is that year's target
        return ind.target_value, ind.target_text
    texts = [x.text for x in ind.targets if x.fiscal_year == fy and x.text]
    return None, texts[0] if texts else None


def _years(ind: Indicator, plan: Plan) -> list[int]:
    years = set(plan.fiscal_years)
    years.update(t.fiscal_year for t in ind.targets)
    years.update(a.fiscal_year for a in ind.actuals)
    if ind.target_value is not None and ind.deadline is not None:
        years.add(ind.deadline)
    return sorted(years)


def score_indicator(ind: Indicator, plan: Plan) -> IndicatorScore:
    """Rates of one indicator per fiscal year and overall (see the module docstring for the rules)."""
    style = plan.fiscal_year_style
    reading = plan.scoring.rate
    base = baseline_of(ind)
    if base is None and reading == "ratio":
        base = 0.0  # actual ÷ target does not use a baseline
    lower = ind.direction == "lower"
    unit = ind.unit or ""
    deadline = ind.final_deadline
    years: list[YearRate] = []
    explain: list[Text] = [Text(
        N_("indicator {id} {name}: {measure}, {accumulation}, {direction}, baseline {baseline}"),
        id=ind.id, name=ind.name, measure=Text(MEASURE_WORDS[ind.measure]), accumulation=Text(ACCUMULATION_WORDS[ind.accumulation]),
        direction=Text(DIRECTION_WORDS[ind.direction]),
        baseline="—" if base is None else f"{fmt_num(base)}{unit}",
    )]
    for fy in _years(ind, plan):
        target, text = _year_target(ind, fy)
        actual = ind.actual_for(fy)
        interim = deadline is not None and fy < deadline
        if target is None:
            years.append(YearRate(fy, None, text, actual, None, NOT_APPLICABLE))
            continue
        if actual is None or base is None:
            years.append(YearRate(fy, target, text, actual, None, INSUFFICIENT, interim))
            continue
        if actual.value is None:  # text only (完了, －): shown as written, not measurable
            years.append(YearRate(fy, target, text, actual, None, NOT_APPLICABLE, interim))
            continue
        r = read_rate(actual.value, base, target, lower, reading)
        years.append(YearRate(fy, target, text, actual, r, OK if r is not None else INSUFFICIENT, interim, range_note(r, lower, reading)))
        if r is not None:
            msg = (N_("{fy}: {formula} × 100 = {rate}% (actual {actual}{unit}, target {target}{unit})") if actual.kind == "actual"
                   else N_("{fy}: {formula} × 100 = {rate}% (forecast {actual}{unit}, target {target}{unit})"))
            explain.append(Text(
                msg, fy=FiscalYearText(fy, style), formula=formula_text(actual.value, base, target, lower, reading, ind.decimals), rate=round1(r),
                actual=fmt_num(actual.value, ind.decimals), unit=unit, target=fmt_num(target),
            ))
    return IndicatorScore(ind, years, _overall(ind, plan, years, base, lower, explain), {g.fiscal_year: g.grade for g in ind.grades})


def _ok_value(rate: float | None) -> float:
    """The rate of a year or an indicator whose status is ok, which always has one."""
    assert rate is not None, "a rate with status ok has a value"
    return rate


def _overall(ind: Indicator, plan: Plan, years: list[YearRate], base: float | None, lower: bool, explain: list) -> Rate:
    style = plan.fiscal_year_style
    reading = plan.scoring.rate
    unit = ind.unit or ""
    if base is None:
        return Rate(Method.target, INSUFFICIENT if ind.actuals else NOT_APPLICABLE, explain=explain,
                    reason=Text(N_("no baseline (lower-is-better indicator)")))
    if ind.series:
        return Rate(Method.target, NOT_APPLICABLE, explain=explain, reason=Text(N_("rated per series")))
    measured = [a for a in ind.actuals if a.value is not None]
    if ind.actuals and not measured:
        return Rate(Method.target, NOT_APPLICABLE, explain=explain, reason=Text(N_("the actuals are text only (not measurable)")))
    if not ind.actuals:
        has_target = ind.target_value is not None or any(t.value is not None for t in ind.targets)
        if not has_target:
            return Rate(Method.target, NOT_APPLICABLE, explain=explain, reason=Text(N_("no numeric target")))
        return Rate(Method.target, NOT_APPLICABLE, explain=explain, reason=Text(N_("no actual yet")))
    deadline = ind.final_deadline
    value: float | None  # None only when the target equals the baseline, which returns early
    if ind.accumulation == "per_year":
        rated = [y for y in years if y.status is OK]
        if not rated:
            return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text(N_("no year has both a target and an actual")))
        value = fmean(_ok_value(y.rate) for y in rated)
        last = rated[-1].fiscal_year
        due = deadline
        interim = due is not None and last < due
        parts = " + ".join(f"{round1(_ok_value(y.rate))}" for y in rated)
        explain.append(Text(N_("mean over years: ({parts}) / {n} = {rate}%"), parts=parts, n=len(rated), rate=round1(value)))
    else:
        latest = max(measured, key=lambda a: (a.fiscal_year, a.kind == "actual"))
        assert latest.value is not None, "measured holds actuals with a value only"
        if ind.target_value is not None:
            target, due = ind.target_value, deadline
        else:
            valued = [t for t in ind.targets if t.value is not None]
            if not valued:
                return Rate(Method.target, NOT_APPLICABLE, explain=explain, reason=Text(N_("no numeric target")))
            final = max(valued, key=lambda t: t.fiscal_year)
            assert final.value is not None, "valued holds targets with a value only"
            target, due = final.value, final.fiscal_year
        value = read_rate(latest.value, base, target, lower, reading)
        if value is None:
            reason = N_("target equals baseline") if reading == "progress" else N_("the divisor is 0")
            return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text(reason))
        interim = due is not None and latest.fiscal_year < due
        explain.append(Text(
            N_("overall: latest actual {actual}{unit} ({fy}) against the final target {target}{unit}{due}: {formula} × 100 = {rate}%"),
            actual=fmt_num(latest.value, ind.decimals), unit=unit, fy=FiscalYearText(latest.fiscal_year, style),
            target=fmt_num(target),
            due="" if due is None else Text(N_(" ({due})"), due=FiscalYearText(due, style)),
            formula=formula_text(latest.value, base, target, lower, reading, ind.decimals), rate=round1(value),
        ))
    if interim:
        assert due is not None, "interim means measured before a due year"
        explain.append(Text(N_("interim: the target is due in {due}"), due=FiscalYearText(due, style)))
    return Rate(Method.target, OK, value, explain, interim=interim, range_note=range_note(value, lower, reading))


def score_indicators(action: Action, plan: Plan) -> list[IndicatorScore]:
    """Every indicator of the action (:attr:`~dxplan.model.schema.Action.all_indicators`), scored; an indicator
    with ``series`` is followed by each series scored on its own (:meth:`~dxplan.model.schema.Indicator.series_indicators`)."""
    out = []
    for ind in action.all_indicators:
        out.append(score_indicator(ind, plan))
        out += [score_indicator(x, plan) for x in ind.series_indicators()]
    return out


def indicators_rate(scores: list[IndicatorScore], plan: Plan) -> Rate:
    """The action's rate from its indicators, combined as ``plan.scoring.combine`` declares (method ``target``).

    One rated indicator gives its rate whatever is declared. ``deciding``: the indicator marked
    ``deciding: true``; ``mean``: the mean of the rated indicators; ``weakest``: the lowest.
    Not applicable without indicators; insufficient data when none is rated, when several are and
    the plan declares no way to combine them, or when the deciding indicator is not rated.
    """
    if not scores:
        return Rate(Method.target, NOT_APPLICABLE, reason=Text(N_("no indicators")))
    rated = [s for s in scores if s.overall.status is OK]
    explain = [line for s in scores for line in s.overall.explain]
    combine = plan.scoring.combine
    if combine == "deciding":
        chosen = [s for s in scores if s.indicator.deciding]
        if not chosen:
            return Rate(Method.target, INSUFFICIENT, explain=explain, reason=Text(N_("no indicator is marked deciding")))
        s = chosen[0]
        if s.overall.status is not OK:
            return Rate(Method.target, INSUFFICIENT if s.overall.status is INSUFFICIENT else NOT_APPLICABLE, explain=explain,
                        reason=Text(N_("the deciding indicator {id} has no rate"), id=s.id))
        explain.append(Text(N_("deciding indicator {id}: {rate}%"), id=s.id, rate=s.overall.shown))
        return Rate(Method.target, OK, s.overall.value, explain, interim=s.overall.interim, range_note=s.overall.range_note)
    if not rated:
        status = INSUFFICIENT if any(s.overall.status is INSUFFICIENT for s in scores) else NOT_APPLICABLE
        return Rate(Method.target, status, explain=explain, reason=Text(N_("no indicator has a rate yet")))
    interim = any(s.overall.interim for s in rated)
    unrated = [s.id for s in scores if s.overall.status is not OK]
    if unrated:
        explain.append(Text(N_("left out, no rate: {ids}"), ids=", ".join(unrated)))
    if len(rated) == 1:
        return Rate(Method.target, OK, rated[0].overall.value, explain, interim=interim, range_note=rated[0].overall.range_note)
    if combine is None:
        return Rate(Method.target, INSUFFICIENT, explain=explain,
                    reason=Text(N_("{n} indicators have a rate and the plan declares no way to combine them (scoring.combine)"), n=len(rated)))
    values = [_ok_value(s.overall.value) for s in rated]
    if combine == "mean":
        value = fmean(values)
        parts = " + ".join(f"{s.overall.shown}" for s in rated)
        explain.append(Text(N_("mean of indicators: ({parts}) / {n} = {rate}%"), parts=parts, n=len(rated), rate=round1(value)))
        note = range_note(value, all(s.indicator.direction == "lower" for s in rated), plan.scoring.rate)
    else:
        weakest = min(rated, key=lambda s: _ok_value(s.overall.value))
        value = _ok_value(weakest.overall.value)
        explain.append(Text(N_("weakest indicator {id}: {rate}%"), id=weakest.id, rate=weakest.overall.shown))
        note = weakest.overall.range_note
    return Rate(Method.target, OK, value, explain, interim=interim, range_note=note)


@dataclass
class IndicatorRow:
    """One line of ``status --by indicator``: an indicator of an action (``action_id``; None for a
    plan-level indicator) in one fiscal year, its year's rate and its overall rate."""

    action_id: str | None
    score: IndicatorScore
    year: YearRate | None
    grade: str | None


def indicator_progress(plan: Plan, actions: list[Action], fiscal_year: int) -> list[IndicatorRow]:
    """Every indicator's progress in ``fiscal_year``: plan-level indicators first, then each action's, in order
    (an indicator with ``series`` followed by each series)."""
    rows: list[IndicatorRow] = []
    owners: list[tuple[str | None, list[Indicator]]] = [(None, plan.indicators)]
    owners += [(a.id, a.all_indicators) for a in actions]
    for aid, indicators in owners:
        for ind in (x for i in indicators for x in (i, *i.series_indicators())):
            s = score_indicator(ind, plan)
            year = next((y for y in s.years if y.fiscal_year == fiscal_year), None)
            rows.append(IndicatorRow(aid, s, year, s.grades.get(fiscal_year)))
    return rows
