"""Scoring: achievement rates and labels by the plan's evaluation rules (001, made exact in docs/domain.md).

Pure functions, no I/O. All rates are percents (100.0 = target reached), kept
raw (uncapped, unrounded) in :attr:`Rate.value`; display and labels use the
value rounded half-up to one decimal (``shown``), capped at 100 for the label.

One rate per method of :mod:`dxplan.score.methods` (001, フローチャート: the target, the
mean of the yearly task progress, the summary evaluation), computed through its table
:data:`~dxplan.score.methods.METHOD_RULES`. Which decides (rule 4): a numeric target with a
measurement; else the summary evaluation; else the task rate
(:func:`~dxplan.score.methods.deciding_order`). The others are reference rates. An action
with none is 未評価 (``not_evaluated``); one whose inputs exist but are incomplete is
``insufficient_data`` — never 0 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from dxplan.model.schema import Action, Plan, RatingBand
from dxplan.model.index import PlanIndex
from .rates import (
    INSUFFICIENT,
    NO_SCALE_LABEL,
    NOT_EVALUATED_LABEL,
    OK,
    Rate,
    ScoreState,
    round1,
)
from .methods import (
    Method,
    RateInputs,
    deciding_order,
    method_rates,
    scored_years,
)
from .indicators import IndicatorScore, indicators_rate, score_indicators


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
    grade: str | None = None
    """The action's own grade for the year evaluated (:func:`action_grade`), where the plan grades actions."""
    grade_year: int | None = None

    @property
    def state(self) -> ScoreState:
        """Evaluated (a deciding rate, or a grade of the plan's action grade scale), insufficient data (some
        rate has incomplete inputs) or not evaluated."""
        if self.rate is not None or self.grade is not None:
            return ScoreState.evaluated
        if any(r.status is INSUFFICIENT for r in self.references.values()):
            return ScoreState.insufficient_data
        return ScoreState.not_evaluated


# --------------------------------------------------------------------------- action


def action_grade(action: Action, plan: Plan) -> tuple[str, int] | None:
    """The action's own grade and its fiscal year, where the plan's ``grade_scale`` applies to actions: the
    grade entered for the last year evaluated (:func:`~dxplan.score.methods.scored_years`), as the scale
    writes it. None when the plan grades indicators, when no grade is entered that year, or when the grade
    is one the scale declares not evaluated (対象外)."""
    scale = plan.grade_scale
    if scale is None or scale.applies_to != "action":
        return None
    year = scored_years(plan)[-1]
    entry = action.grade_for(year)
    found = scale.lookup(entry.grade) if entry else None
    if found is None or found.not_evaluated:
        return None
    return found.grade, year


def score_action(action: Action, plan: Plan, index: PlanIndex | None = None) -> ActionScore:
    """Rule 4 (001, フローチャート): which rate decides, its label, and the reference rates.

    The plan declares the method (``plan.scoring.method``): ``flowchart`` (001: a numeric
    target or indicators with a measurement decide, else the summary evaluation, else the task
    rate) or ``indicators`` (only the indicators' combined rate decides; the others stay
    reference rates). The label comes from the plan's own percent scale, else :data:`NO_SCALE_LABEL`.
    An action graded on the plan's action grade scale (:func:`action_grade`) is evaluated and labelled with
    its grade (B) when it has no deciding rate or the plan declares no percent scale — never 未評価.

    ``index``: the plan's look-ups (``LoadedPlan.index``); built when not given.
    """
    index = index or PlanIndex(plan)
    inds = score_indicators(action, plan)
    refs = method_rates(RateInputs(action, plan, index, indicators_rate(inds, plan) if inds else None))
    graded = action_grade(action, plan)
    grade, grade_year = graded if graded else (None, None)
    for method in deciding_order(plan):
        if refs[method].status is OK:
            rate = refs[method]
            assert rate.value is not None, "a rate with status ok has a value"
            label = grade if grade is not None and not plan.rating_scale else plan_label(rate.value, plan)
            return ActionScore(action.id, action.title, method, rate, label, refs, inds, grade, grade_year)
    return ActionScore(action.id, action.title, None, None, grade or NOT_EVALUATED_LABEL, refs, inds, grade, grade_year)


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
