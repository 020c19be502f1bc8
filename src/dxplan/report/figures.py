"""The figures of one plan's report, computed once, before anything is worded or rendered.

:func:`report_figures` takes what the caller computed once — the loaded plan,
its scores (:func:`dxplan.score.actions.score_plan`), its lint problems
(:func:`dxplan.lint.engine.lint_plan`) and the generation date — and adds the status
results (:func:`dxplan.status.counts.status_result`), the tables by category and
department, the label distribution and the attention index. Pure: no I/O, no
clock, no display text. :mod:`dxplan.report.views` arranges the result for the
templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dxplan.status.counts import FOCUS_ASKED, NO_DEPARTMENT, Counts, FocusYear, StatusResult, StatusTable, focus_year, status_result, status_table
from dxplan.files.load import LoadedPlan
from dxplan.model.schema import STATE_ORDER, Action, Plan
from dxplan.model.index import PlanIndex
from dxplan.problems import Problem
from dxplan.score.rates import NO_SCALE_LABEL, ScoreState
from dxplan.score.actions import ActionScore, attention_labels, band_order
from dxplan.score.methods import scored_years
from dxplan.score.indicators import IndicatorScore, score_indicator


@dataclass
class LabelCount:
    """One bar of the label distribution: a label of the scale (or an unevaluated :class:`ScoreState`),
    how many actions carry it and their share in percent (0–100, unrounded) of all actions."""

    key: str | ScoreState
    count: int
    share: float


@dataclass
class Attention:
    """An action on the report's attention index, and why: ``low_label`` (evaluated with one of the plan's
    :func:`~dxplan.score.actions.attention_labels`), not evaluated or insufficient data (``score.state``), and/or lint ``problems``."""

    action: Action
    score: ActionScore
    low_label: bool
    problems: list[Problem]


@dataclass
class DepartmentAction:
    """One action on a department's page: ``owner`` (the department is among its owners), ``rows`` (its task rows
    naming the department, all years) and ``counts`` (those rows' states per focus year)."""

    action: Action
    owner: bool
    rows: int
    counts: dict[int, Counts]


@dataclass
class DepartmentFigures:
    """One department's page: ``key``/``name`` (the plan's department, or the text as written when the plan
    declares none), its actions in plan order, and its task rows' states per focus year (``counts``; joint rows
    count for each department they name, as in ``dxplan status --by department``)."""

    key: str
    name: str
    actions: list[DepartmentAction]
    counts: dict[int, Counts]


@dataclass
class ReportFigures:
    """Everything one plan's report shows, computed once.

    - ``actions``: every loaded action; ``sheets``: those that get a sheet (all, or the one asked for);
      ``full``: False when the report is one action's sheet.
    - ``year``: the fiscal year asked for (None: all); ``years``: the years of the status and task tables.
    - ``scores``: by action id. ``status``: the status result over ``years`` (no grouping).
    - ``focus_years``: the years with status rows (else the year asked for, else the current year);
      ``by_category`` / ``by_department``: their grouped tables (department tables only with groups);
      ``actions_per_category``: actions per leaf category id.
    - ``labels``: the label distribution, scale bands (highest first), then insufficient data, then not evaluated.
    - ``attention``: actions needing attention, in action order; ``low_labels``: the labels that do.
    - ``plan_problems`` / ``action_problems``: lint problems of the plan's own files / by action id.
    - ``scored_years``: the years the task rate averages over. ``generated``: the date given by the caller.
    - ``departments``: one entry per department with actions (:func:`department_figures`).
    - ``has_results``: any task carries a status or result, or any action a summary evaluation, a
      measurement, an indicator actual or an entered grade; without, not-evaluated actions are left off the
      attention index (nothing is evaluated yet).
    - ``focus``: the fiscal year the plan's status refers to and why (:func:`dxplan.status.counts.focus_year`).
    - ``plan_indicators``: the plan-level indicators (飯塚市's 成果指標), scored once, each followed by its series.
    """

    plan: Plan
    index: PlanIndex
    actions: list[Action]
    sheets: list[Action]
    full: bool
    year: int | None
    years: list[int]
    scores: dict[str, ActionScore]
    status: StatusResult
    focus_years: list[int]
    by_category: list[StatusTable]
    by_department: list[StatusTable]
    actions_per_category: dict[str, int]
    labels: list[LabelCount]
    low_labels: list[str]
    attention: list[Attention]
    plan_problems: list[Problem]
    action_problems: dict[str, list[Problem]]
    scored_years: list[int]
    generated: dt.date
    departments: list[DepartmentFigures]
    has_results: bool
    focus: FocusYear
    plan_indicators: list[IndicatorScore]


def label_distribution(plan: Plan, scores: list[ActionScore]) -> list[LabelCount]:
    """Actions per label of the plan's scale (highest band first), then insufficient data, then not evaluated.

    A plan that declares no percent scale has one bar ``ScoreState.no_scale`` first instead of the bands: the
    actions with a rate and no scale to label it (never a borrowed label).
    """
    n = len(scores)
    counts: list[tuple[str | ScoreState, int]] = [
        (lab, sum(1 for s in scores if s.state is ScoreState.evaluated and s.label == lab)) for lab in band_order(plan.rating_scale)
    ]
    if not plan.rating_scale:
        counts.append((ScoreState.no_scale, sum(1 for s in scores if s.state is ScoreState.evaluated and s.label == NO_SCALE_LABEL)))
    counts += [(st, sum(1 for s in scores if s.state is st)) for st in (ScoreState.insufficient_data, ScoreState.not_evaluated)]
    return [LabelCount(key, count, count / n * 100 if n else 0.0) for key, count in counts]


def actions_per_category(index: PlanIndex, actions: list[Action]) -> dict[str, int]:
    """Number of actions per leaf category id (an action counts under its own ``category`` only, not 再掲)."""
    out: dict[str, int] = {}
    for a in actions:
        ref = index.category(a.category)
        key = ref.node.id if ref else a.category
        out[key] = out.get(key, 0) + 1
    return out


def has_results(actions: list[Action], plan: Plan | None = None) -> bool:
    """True when any task carries a status or a result, any action a summary evaluation or a target measurement,
    or any indicator (the actions', and ``plan``'s when given) an actual or an entered grade, or any action a grade."""
    return any(
        t.status or t.result for a in actions for t in a.tasks
    ) or any(a.summary_evaluation is not None or (a.target is not None and a.target.measurements) or a.grades for a in actions) or any(
        i.actuals or i.grades for i in [*(plan.indicators if plan else []), *(i for a in actions for i in a.all_indicators)]
    )


def department_figures(plan: Plan, index: PlanIndex, actions: list[Action], focus: list[int]) -> list[DepartmentFigures]:
    """The departments with actions, in the plan's department order (then as first written).

    An action belongs to a department when one of its ``owners`` or one of its task rows names it (a joint
    cell or a declared group names each member). A name the plan does not declare stands for itself.
    """
    def keys_of(written: str | None) -> list[tuple[str, str]]:
        if not written:
            return []
        found = index.departments(written)
        return [(d.key, d.name) for d in found] if found else [(written, written)]

    names: dict[str, str] = {d.key: d.name for d in plan.departments if d.kind != "division"}
    order = list(names)
    per: dict[str, list[DepartmentAction]] = {}
    for a in actions:
        owners = [k for w in a.owners for k, _ in keys_of(w)]
        rows: dict[str, int] = {}
        for task in a.tasks:
            for k, name in keys_of(task.department):
                rows[k] = rows.get(k, 0) + 1
                names.setdefault(k, name)
        for w in a.owners:
            for k, name in keys_of(w):
                names.setdefault(k, name)
        tables = {fy: {g.key: g for g in status_table(plan, [a], fy, "department", index).groups} for fy in focus}
        for k in dict.fromkeys([*owners, *rows]):
            if k not in order:
                order.append(k)
            counts = {fy: tables[fy].get(k, Counts()) for fy in focus}
            per.setdefault(k, []).append(DepartmentAction(a, k in owners, rows.get(k, 0), counts))
    out = []
    for k in order:
        if k not in per or k == NO_DEPARTMENT:
            continue
        totals = {}
        for fy in focus:
            c = Counts()
            for da in per[k]:
                for s in STATE_ORDER:
                    c.states[s] += da.counts[fy].states[s]
                c.no_status += da.counts[fy].no_status
                c.unknown += da.counts[fy].unknown
            totals[fy] = c
        out.append(DepartmentFigures(k, names[k], per[k], totals))
    return out


def report_figures(
    loaded: LoadedPlan,
    scores: list[ActionScore],
    problems: list[Problem],
    *,
    generated: dt.date,
    year: int | None = None,
    action_id: str | None = None,
) -> ReportFigures:
    """The figures of ``loaded``'s report.

    ``scores``: one per loaded action (any order); ``problems``: the plan's lint
    problems, split here by action file; ``generated``: the date printed as the
    report's date. ``year`` limits the status sections and task tables to one
    fiscal year; ``action_id`` limits the sheets to that action (leading zeros
    ignored, :meth:`LoadedPlan.find_action`). Raises ValueError when
    ``loaded.plan`` is None or ``action_id`` names no action.
    """
    plan = loaded.plan
    if plan is None:
        raise ValueError(f"{loaded.root}: plan.yaml did not load")
    index = loaded.index
    actions = [la.action for la in loaded.actions]
    by_id = {s.action_id: s for s in scores}
    if action_id is not None:
        found = loaded.find_action(action_id)
        if found is None:
            raise ValueError(f"{plan.id}: no action {action_id}")
        sheets = [found.action]
    else:
        sheets = actions

    path_to_action = {la.doc.path.resolve(): la.action.id for la in loaded.actions}
    action_problems: dict[str, list[Problem]] = {}
    plan_problems: list[Problem] = []
    for p in problems:
        aid = path_to_action.get(Path(p.path).resolve())
        if aid is None:
            plan_problems.append(p)
        else:
            action_problems.setdefault(aid, []).append(p)

    years = [year] if year is not None else plan.fiscal_years
    status = status_result(plan, actions, years, None, index)
    current = FocusYear(year, FOCUS_ASKED) if year is not None else focus_year(plan, actions)
    focus = [y.fiscal_year for y in status.years if y.table.total.with_status] or [current.fiscal_year]
    by_category = [status_table(plan, actions, fy, "category", index) for fy in focus]
    by_department = [t for t in (status_table(plan, actions, fy, "department", index) for fy in focus) if t.groups]

    low = attention_labels(plan.rating_scale)
    results = has_results(actions, plan)
    attention = []
    for a in actions:
        s = by_id[a.id]
        low_label = s.state is ScoreState.evaluated and s.label in low
        found_problems = action_problems.get(a.id, [])
        unevaluated = s.state is ScoreState.insufficient_data or (s.state is ScoreState.not_evaluated and results)
        if low_label or unevaluated or found_problems:
            attention.append(Attention(a, s, low_label, found_problems))

    return ReportFigures(
        plan=plan,
        index=index,
        actions=actions,
        sheets=sheets,
        full=action_id is None,
        year=year,
        years=years,
        scores=by_id,
        status=status,
        focus_years=focus,
        by_category=by_category,
        by_department=by_department,
        actions_per_category=actions_per_category(index, actions),
        labels=label_distribution(plan, [by_id[a.id] for a in actions]),
        low_labels=low,
        attention=attention,
        plan_problems=plan_problems,
        action_problems=action_problems,
        scored_years=scored_years(plan),
        generated=generated,
        departments=department_figures(plan, index, actions, focus),
        has_results=results,
        focus=current,
        plan_indicators=[score_indicator(x, plan) for i in plan.indicators for x in (i, *i.series_indicators())],
    )
