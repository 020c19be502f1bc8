"""Status counts (000's summary table made reproducible). Pure functions, no I/O, no display text.

Per fiscal year, the number of task rows in each canonical state and its share.
Shares are percents (0–100) of the rows that carry a status, rounded half-up to
two decimals wherever they are shown (:func:`round_share`, as 000 prints them);
rows without one (``no_status``) and rows whose word the plan does not declare
(``unknown``) are counted and shown apart, never dropped (docs/domain.md, rule 6).

:func:`status_result` computes everything ``dxplan status`` shows for one plan
(tables, the checks against the plan's own summary tables, the combined-view
line) once; the writers (:mod:`dxplan.output.terminal`, :mod:`dxplan.output.jsonout`,
:mod:`dxplan.report.views`) only arrange it and word it per language
(:mod:`dxplan.output.wording`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from dxplan.fiscal import fiscal_year_of
from .effects import EffectSummary, effect_summary
from dxplan.model.schema import STATE_ORDER, Action, Plan, State, StatusSnapshot
from dxplan.model.index import PlanIndex

if TYPE_CHECKING:
    from dxplan.score.actions import ActionScore
    from dxplan.score.indicators import IndicatorRow

BY_CHOICES = ("category", "department", "action")

NO_DEPARTMENT = "(none)"
"""Group key of the task rows that name no department (``--by department``); writers word its label."""


def round_share(value: float | None, places: int = 2) -> Decimal | None:
    """A share (percent 0–100) as shown: rounded half-up to ``places`` decimals (0.625 → 0.63, not 0.62).

    The one rounding rule of every output (tables, Markdown, JSON, charts); None stays None.
    """
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def share_text(value: float | None, places: int = 2) -> str:
    """A share as 000 prints it: ``places`` decimals, half-up, e.g. ``50.99%``; ``—`` when undefined."""
    shown = round_share(value, places)
    return "—" if shown is None else f"{shown}%"


@dataclass
class Counts:
    """Counts per canonical state, with the uncounted kept apart.

    For task rows: ``no_status`` rows carry no status word and ``unknown`` rows one
    the plan does not declare. For actions (:class:`PlanOverview`): ``no_status``
    actions are not evaluated in that year.
    """

    states: dict[State, int] = field(default_factory=lambda: {s: 0 for s in STATE_ORDER})
    no_status: int = 0
    unknown: int = 0

    @property
    def with_status(self) -> int:
        """Rows that carry a declared status word (the denominator of shares)."""
        return sum(self.states.values())

    @property
    def without(self) -> int:
        """Rows left out of the shares: without a status or with an undeclared word."""
        return self.no_status + self.unknown

    @property
    def rows(self) -> int:
        """All rows, with or without a status."""
        return self.with_status + self.no_status + self.unknown

    def share(self, state: State) -> float | None:
        """Share of ``state`` in percent (0–100, unrounded) of the rows with a status; None when there are none."""
        return None if self.with_status == 0 else self.states[state] / self.with_status * 100

    def add(self, state: State | None, unknown: bool = False) -> None:
        """Count one row: in ``state``; else as ``unknown`` (an undeclared word) or ``no_status``."""
        if state is not None:
            self.states[state] += 1
        elif unknown:
            self.unknown += 1
        else:
            self.no_status += 1


@dataclass
class GroupCounts(Counts):
    """One group of a ``--by`` table: its key (category id, department key, action id) and its label in the
    plan's own words (``"I-1 行政サービス"``); ``label`` is None for the :data:`NO_DEPARTMENT` group."""

    key: str = ""
    label: str | None = None


def snapshot_counts(snap: StatusSnapshot) -> Counts:
    """A plan's printed summary-table column as :class:`Counts` (a state it does not print counts 0)."""
    return Counts({s: getattr(snap.counts, s.value) or 0 for s in STATE_ORDER})


@dataclass
class StatusTable:
    """Counts for one fiscal year: the groups (none without ``by``) and the total (each row once)."""

    fiscal_year: int
    by: str | None
    groups: list[GroupCounts]
    total: Counts

    @property
    def joint_rows(self) -> bool:
        """True by department: a joint row counts for each department it names, so groups may sum to more than the total."""
        return self.by == "department"


def _task_state(index: PlanIndex, word: str | None) -> tuple[State | None, bool]:
    if not word:
        return None, False
    sw = index.status(word)
    return (sw.state, False) if sw else (None, True)


def status_table(
    plan: Plan, actions: list[Action], fiscal_year: int, by: str | None = None, index: PlanIndex | None = None
) -> StatusTable:
    """Count the task rows of ``fiscal_year``, optionally grouped ``by`` category, department or action.

    By department, a joint row (デジタル戦略課・産業振興課) counts once for each
    department it names, so group counts may sum to more than the total; the
    total always counts each row once. ``index``: the plan's look-ups
    (``LoadedPlan.index``), built when not given. Raises ValueError for an unknown ``by``.
    """
    if by is not None and by not in BY_CHOICES:
        raise ValueError(f"by must be one of {BY_CHOICES}")
    index = index or PlanIndex(plan)
    total = Counts()
    groups: dict[str, GroupCounts] = {}
    if by == "category":
        for node_ref in index.category_nodes():
            if not node_ref.node.children:
                groups[node_ref.node.id] = GroupCounts(key=node_ref.node.id, label=f"{node_ref.node.id} {node_ref.node.name}")
    elif by == "department":
        for d in plan.departments:
            if d.kind != "division":
                groups[d.key] = GroupCounts(key=d.key, label=d.name)

    def group(key: str, label: str | None) -> GroupCounts:
        if key not in groups:
            groups[key] = GroupCounts(key=key, label=label)
        return groups[key]

    for action in actions:
        for task in action.tasks:
            if task.fiscal_year != fiscal_year:
                continue
            state, unknown = _task_state(index, task.status)
            total.add(state, unknown)
            if by == "action":
                group(action.id, f"{action.id} {action.title}").add(state, unknown)
            elif by == "category":
                ref = index.category(action.category)
                key = ref.node.id if ref else action.category
                group(key, f"{key} {ref.node.name}" if ref else key).add(state, unknown)
            elif by == "department":
                depts = index.departments(task.department) if task.department else None
                if not task.department:
                    group(NO_DEPARTMENT, None).add(state, unknown)
                elif depts is None:
                    group(task.department, task.department).add(state, unknown)
                else:
                    for d in depts:
                        group(d.key, d.name).add(state, unknown)
    listed = [g for g in groups.values() if g.rows] if by == "department" else list(groups.values())
    return StatusTable(fiscal_year, by, listed, total)


def tables_by_year(
    plan: Plan, actions: list[Action], years: list[int] | None = None, by: str | None = None, index: PlanIndex | None = None
) -> list[StatusTable]:
    """One :func:`status_table` per fiscal year (default: every year of the plan)."""
    index = index or PlanIndex(plan)
    return [status_table(plan, actions, fy, by, index) for fy in (years or plan.fiscal_years)]


@dataclass
class SnapshotCheck:
    """The computed counts beside a snapshot the plan's source printed, and whether they agree.

    ``differences`` maps a state value (or ``"total"``) to (printed, computed).
    """

    snapshot: StatusSnapshot
    differences: dict[str, tuple[int | None, int]]

    @property
    def matches(self) -> bool:
        """True when every count the source prints equals the computed one."""
        return not self.differences


def snapshots_of(plan: Plan, fiscal_year: int) -> list[StatusSnapshot]:
    """The plan's printed summary-table columns (``status_snapshots``) of one fiscal year, oldest first."""
    return sorted((s for s in plan.status_snapshots if s.fiscal_year == fiscal_year), key=lambda s: s.date)


def compare_snapshot(plan: Plan, table: StatusTable) -> SnapshotCheck | None:
    """Compare a year's computed counts with the plan's own summary table for that year.

    The snapshot used is the latest one of that fiscal year dated on or before the
    plan's evaluation date (Kama: 令和7年3月末進捗見込, 2025-02-10). ``total`` is
    compared with the rows that carry a status. None when no snapshot applies.
    """
    candidates = [
        s for s in snapshots_of(plan, table.fiscal_year)
        if plan.evaluation_date is None or s.date <= plan.evaluation_date
    ]
    if not candidates:
        return None
    snap = max(candidates, key=lambda s: s.date)
    diffs: dict[str, tuple[int | None, int]] = {}
    for state in STATE_ORDER:
        printed = getattr(snap.counts, state.value)
        if printed is not None and printed != table.total.states[state]:
            diffs[state.value] = (printed, table.total.states[state])
    if snap.counts.total is not None and snap.counts.total != table.total.with_status:
        diffs["total"] = (snap.counts.total, table.total.with_status)
    return SnapshotCheck(snap, diffs)


def action_state(plan: Plan, action: Action, fiscal_year: int, index: PlanIndex | None = None) -> State | None:
    """One state per action for a fiscal year, from its task rows (for the cross-plan view).

    All rows done → done; all not started → not_started; all considering (or
    considering and not started) → considering; any other mix → in_progress.
    None (not evaluated) when no row of that year carries a declared status.
    """
    index = index or PlanIndex(plan)
    states = [s for t in action.tasks if t.fiscal_year == fiscal_year for s in [_task_state(index, t.status)[0]] if s]
    if not states:
        return None
    kinds = set(states)
    if kinds == {State.done}:
        return State.done
    if kinds == {State.not_started}:
        return State.not_started
    if kinds <= {State.considering, State.not_started}:
        return State.considering
    return State.in_progress


FOCUS_EVALUATION_DATE = "evaluation_date"
FOCUS_LATEST_DATA = "latest_data"
FOCUS_NO_DATA = "no_data"
FOCUS_ASKED = "asked"


@dataclass
class PlanName:
    """What the combined view names a plan by: its ``id``, ``municipality`` and ``fiscal_year_style``
    (as :class:`dxplan.model.schema.Plan` holds them), so that a plan's line needs no plan model."""

    id: str
    municipality: str
    fiscal_year_style: str

    @classmethod
    def of(cls, plan: Plan) -> PlanName:
        """The name of ``plan``."""
        return cls(plan.id, plan.municipality, plan.fiscal_year_style)


@dataclass
class PlanOverview:
    """One plan's line in the combined view: actions and task rows per state for its current year.

    In ``actions``, ``no_status`` counts the actions not evaluated in that year.
    """

    plan: PlanName
    fiscal_year: int
    actions: Counts
    rows: Counts
    focus: str = FOCUS_EVALUATION_DATE
    """Why this year (:class:`FocusYear` ``reason``)."""


@dataclass
class FocusYear:
    """The fiscal year a plan's one-year views refer to, and why (``reason``):

    - ``evaluation_date``: the year of the plan's evaluation date, clamped to the period;
    - ``latest_data``: no evaluation date; the latest year of the period with recorded data
      (a task row with a status, result or percent, an indicator actual or an entered grade);
    - ``no_data``: no evaluation date and nothing recorded yet; the plan's first year;
    - ``asked``: the year the command was given (``--year``).
    """

    fiscal_year: int
    reason: str


def data_years(plan: Plan, actions: list[Action]) -> set[int]:
    """The fiscal years with recorded data: task rows with a status, result or percent; indicator actuals
    (the plan's and the actions'); grades entered per indicator or action."""
    years = {t.fiscal_year for a in actions for t in a.tasks if t.status or t.result or t.progress is not None}
    indicators = [*plan.indicators, *(i for a in actions for i in a.all_indicators)]
    years.update(x.fiscal_year for i in indicators for x in i.actuals)
    years.update(x.fiscal_year for i in indicators for x in i.grades)
    years.update(g.fiscal_year for a in actions for g in a.grades)
    return years


def focus_year(plan: Plan, actions: list[Action] | None = None) -> FocusYear:
    """The fiscal year a plan's status refers to (see :class:`FocusYear`). Without an evaluation date, the
    latest year of the period with recorded data in ``actions`` (None: none looked at), else the first year
    — never the first year's empty columns when a later year holds results."""
    if plan.evaluation_date is not None:
        fy = min(max(fiscal_year_of(plan.evaluation_date), plan.period_start), plan.period_end)
        return FocusYear(fy, FOCUS_EVALUATION_DATE)
    found = [y for y in data_years(plan, actions or []) if plan.period_start <= y <= plan.period_end]
    if found:
        return FocusYear(max(found), FOCUS_LATEST_DATA)
    return FocusYear(plan.period_start, FOCUS_NO_DATA)


def current_year(plan: Plan, actions: list[Action] | None = None) -> int:
    """The fiscal year of :func:`focus_year`: that of the evaluation date, clamped to the period; else the
    latest year with recorded data in ``actions``; else the plan's first year."""
    return focus_year(plan, actions).fiscal_year


def overview(plan: Plan, actions: list[Action], fiscal_year: int | None = None, index: PlanIndex | None = None) -> PlanOverview:
    """Actions and task rows per canonical state in one fiscal year (default :func:`current_year`)."""
    focus = FocusYear(fiscal_year, FOCUS_ASKED) if fiscal_year is not None else focus_year(plan, actions)
    fy = focus.fiscal_year
    index = index or PlanIndex(plan)
    acts = Counts()
    for a in actions:
        acts.add(action_state(plan, a, fy, index))
    return PlanOverview(PlanName.of(plan), fy, acts, status_table(plan, actions, fy, index=index).total, focus.reason)


@dataclass
class YearStatus:
    """One fiscal year of a plan's status: the table, the check against the plan's own summary table
    (None when none applies) and every printed column of that year (oldest first)."""

    table: StatusTable
    check: SnapshotCheck | None
    snapshots: list[StatusSnapshot]

    @property
    def fiscal_year(self) -> int:
        """The fiscal year of the table."""
        return self.table.fiscal_year

    @property
    def source_counts(self) -> list[Counts]:
        """The printed columns as :class:`Counts` (:func:`snapshot_counts`), in the order of ``snapshots``."""
        return [snapshot_counts(s) for s in self.snapshots]


# --------------------------------------------------------------------------- grades


@dataclass
class GradeCounts:
    """Grades entered in one fiscal year, counted like statuses (a published A/B/C/D split).

    ``grades`` maps each evaluating grade of the plan's scale (best first) to its count; ``apart``
    each grade the scale declares ``not_evaluated`` (評価できない, 対象外) to its count; ``not_graded``
    rows carry no grade that year and ``unknown`` rows a word the scale does not hold — ``apart``,
    ``not_graded`` and ``unknown`` are counted outside the shares, never dropped. ``key``/``label``
    name the group of a ``--by`` table.
    """

    grades: dict[str, int]
    not_graded: int = 0
    unknown: int = 0
    key: str = ""
    label: str | None = None
    apart: dict[str, int] = field(default_factory=dict)

    @property
    def graded(self) -> int:
        """Rows with a grade of the scale (the denominator of shares)."""
        return sum(self.grades.values())

    @property
    def rows(self) -> int:
        """Every row, graded or not."""
        return self.graded + self.not_evaluated + self.not_graded + self.unknown

    @property
    def not_evaluated(self) -> int:
        """Rows with a grade the scale declares ``not_evaluated`` (outside the shares)."""
        return sum(self.apart.values())

    def share(self, grade: str) -> float | None:
        """Share of ``grade`` in percent (0–100, unrounded) of the graded rows; None when none is graded."""
        return None if self.graded == 0 else self.grades[grade] / self.graded * 100

    def add(self, grade: str | None, scale) -> None:  # noqa: ANN001 - GradeScale
        """Count one row: under its grade (by word or alias), else as unknown or not graded."""
        if grade is None:
            self.not_graded += 1
        elif (g := scale.lookup(grade)) is not None:
            if g.not_evaluated:
                self.apart[g.grade] += 1
            else:
                self.grades[g.grade] += 1
        else:
            self.unknown += 1


@dataclass
class GradeTable:
    """Grade counts for one fiscal year: what is graded (``indicator``/``action``), the groups and the total."""

    fiscal_year: int
    applies_to: str
    by: str | None
    groups: list[GradeCounts]
    total: GradeCounts


def grade_rows(plan: Plan, action: Action, fiscal_year: int) -> list[str | None]:
    """The grades of one action's rows in ``fiscal_year`` (None = not graded).

    With ``grade_scale.applies_to: indicator`` one row per indicator of the action (every
    indicator counts in every fiscal year); with ``action`` one row for the action.
    """
    scale = plan.grade_scale
    if scale is None:
        return []
    if scale.applies_to == "action":
        g = action.grade_for(fiscal_year)
        return [g.grade if g else None]
    out = []
    for ind in action.all_indicators:
        g = ind.grade_for(fiscal_year)
        out.append(g.grade if g else None)
    return out


def grade_table(
    plan: Plan, actions: list[Action], fiscal_year: int, by: str | None = None, index: PlanIndex | None = None
) -> GradeTable | None:
    """Count the grades of ``fiscal_year``, optionally grouped ``by`` category, department or action.

    None when the plan declares no ``grade_scale``. By department, an action counts once for each
    owner (so groups may sum to more than the total); the total counts each row once.
    """
    scale = plan.grade_scale
    if scale is None:
        return None
    index = index or PlanIndex(plan)

    def fresh(key: str = "", label: str | None = None) -> GradeCounts:
        return GradeCounts({g.grade: 0 for g in scale.evaluated}, key=key, label=label, apart={g.grade: 0 for g in scale.apart})

    total = fresh()
    groups: dict[str, GradeCounts] = {}
    for action in actions:
        rows = grade_rows(plan, action, fiscal_year)
        keys: list[tuple[str, str | None]]
        if by == "action":
            keys = [(action.id, f"{action.id} {action.title}")]
        elif by == "category":
            ref = index.category(action.category)
            key = ref.node.id if ref else action.category
            keys = [(key, f"{key} {ref.node.name}" if ref else key)]
        elif by == "department":
            keys = []
            for owner in action.owners or [NO_DEPARTMENT]:
                d = index.department(owner) if owner != NO_DEPARTMENT else None
                keys.append((d.key, d.name) if d else (owner, None if owner == NO_DEPARTMENT else owner))
        else:
            keys = []
        for grade in rows:
            total.add(grade, scale)
            for key, label in keys:
                groups.setdefault(key, fresh(key, label)).add(grade, scale)
    return GradeTable(fiscal_year, scale.applies_to, by, [g for g in groups.values() if g.rows], total)


@dataclass
class StatusResult:
    """Everything ``dxplan status`` shows for one plan, computed once.

    ``state_words`` are the plan's words for the canonical states (its own, else
    docs/domain.md's); ``years`` one entry per fiscal year asked for; ``overview`` the
    plan's line in the combined view; ``grades`` the grade counts of the same years (none without
    a ``grade_scale``); ``effects`` the plan's effect sums (None when no action has effects).
    """

    plan: Plan
    state_words: dict[State, str]
    years: list[YearStatus]
    overview: PlanOverview
    grades: list[GradeTable] = field(default_factory=list)
    effects: EffectSummary | None = None


def status_result(
    plan: Plan, actions: list[Action], years: list[int] | None = None, by: str | None = None, index: PlanIndex | None = None
) -> StatusResult:
    """Tables per fiscal year (default: every year of the plan), grouped ``by`` (None, or one of
    :data:`BY_CHOICES`), with their snapshot checks and the overview. Raises ValueError for an unknown ``by``."""
    index = index or PlanIndex(plan)
    entries = [
        YearStatus(t, compare_snapshot(plan, t), snapshots_of(plan, t.fiscal_year))
        for t in tables_by_year(plan, actions, years, by, index)
    ]
    grades = [g for fy in (years or plan.fiscal_years) if (g := grade_table(plan, actions, fy, by, index)) is not None]
    effects = effect_summary(plan, actions, index)
    return StatusResult(
        plan, {s: index.state_word(s) for s in STATE_ORDER}, entries, overview(plan, actions, index=index),
        grades, None if effects.total.empty else effects,
    )


@dataclass
class PlanScores:
    """What ``dxplan score`` shows for one plan: its action scores (of ``--action`` only, when given),
    the grade split per fiscal year (a plan with a grade scale; else none), and whether ``--action``
    names no action of this plan (``missing``: nothing to show)."""

    plan: Plan
    scores: list[ActionScore]
    grades: list[GradeTable]
    missing: bool = False


@dataclass
class PlanIndicators:
    """What ``dxplan status --by indicator`` shows for one plan: every indicator's target, actual and
    rate (``rows``) in the fiscal year ``focus`` names, and why that year."""

    plan: Plan
    focus: FocusYear
    rows: list[IndicatorRow]
