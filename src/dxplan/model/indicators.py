"""Indicators, grades and how a plan scores: the measurement part of the plan schema.

An **indicator** (成果指標 / 活動指標 / KPI / KGI) is a measured quantity: a baseline, targets
per fiscal year and/or a final target with a deadline, and actuals per fiscal year (実績, each an
actual or a forecast, with its source). Actions hold any number of them (``Action.indicators``);
plan-level indicators (飯塚市's five 成果指標) use the same shape (``Plan.indicators``).

A plan's **scale** is declared, never assumed: percent bands label computed rates
(``Plan.rating_scale``, 嘉麻市's 達成 ≥ 100 % …) and/or an ordinal **grade scale**
(``Plan.grade_scale``: A–D, S/A/B/C, ◎○△×) names the grades departments enter per indicator or
action and fiscal year (:class:`GradeEntry`). **Scoring** (``Plan.scoring``) says how an action's
rate is formed: 001's flowchart (target → summary evaluation → task rate) or the indicators alone,
and how several indicators combine (the deciding one, the mean, the weakest).

Units: ``value`` fields are in the indicator's ``unit``; percents are 0–100. Fiscal years are
Western start years (2024 = 令和6年度).

Old shapes keep loading: a ``yearly_targets`` entry with a numeric ``spec`` is read as an
indicator target by :func:`legacy_indicators` (the bundled plans were moved to ``indicators``).
"""

from __future__ import annotations

from collections.abc import Collection
import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field, model_validator

from .base import EraDate, FiscalYear, PlanNumber, Strict, Text, annotation, computed, empty_list


class Baseline(Strict):
    """A measured starting value of an indicator (基準値), in the indicator's unit."""

    value: PlanNumber
    unit: str | None = computed(description="the unit, normalised")
    fiscal_year: FiscalYear | None = None
    date: EraDate | None = None
    note: str | None = None


class IndicatorTarget(Strict):
    """The target of one fiscal year (年次目標 / 各年度目標): ``text`` as written, ``value`` its number.

    ``comparator``: ``>=`` where the text says 以上. Either ``text`` or ``value`` is given.
    """

    fiscal_year: FiscalYear
    value: PlanNumber | None = None
    text: str | None = None
    comparator: Literal[">=", "=", "<="] | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _something(self) -> IndicatorTarget:
        if self.value is None and not self.text:
            raise ValueError("a yearly target needs a value or a text")
        return self


class IndicatorActual(Strict):
    """A measured value (実績) for one fiscal year: an actual or a forecast (見込), with its source.

    ``text``: the actual as the source writes it where that is not a bare number (「完了」, 「－」, a
    sentence, 「92.9%（速報値）」); ``value`` its number, if it has one. Either is given. An actual with
    text only is shown as written and is not measurable: it gives no rate.
    """

    fiscal_year: FiscalYear
    value: PlanNumber | None = None
    text: str | None = Field(default=None, description="the actual as written where it is not a bare number (完了, －, a sentence)")
    kind: Literal["actual", "forecast"] = "actual"
    date: EraDate | None = None
    source: str | None = annotation(description="where the value was read (document, page or line); an annotation")
    note: str | None = None

    @model_validator(mode="after")
    def _something(self) -> IndicatorActual:
        if self.value is None and not self.text:
            raise ValueError("an actual needs a value or a text")
        return self


class GradeEntry(Strict):
    """A grade entered for one fiscal year (評価 A/B/C/D …), a word of the plan's ``grade_scale``."""

    fiscal_year: FiscalYear
    grade: Text
    by: str | None = None
    date: EraDate | None = None
    reason: str | None = None
    note: str | None = None


class IndicatorSeries(Strict):
    """One series of an indicator row that publishes several values under one grade (小学校 and 中学校):
    its name as the source writes it, and its own baseline, targets and actuals in the indicator's unit
    unless ``unit`` says otherwise. The indicator's measure, accumulation and direction apply."""

    name: Text
    unit: str | None = None
    baseline: Baseline | None = None
    targets: list[IndicatorTarget] = empty_list()
    target_text: str | None = None
    target_value: PlanNumber | None = None
    deadline: FiscalYear | None = None
    actuals: list[IndicatorActual] = empty_list()
    note: str | None = None


class Indicator(Strict):
    """A measured quantity with baseline, targets, actuals, unit and direction (成果指標/活動指標/KPI).

    - ``kind``: ``outcome`` (成果指標) or ``activity`` (活動指標); None where the source does not say.
    - ``measure``: how a rate is formed (docs/domain.md rule 1): ``count``/``level`` (baseline 0 unless
      given), ``increase`` (baseline 0: the increase achieved over the increase targeted),
      ``multiple`` (baseline 1). ``direction: lower`` scores (baseline − actual) / (baseline − target).
    - ``accumulation``: ``cumulative`` (a running level: the latest actual is compared with the
      target) or ``per_year`` (each year's actual against that year's target, then the mean).
    - ``targets``: per fiscal year; ``target_value``/``target_text``/``deadline``: the final target.
    - ``actuals``: per fiscal year; ``grades``: entered grades per fiscal year.
    - ``deciding``: this indicator decides the action's rate where the plan scores by the deciding indicator.
    - ``decimals``: an explicit override of how many decimals this indicator's actuals print with. Without it
      every number prints with the precision its YAML text was written with (``85.0`` → 85.0, ``3.10`` → 3.10,
      ``100`` → 100; :class:`dxplan.numbers.WrittenFloat`). Targets keep their own ``text``.
    - ``series``: one row of the source with several series of values (小学校・中学校) and one grade: each
      series has its own targets and actuals (:meth:`series_indicators`); the grades stay on the
      indicator, so a grade split counts the row once, as the source does.
    """

    id: Text = computed(...)
    name: Text
    kind: Literal["outcome", "activity"] | None = None
    unit: str | None = computed(description="the unit, normalised (%, 人, 件／年間)")
    measure: Literal["count", "level", "increase", "multiple"] = "level"
    accumulation: Literal["cumulative", "per_year"] = "cumulative"
    baseline: Baseline | None = None
    targets: list[IndicatorTarget] = empty_list()
    target_text: str | None = Field(default=None, description="the final target as written (達成目標 / 最終目標)")
    target_value: PlanNumber | None = Field(default=None, description="the final target's number, in unit")
    direction: Literal["higher", "lower"] = "higher"
    deadline: FiscalYear | None = Field(default=None, description="the fiscal year by which the final target is due")
    actuals: list[IndicatorActual] = empty_list()
    grades: list[GradeEntry] = empty_list()
    deciding: bool = False
    series: list[IndicatorSeries] = empty_list()
    decimals: int | None = Field(
        default=None, ge=0, le=6,
        description="an override: decimals this indicator's actuals print with; null: as the YAML writes each number (85.0, 3.10, 100)",
    )
    source: str | None = annotation(description="where the indicator was read (document, page or lines); an annotation")
    note: str | None = Field(default=None, description="the source's own note on the indicator, verbatim; reports show it")
    transcription_note: str | None = annotation(description="the transcriber's commentary on the indicator; an annotation, not shown in reports")

    def series_indicators(self) -> list[Indicator]:
        """Each series as an indicator of its own (id ``K1（小学校）``, name ``name（小学校）``) carrying this
        indicator's measure, accumulation and direction and the series' own note, for scoring and printing; without
        grades (the row's grade is this indicator's). Empty without ``series``."""
        return [
            Indicator(
                id=f"{self.id}（{x.name}）", name=f"{self.name}（{x.name}）", kind=self.kind, unit=x.unit or self.unit,
                measure=self.measure, accumulation=self.accumulation, direction=self.direction,
                baseline=x.baseline or self.baseline, targets=x.targets, target_text=x.target_text, target_value=x.target_value,
                deadline=x.deadline, actuals=x.actuals, decimals=self.decimals, note=x.note,
            )
            for x in self.series
        ]

    def target_for(self, fiscal_year: int) -> IndicatorTarget | None:
        """The target of ``fiscal_year`` with a value, else None."""
        return next((t for t in self.targets if t.fiscal_year == fiscal_year and t.value is not None), None)

    def actual_for(self, fiscal_year: int) -> IndicatorActual | None:
        """The actual of ``fiscal_year`` (an actual before a forecast of the same year), else None."""
        found = [a for a in self.actuals if a.fiscal_year == fiscal_year]
        found.sort(key=lambda a: (a.kind != "actual", -(a.date or dt.date.min).toordinal()))
        return found[0] if found else None

    def grade_for(self, fiscal_year: int) -> GradeEntry | None:
        """The grade entered for ``fiscal_year`` (the last one listed), else None."""
        found = [g for g in self.grades if g.fiscal_year == fiscal_year]
        return found[-1] if found else None

    @property
    def final_deadline(self) -> int | None:
        """The fiscal year the final target is due: ``deadline``, else the last year with a target value."""
        if self.deadline is not None:
            return self.deadline
        years = [t.fiscal_year for t in self.targets if t.value is not None]
        return max(years) if years else None


class RatingBand(Strict):
    """One label of a percent scale, with its inclusive lower bound in percent (001, 表記方法)."""

    label: Text
    min: PlanNumber | None = Field(default=None, description="inclusive lower bound, percent; null = lowest band")
    meaning: str | None = None


DEFAULT_RATING_SCALE = [
    RatingBand(label="達成", min=100),
    RatingBand(label="ほぼ達成", min=90),
    RatingBand(label="概ね達成", min=80),
    RatingBand(label="やや未達", min=60),
    RatingBand(label="課題あり", min=None),
]
"""Kama's scale (001, 表記方法): a preset for ``dxplan init``, never applied to a plan that does not declare it."""


class Grade(Strict):
    """One grade of an ordinal scale: the word (A, ◎), what it means as the plan writes it, and aliases.

    ``not_evaluated``: the grade says the row was not evaluated (「評価できない」, 「－ 対象外」): it is
    shown and counted, apart from the evaluated grades and never in their shares, like a row without a grade.
    """

    grade: Text
    meaning: str | None = None
    aliases: list[Text] = empty_list(provenance="computed")
    not_evaluated: bool = Field(default=False, description="a grade that means 'not evaluated' (評価できない, 対象外): counted apart, outside the shares")


class GradeScale(Strict):
    """An ordinal grade scale (A–D, S/A/B/C, ◎○△×), best first, and what the grades are given to.

    ``applies_to``: ``indicator`` (a grade per indicator and fiscal year, on ``Indicator.grades``)
    or ``action`` (per action and fiscal year, on ``Action.grades``). Grade counts count these rows.
    """

    applies_to: Literal["indicator", "action"] = "indicator"
    grades: list[Grade] = Field(min_length=1)
    note: str | None = None

    def lookup(self, word: str) -> Grade | None:
        """The grade written as ``word`` (the grade itself or an alias, ignoring surrounding spaces)."""
        w = word.strip()
        return next((g for g in self.grades if w == g.grade or w in g.aliases), None)

    @property
    def words(self) -> list[str]:
        """Every accepted spelling: the grades and their aliases."""
        return [w for g in self.grades for w in (g.grade, *g.aliases)]

    @property
    def evaluated(self) -> list[Grade]:
        """The grades that evaluate (best first): the columns of a grade split and the shares' denominator."""
        return [g for g in self.grades if not g.not_evaluated]

    @property
    def apart(self) -> list[Grade]:
        """The grades declared ``not_evaluated``, in scale order: counted apart, outside the shares."""
        return [g for g in self.grades if g.not_evaluated]


class ScoringConfig(Strict):
    """How the plan forms an action's rate (declared by the plan).

    ``method``: ``flowchart`` (001: a numeric target with a measurement decides, else the summary
    evaluation, else the task rate) or ``indicators`` (the indicators' combined rate alone).
    ``combine``: how several indicators with a rate make one: ``deciding`` (the indicator marked
    ``deciding: true``), ``mean`` (arithmetic mean of the indicator rates) or ``weakest`` (the
    lowest). None: not declared — an action with several rated indicators then has no combined rate.
    ``rate``: how an indicator's rate is read: ``progress`` from the baseline,
    (actual − baseline) / (target − baseline) (001, the default), or ``ratio``, actual ÷ target
    (a plan that publishes 達成率 = 実績値 ÷ 目標値; lower is better: target ÷ actual).
    """

    method: Literal["flowchart", "indicators"] = "flowchart"
    combine: Literal["deciding", "mean", "weakest"] | None = None
    rate: Literal["progress", "ratio"] = Field(
        default="progress", description="how an indicator's rate is read: progress from the baseline (001) or actual ÷ target",
    )


_ERA_IN_METRIC = re.compile(r"(令和|R)\s*\d{1,2}\s*年度")


def legacy_indicators(yearly: list[Any], taken: Collection[str] = ()) -> list[Indicator]:
    """Old-shape yearly targets (``dxplan.model.schema.YearlyTarget``) with a numeric ``spec`` read as indicators (grouped by metric).

    Each distinct ``spec.metric`` (a fiscal year written inside it, 令和5年度…, ignored) becomes one
    indicator ``Y1``, ``Y2`` … (skipping the ids in ``taken``: the action's own indicators, so every
    indicator of an action keeps its own id) whose per-year targets carry the yearly target's text verbatim;
    ``per_year`` specs become ``accumulation: per_year``, ``lower_is_better`` ``direction: lower``.
    Yearly targets without a spec stay text and are not returned.
    """
    groups: dict[str, Indicator] = {}
    for yt in yearly:
        spec = yt.spec
        if spec is None:
            continue
        key = _ERA_IN_METRIC.sub("", spec.metric or yt.text).strip()
        ind = groups.get(key)
        if ind is None:
            kind = spec.kind.value
            number = len(groups) + 1
            while f"Y{number}" in taken or any(i.id == f"Y{number}" for i in groups.values()):
                number += 1
            ind = Indicator(
                id=f"Y{number}",
                name=spec.metric or yt.text,
                unit=spec.unit,
                measure="count" if kind in ("count", "per_year") else "level" if kind == "lower_is_better" else kind,
                direction="lower" if kind == "lower_is_better" or spec.direction == "lower" else "higher",
                accumulation="per_year" if kind == "per_year" else "cumulative",
                baseline=Baseline(value=spec.baseline) if spec.baseline is not None else None,
                deadline=spec.deadline,
            )
            groups[key] = ind
        ind.targets.append(IndicatorTarget(fiscal_year=yt.fiscal_year, value=spec.value, text=yt.text, comparator=spec.comparator))
    return list(groups.values())
