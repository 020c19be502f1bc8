"""The plan schema: the single source of truth for plan.yaml and action files.

Two kinds of file make a plan folder::

    plans/<plan>/plan.yaml            -> Plan
    plans/<plan>/actions/<id>.yaml    -> Action   (one action per file)

Field names follow docs/domain.md's vocabulary (aim, approach, target, owners, tasks,
status, summary_evaluation, final_report …); the plan's own Japanese labels live
in ``Plan.labels`` and in the status words / rating scale the plan declares.
Unknown keys are rejected everywhere (``extra="forbid"``).

Units: every ``percent``/``progress`` field is a percent in 0–100, never a
fraction. Fiscal years are ints (the Western start year: 2024 = 令和6年度) and
are accepted in YAML as ``2024``, ``R6`` or ``令和6年度``.

Source text and annotations are kept apart: ``notes`` holds only the source's own
notes (備考), verbatim, and is what reports show; the transcriber's annotations
are ``discrepancies``, ``transcription_notes`` and ``sources`` (provenance), which
reports leave out. Lint rule ``notes-commentary`` warns about commentary in ``notes``.

Only what the four bundled plans need is modelled; everything a plan may lack
is optional, and a plan can make fields mandatory for its own actions through
``Plan.lint.require`` (checked by the ``required-by-plan`` lint rule).
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator


from .base import (  # noqa: F401 - re-exported: the schema's building blocks
    DISCREPANCIES_DOC,
    NOTES_DOC,
    TRANSCRIPTION_NOTES_DOC,
    FiscalYear,
    Percent,
    PlanInt,
    PlanNumber,
    Strict,
    Text,
    annotation,
    computed,
    empty_list,
    field_model,
    split_annotated,
    union_options,
)
from .base import EraDate, MunicipalityCode, PlanPeriod, YearMonth  # noqa: F401 - re-exported: dates and periods as plans write them
from .plan_texts import GlossaryEntry, PredecessorPlan, PredecessorResult, Vision  # noqa: F401 - re-exported
from .indicators import (  # noqa: F401 - re-exported: indicators, grades and scales
    DEFAULT_RATING_SCALE,
    Baseline,
    Grade,
    GradeEntry,
    GradeScale,
    Indicator,
    IndicatorActual,
    IndicatorSeries,
    IndicatorTarget,
    RatingBand,
    ScoringConfig,
    legacy_indicators,
)

# --------------------------------------------------------------------------- plan


class State(str, Enum):
    """Canonical task states (docs/domain.md). A plan maps each of its status words to one."""

    not_started = "not_started"  # 未着手
    considering = "considering"  # 検討中
    in_progress = "in_progress"  # 進捗中
    done = "done"  # 完了


STATE_ORDER = (State.not_started, State.considering, State.in_progress, State.done)


class StatusWord(Strict):
    """One status word of the plan (e.g. 完了) and the canonical state it means.

    ``progress`` is the percent (0–100) the plan itself declares for the word, if any
    (Kama: 完了 = 100, 未着手 = 0; 001 defines none for 進捗中/検討中).
    """

    word: Text
    state: State
    progress: Percent | None = None
    aliases: list[Text] = empty_list(provenance="computed")


class Category(Strict):
    """A node of the plan's category tree (大区分 → 中区分, 柱 → 区分, 大分類 → 小分類)."""

    id: Text = computed(...)
    name: Text
    aliases: list[Text] = empty_list("other spellings the loader matches to this category", provenance="computed")
    description: str | None = None
    children: list[Category] = empty_list()


class Department(Strict):
    """A department (課) or other owning body; ``parent`` is the key of its 部 where the plan has one.

    ``id`` defaults to ``name``; ``kind: generic`` marks pseudo-owners such as 関係各課. ``role``: what the
    source says the body is or does (鞍手町 推進体制), verbatim; ``note``: the transcriber's annotation.
    """

    id: str | None = computed()
    name: Text
    aliases: list[Text] = empty_list("other spellings the loader matches to this department", provenance="computed")
    parent: str | None = computed(description="the key of the department's 部")
    kind: Literal["department", "division", "office", "generic"] = "department"
    role: str | None = Field(default=None, description="the body's role as the source writes it (推進体制); reports show it")
    note: str | None = annotation(description="the transcriber's note on the department; an annotation, not shown in reports")

    @property
    def key(self) -> str:
        """The id tasks and reports use: ``id`` when given, else ``name``."""
        return self.id or self.name


class DepartmentGroup(Strict):
    """A written form that names several departments at once (e.g. 嘉穂・碓井・山田市民サービス課)."""

    written: Text
    members: list[Text]


class SourceDocument(Strict):
    """A source document of the plan: a seed file and what it is.

    ``title`` and ``date`` are the municipality's (shown on the cover); ``file``, ``url`` (its address
    where it is a web page) and ``note`` are provenance (annotations, shown only with ``--audit``).
    """

    file: Text = annotation(...)
    url: str | None = annotation(description="the address of a source that is a web page")
    title: str | None = None
    date: EraDate | None = None
    note: str | None = annotation()


class StatusCounts(Strict):
    """Counts of task rows per canonical state, as printed by a source (000's summary table)."""

    not_started: PlanInt | None = None
    considering: PlanInt | None = None
    in_progress: PlanInt | None = None
    done: PlanInt | None = None
    total: PlanInt | None = None


class StatusSnapshot(Strict):
    """One column of a plan's own status summary table (000: four dates).

    ``counts`` are row counts; ``shares`` are the printed percents (0–100).
    ``kind`` tells whether the column is an actual count or a forecast (見込).
    """

    date: EraDate
    label: Text
    fiscal_year: FiscalYear
    kind: Literal["actual", "forecast"] = "actual"
    counts: StatusCounts
    shares: dict[State | Literal["total"], PlanNumber] = {}
    note: str | None = None


class ChangeRecord(Strict):
    """Why a target, baseline, deadline or rating scale was changed (the goalpost guard)."""

    date: EraDate
    field: Text = computed(...)
    reason: Text
    by: str | None = None


class LintConfig(Strict):
    """Per-plan lint switches.

    ``require`` lists action fields this plan wants in every action (e.g. ``target``,
    ``owners``, ``tasks``, ``target.spec``); ``disable`` lists rule ids to skip; ``unchanged_evaluations``:
    after how many evaluation dates with the same status a task row is reported (rule ``status-unchanged``).
    """

    require: list[Text] = empty_list()
    disable: list[Text] = empty_list()
    unchanged_evaluations: int = Field(default=3, ge=2, le=100, description="status-unchanged: a row's status the same at this many evaluation dates in a row")


class PlanLabels(Strict):
    """The plan's own Japanese labels for the schema's fields, used in reports.

    ``target`` defaults to the neutral 目標: 嘉麻市's 目標(値) is its own label, declared in its plan.yaml.
    """

    category_levels: list[Text] = ["大区分", "中区分"]
    aim: str = "目指すこと"
    approach: str = "やること"
    background: str = "背景"
    target: str = "目標"
    owners: str = "担い手"
    department: str = "担当課"
    plan: str = "計画"
    result: str = "実施"
    status: str = "進捗状況"
    budget: str = "予算、補助金等情報"
    notes: str = "備考"
    outcome: str = "成果"
    activities: str = "取り組んだこと"
    issues: str = "課題"
    rate: str = "目標達成率"
    item: str | None = Field(default=None, description="the heading of a task row's 項目 (飯塚市); null = the catalogue's word")
    examples: str | None = Field(default=None, description="the heading of the actions' examples (鞍手町 具体的な取組み例)")
    references: str | None = Field(default=None, description="the heading of the actions' reference cases (飯塚市 参考事例等)")
    related_departments: str | None = Field(default=None, description="the heading of the related departments (飯塚市 関係部署)")
    priority: str | None = Field(default=None, description="the heading of the priority (飯塚市 優先順位)")
    division: str | None = Field(default=None, description="the heading of the 部 an action is filed under (飯塚市 部局名)")
    tags: str | None = Field(default=None, description="the heading of the actions' tags (飯塚市 備考 of the priority list)")
    visions: str | None = Field(default=None, description="the heading of the plan's visions (鹿島市 目指す姿)")
    secondary_categories: str | None = Field(default=None, description="the heading of an action's further listings (鹿島市 再掲)")
    glossary: str | None = Field(default=None, description="the heading of the glossary (鞍手町 用語集)")
    organisation: str | None = Field(default=None, description="the heading of the departments and their roles (鞍手町 推進体制)")
    predecessors: str | None = Field(default=None, description="the heading of the predecessor plans' results (鞍手町 …の実績)")
    yearly_targets: str | None = Field(default=None, description="the heading of the yearly targets (飯塚市 各年度目標); null = the catalogue's word")
    effect_hours: str | None = Field(default=None, description="the heading of the hours effect row (飯塚市 業務量削減目標値（時間）); null = the catalogue's word")
    effect_money: str | None = Field(default=None, description="the heading of the money effect row (飯塚市 財政効果目標額（千円）); null = the catalogue's word")


class Plan(Strict):
    """``plan.yaml``: one municipality's plan for one period.

    ``period_start``/``period_end`` are fiscal years (inclusive); a plan whose source states its period
    by month gives ``period`` (start and end months) instead, and the fiscal years are those holding
    them. ``evaluation_date`` is the date the current results describe (Kama: 令和7年2月10日, written
    as a date or in era form); the task rate uses the fiscal years up to the one containing it.
    ``reporting_cycle_months``: how often the plan is evaluated, in months (lint: ``evaluation-overdue``).

    ``notes``: the source's plan-level 備考, verbatim (shown in reports);
    ``discrepancies``/``transcription_notes``: annotations (not shown).

    ``national_frame``: the version of 総務省's 自治体DX推進計画 the plan answers to, by our key
    (``"2.3"``, :mod:`dxplan.model.frame`); set only where the plan's own text names that version
    (cite the line in ``sources``). ``municipality_code``: the 全国地方公共団体コード, for peer-group
    tables (``dxplan compare --groups``).
    """

    id: Text = computed(...)
    municipality: Text
    municipality_code: MunicipalityCode | None = computed(
        description="the municipality's 全国地方公共団体コード (6 digits with check digit, 総務省), e.g. '131016'; identifies it in open data")
    prefecture: str | None = None
    national_frame: str | None = computed(description="the version key of 総務省's 自治体DX推進計画 the plan answers to (frames/national.yaml), e.g. '2.3'")
    title: Text
    stage: str | None = Field(default=None, description="e.g. 案, 素案; null = adopted")
    period_start: FiscalYear
    period_end: FiscalYear
    period: PlanPeriod | None = Field(default=None, description="the period by month (2023-01 … 2025-03); gives period_start/period_end when they are left out")
    fiscal_year_style: Literal["reiwa", "r", "western"] = "reiwa"
    evaluation_date: EraDate | None = None
    reporting_cycle_months: int | None = Field(default=None, ge=1, le=120, json_schema_extra={"x-provenance": "computed"},
                                               description="months between the plan's evaluations; lint warns when evaluation_date is older (evaluation-overdue)")
    published: str | None = None
    sources: list[SourceDocument]
    labels: PlanLabels = Field(default=PlanLabels(), json_schema_extra={"x-provenance": "label"})
    categories: list[Category] = empty_list()
    departments: list[Department] = empty_list()
    department_groups: list[DepartmentGroup] = empty_list("written forms naming several departments, for look-up", provenance="computed")
    department_separators: list[str] = Field(default=["・"], description="separators splitting a joint department cell", json_schema_extra={"x-provenance": "computed"})
    statuses: list[StatusWord] = empty_list()
    rating_scale: list[RatingBand] = empty_list(
        description="percent bands labelling computed rates, highest first; omitted = not declared (lint: no-rating-scale); [] = the source defines none",
    )
    grade_scale: GradeScale | None = Field(default=None, description="an ordinal scale of entered grades (A–D, S/A/B/C, ◎○△×), best first")
    scoring: ScoringConfig = Field(default=ScoringConfig(), json_schema_extra={"x-provenance": "computed"})
    status_snapshots: list[StatusSnapshot] = empty_list()
    indicators: list[Indicator] = empty_list()
    visions: list[Vision] = empty_list()
    glossary: list[GlossaryEntry] = empty_list()
    predecessors: list[PredecessorPlan] = empty_list()
    lint: LintConfig = Field(default=LintConfig(), json_schema_extra={"x-provenance": "computed"})
    history: list[ChangeRecord] = empty_list(description="reasons for changes to the rating scale or indicators")
    notes: list[str] = empty_list(description=NOTES_DOC)
    discrepancies: list[str] = empty_list(DISCREPANCIES_DOC, provenance="annotation")
    transcription_notes: list[str] = empty_list(TRANSCRIPTION_NOTES_DOC, provenance="annotation")

    @model_validator(mode="before")
    @classmethod
    def _period_by_month(cls, data: Any) -> Any:
        """Fill ``period_start``/``period_end`` from ``period`` (by month) where they are left out."""
        if not isinstance(data, dict) or not isinstance(data.get("period"), dict):
            return data
        try:
            first, last = PlanPeriod.model_validate(dict(data["period"])).fiscal_years
        except ValueError:
            return data  # the field's own validation reports it, positioned
        filled = dict(data)
        filled.setdefault("period_start", first)
        filled.setdefault("period_end", last)
        return filled

    @model_validator(mode="after")
    def _period_order(self) -> Plan:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self

    @property
    def scale_declared(self) -> bool:
        """True when plan.yaml names a scale: ``rating_scale`` (even ``[]``, the source defines none) or ``grade_scale``."""
        return "rating_scale" in self.model_fields_set or self.grade_scale is not None

    @property
    def stage_label(self) -> str | None:
        """The stage to show after the title, or None when there is none or the title already ends with it (…（案）)."""
        if not self.stage:
            return None
        if self.title.rstrip().endswith((f"（{self.stage}）", f"({self.stage})")):
            return None
        return self.stage

    @property
    def fiscal_years(self) -> list[int]:
        """The plan's fiscal years in order, e.g. [2024, 2025, 2026]."""
        return list(range(self.period_start, self.period_end + 1))


# --------------------------------------------------------------------------- action


class TargetKind(str, Enum):
    """How a numeric target is scored (docs/domain.md, evaluation rule 1)."""

    # the member hides str.count on TargetKind values (no code calls it on them); mypy reports
    # that as an incompatible override of str.count
    count = "count"  # type: ignore[assignment]  # 8 of 10 回: baseline 0
    level = "level"  # 交付率 96 % against 80 %: baseline 0
    increase = "increase"  # +25 % achieved of +30 % targeted
    multiple = "multiple"  # 2倍: baseline 1
    per_year = "per_year"  # 30件/年: a rate per fiscal year, then their mean
    lower_is_better = "lower_is_better"  # 0件: (baseline − actual) / (baseline − target)


class Measurement(Strict):
    """A measured value of a target, with when and where it was measured.

    ``fiscal_year`` is required for ``per_year`` targets; when omitted it is derived
    from ``date`` (001's 令和8年2月8日 belongs to FY R7).
    """

    value: PlanNumber
    date: EraDate | None = None
    fiscal_year: FiscalYear | None = None
    kind: Literal["actual", "forecast", "assumed"] = "actual"
    source: str | None = annotation(description="where the value was read; an annotation")
    note: str | None = None


class TargetSpec(Strict):
    """The numeric part of a target: ``value`` in ``unit`` of ``kind``, from ``baseline``.

    For ``multiple`` the values are multiples (baseline 1 when omitted); for
    ``increase`` they are increases (baseline 0); for ``count``/``level``/``per_year``
    the baseline is 0 when omitted. ``lower_is_better`` needs a baseline.
    """

    kind: TargetKind
    value: PlanNumber
    unit: str | None = None
    baseline: PlanNumber | None = None
    direction: Literal["higher", "lower"] | None = None
    comparator: Literal[">=", "=", "<="] | None = None
    deadline: FiscalYear | None = None
    metric: str | None = None

    @model_validator(mode="after")
    def _direction(self) -> TargetSpec:
        if self.kind is TargetKind.lower_is_better and self.direction == "higher":
            raise ValueError("a lower_is_better target cannot have direction: higher")
        return self


class Target(Strict):
    """A target (目標(値)/達成目標): the text as written plus an optional numeric spec and measurements."""

    text: Text
    panel: str | None = Field(default=None, description="the target panel's restatement, as written")
    spec: TargetSpec | None = computed(description="our reading of the target as a number")
    measurements: list[Measurement] = empty_list()
    history: list[ChangeRecord] = empty_list()


class YearlyTarget(Strict):
    """A target for one fiscal year (鹿島市 年次目標, 飯塚市 各年度目標)."""

    fiscal_year: FiscalYear
    text: Text
    spec: TargetSpec | None = computed(description="our reading of the target as a number")


class Effect(Strict):
    """An effect target for one fiscal year: hours saved or money in thousand yen (飯塚市).

    ``raw`` is the cell as written (△480, ▲100, 不明 …); ``value`` the signed number
    in ``unit`` where the cell holds one; ``meaning`` records what the sign means on
    this sheet, since △/▲ are used both for savings and for extra work or cost.
    ``per``: ``person`` where the cell gives the figure for one person (「△24時間（一人当たり）」),
    not for the office; such a figure is never summed with others.
    """

    fiscal_year: FiscalYear
    kind: Literal["hours", "money"]
    raw: str
    value: PlanNumber | None = None
    unit: Literal["時間", "千円"] | None = None
    meaning: Literal["saving", "extra_workload", "cost", "revenue", "reduction", "unknown"] | None = None
    per: Literal["person"] | None = Field(
        default=None, description="person: the value is per person as the cell says (一人当たり); left out of every sum")
    note: str | None = annotation(description="the transcriber's note on the cell; an annotation")


class RowNotes(Strict):
    """The 備考 the source writes beside one row of an action sheet (飯塚市's 備考 column), verbatim.

    ``hours``: beside 業務量削減目標値（時間）; ``money``: beside 財政効果目標額（千円）;
    ``yearly_targets``: beside 各年度目標. Reports print each with its row.
    """

    hours: str | None = Field(default=None, description="the 備考 of the 業務量削減目標値（時間） row, verbatim")
    money: str | None = Field(default=None, description="the 備考 of the 財政効果目標額（千円） row, verbatim")
    yearly_targets: str | None = Field(default=None, description="the 備考 of the 各年度目標 row, verbatim")


class Task(Strict):
    """One task row of one fiscal year (計画 / 実施 / 進捗状況).

    ``department`` is written as the source writes it (a name, alias or joint form
    the plan declares); ``progress`` is an explicit percent 0–100; ``result_kind``
    tells whether ``result`` is an actual, a forecast (見込) or planned (予定/想定). ``item`` is the row's
    項目 where the sheet names one (飯塚市), ``note`` the row's own 備考, both verbatim;
    ``transcription_note`` is the transcriber's comment on the row (an annotation, not shown in reports).
    """

    fiscal_year: FiscalYear
    department: str | None = None
    item: str | None = None
    plan: str | None = None
    result: str | None = None
    result_kind: Literal["actual", "forecast", "planned"] | None = None
    status: str | None = None
    progress: Percent | None = None
    timing: str | None = None
    note: str | None = None
    transcription_note: str | None = annotation(description="the transcriber's comment on the row; an annotation, not shown in reports")


class ScheduleEntry(Strict):
    """A line of the 実施スケジュール graphic, for one fiscal year or the whole period."""

    fiscal_year: FiscalYear | None = None
    text: Text


class SummaryEvaluation(Strict):
    """総括評価 (001, method ②): a percent 0–100 entered by the department, with a required reason."""

    percent: Percent
    reason: Text
    by: str | None = None
    date: EraDate | None = None


class FinalReport(Strict):
    """The final report fields of an action (001, 最終進捗率・達成率まとめ方)."""

    outcome: str | None = None
    activities: list[str] = empty_list()
    activities_text: str | None = None
    issues: str | None = None


class Source(Strict):
    """Where an action was transcribed from: seed file and location (sheet, page or lines)."""

    file: Text = annotation(...)
    location: Text = annotation(...)
    note: str | None = annotation()


class Action(Strict):
    """One action (アクション/取組/取組項目): one YAML file under ``actions/``.

    ``id`` is unique within the plan; ``category`` (and ``secondary_categories``)
    name nodes of the plan's category tree by id, name or alias; ``owners`` are
    departments as the source writes them. ``status``-bearing rows live in
    ``tasks``; a plan with no results simply has tasks without a status.

    ``notes``: the sheet's 備考, verbatim (嘉麻市 ≪備考≫; shown in reports); a 備考 that
    the source writes beside one row (effects, yearly targets) is in ``row_notes``;
    ``discrepancies``/``transcription_notes``: annotations (not shown).

    ``serves``: the ids of the national 重点取組事項 (:mod:`dxplan.model.frame`, of the plan's
    ``national_frame`` version) the action serves. The ids are references to data we ship, so the
    field is ``computed`` like ``visions``; a tag is set only where the source itself cites the
    national item, and that citation (file and line) is recorded in the action's ``sources`` (an
    annotation). Where the source is silent the list stays empty, and the action counts as
    unclassified (未分類), never as serving nothing.
    """

    id: Text = computed(...)
    number: PlanInt | None = None
    title: Text
    title_variants: list[Text] = empty_list()
    category: Text = computed(..., description="the id, name or alias of the action's category")
    secondary_categories: list[Text] = empty_list("further categories the action is listed under (再掲), by id, name or alias", provenance="computed")
    visions: list[Text] = empty_list("the ids of the plan's visions (目指す姿) the action serves", provenance="computed")
    serves: list[Text] = empty_list("the ids of the national 重点取組事項 the action serves, where the source cites them (frames/national.yaml)", provenance="computed")
    aim: str | None = None
    approach: str | None = None
    background: str | None = None
    references: str | None = None
    examples: list[Text] = empty_list()
    target: Target | None = None
    yearly_targets: list[YearlyTarget] = empty_list()
    indicators: list[Indicator] = empty_list(description="the action's indicators (成果指標/活動指標/KPI), each with yearly targets and actuals")
    grades: list[GradeEntry] = empty_list(description="grades entered for the action per fiscal year (plan.yaml grade_scale, applies_to: action)")
    effects: list[Effect] = empty_list()
    row_notes: RowNotes | None = None
    owners: list[Text] = empty_list()
    division: str | None = Field(default=None, description="the 部/局 the plan files the action under, as written (飯塚市 部局名)")
    related_departments: list[Text] = empty_list()
    priority: PlanInt | None = None
    tags: list[Text] = empty_list()
    schedule: list[ScheduleEntry] = empty_list()
    tasks: list[Task] = empty_list()
    budget: str | None = None
    notes: list[str] = empty_list(description=NOTES_DOC)
    summary_evaluation: SummaryEvaluation | None = None
    final_report: FinalReport | None = None
    predecessors: list[Text] = empty_list("the ids of the predecessor plans' results the action continues", provenance="computed")
    sources: list[Source] = Field(min_length=1, json_schema_extra={"x-provenance": "annotation"})
    discrepancies: list[str] = empty_list(DISCREPANCIES_DOC, provenance="annotation")
    transcription_notes: list[str] = empty_list(TRANSCRIPTION_NOTES_DOC, provenance="annotation")

    @property
    def all_indicators(self) -> list[Indicator]:
        """``indicators`` plus old-shape numeric ``yearly_targets`` read as indicators (:func:`legacy_indicators`)."""
        return [*self.indicators, *legacy_indicators(self.yearly_targets, {i.id for i in self.indicators})]

    def grade_for(self, fiscal_year: int) -> GradeEntry | None:
        """The action-level grade entered for ``fiscal_year`` (the last one listed), else None."""
        found = [g for g in self.grades if g.fiscal_year == fiscal_year]
        return found[-1] if found else None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas (draft 2020-12) for ``plan.yaml`` and action files, from the models.

    Keys: ``plan.schema.json`` and ``action.schema.json``. The action ``id``
    also accepts an integer, as the model does (``id: 13`` is read as ``'13'``); a plan needs
    ``period_start`` and ``period_end`` or ``period`` (by month), as the model does.
    """
    out = {}
    for name, model, title in (
        ("plan.schema.json", Plan, "dxplan plan.yaml"),
        ("action.schema.json", Action, "dxplan action file (actions/*.yaml)"),
    ):
        schema = model.model_json_schema(mode="validation")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"https://dxplan.invalid/schemas/{name}", **schema}
        schema["title"] = title
        if model is Plan:
            # period_start/period_end may be left out where ``period`` (by month) gives them (Plan._period_by_month)
            schema["required"] = [r for r in schema["required"] if r not in ("period_start", "period_end")]
            schema["anyOf"] = [{"required": ["period_start", "period_end"]}, {"required": ["period"]}]
        if model is Action:
            idp = schema["properties"]["id"]
            schema["properties"]["id"] = {"anyOf": [{k: v for k, v in idp.items() if k != "title"}, {"type": "integer"}], "title": idp.get("title", "Id")}
        out[name] = schema
    return out
