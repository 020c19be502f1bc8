"""Status counts (000's summary table made reproducible). Pure functions, no I/O.

Per fiscal year, the number of task rows in each canonical state and its share.
Shares are percents (0–100) of the rows that carry a status; rows without one
(``no_status``) and rows whose word the plan does not declare (``unknown``) are
counted and shown apart, never dropped (DOMAIN.md, rule 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .fiscal import fiscal_year_of
from .model import STATE_ORDER, Action, Plan, State, StatusSnapshot
from .planindex import PlanIndex

BY_CHOICES = ("category", "department", "action")


@dataclass
class Counts:
    """Task rows of one group: per state, without status, with an undeclared word."""

    key: str
    label: str
    states: dict[State, int] = field(default_factory=lambda: {s: 0 for s in STATE_ORDER})
    no_status: int = 0
    unknown: int = 0

    @property
    def with_status(self) -> int:
        """Rows that carry a declared status word (the denominator of shares)."""
        return sum(self.states.values())

    @property
    def rows(self) -> int:
        """All rows, with or without a status."""
        return self.with_status + self.no_status + self.unknown

    def share(self, state: State) -> float | None:
        """Share of ``state`` in percent (0–100) of the rows with a status; None when there are none."""
        return None if self.with_status == 0 else self.states[state] / self.with_status * 100

    def add(self, other_state: State | None, unknown: bool = False) -> None:
        if other_state is not None:
            self.states[other_state] += 1
        elif unknown:
            self.unknown += 1
        else:
            self.no_status += 1


def share_text(value: float | None) -> str:
    """A share as 000 prints it: two decimals, e.g. ``50.99%``; ``—`` when undefined."""
    if value is None:
        return "—"
    return f"{Decimal(repr(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@dataclass
class StatusTable:
    """Counts for one fiscal year: the groups (one for the whole plan without ``by``) and their total."""

    fiscal_year: int
    by: str | None
    groups: list[Counts]
    total: Counts
    note: str | None = None


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
    total always counts each row once. ``index``: the plan's look-ups, when the
    caller has them already. Raises ValueError for an unknown ``by``.
    """
    if by is not None and by not in BY_CHOICES:
        raise ValueError(f"by must be one of {BY_CHOICES}")
    index = index or PlanIndex(plan)
    total = Counts("total", "合計")
    groups: dict[str, Counts] = {}
    if by == "category":
        for ref in index.category_nodes():
            if not ref.node.children:
                groups[ref.node.id] = Counts(ref.node.id, f"{ref.node.id} {ref.node.name}")
    elif by == "department":
        for d in plan.departments:
            if d.kind != "division":
                groups[d.key] = Counts(d.key, d.name)

    def group(key: str, label: str) -> Counts:
        if key not in groups:
            groups[key] = Counts(key, label)
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
                    group("(none)", "（担当課なし）").add(state, unknown)
                elif depts is None:
                    group(task.department, task.department).add(state, unknown)
                else:
                    for d in depts:
                        group(d.key, d.name).add(state, unknown)
    listed = [g for g in groups.values() if g.rows] if by == "department" else list(groups.values())
    note = "共同担当の行は各課に数えます / joint rows count for each department" if by == "department" else None
    return StatusTable(fiscal_year, by, listed, total, note)


def tables_by_year(plan: Plan, actions: list[Action], years: list[int] | None = None, by: str | None = None) -> list[StatusTable]:
    """One :func:`status_table` per fiscal year (default: every year of the plan)."""
    index = PlanIndex(plan)
    return [status_table(plan, actions, fy, by, index) for fy in (years or plan.fiscal_years)]


@dataclass
class SnapshotCheck:
    """The computed counts beside a snapshot the plan's source printed, and whether they agree."""

    snapshot: StatusSnapshot
    differences: dict[str, tuple[int | None, int]]

    @property
    def matches(self) -> bool:
        return not self.differences


def compare_snapshot(plan: Plan, table: StatusTable) -> SnapshotCheck | None:
    """Compare a year's computed counts with the plan's own summary table for that year.

    The snapshot used is the latest one of that fiscal year dated on or before the
    plan's evaluation date (Kama: 令和7年3月末進捗見込, 2025-02-10). ``total`` is
    compared with the rows that carry a status. None when no snapshot applies.
    """
    candidates = [
        s for s in plan.status_snapshots
        if s.fiscal_year == table.fiscal_year and (plan.evaluation_date is None or s.date <= plan.evaluation_date)
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


@dataclass
class PlanOverview:
    """One plan's line in the combined view: actions and task rows per state for its current year."""

    plan: Plan
    fiscal_year: int
    actions: Counts
    rows: Counts


def current_year(plan: Plan) -> int:
    """The fiscal year a plan's status refers to: that of its evaluation date, clamped to the period; else its first year."""
    if plan.evaluation_date is None:
        return plan.period_start
    return min(max(fiscal_year_of(plan.evaluation_date), plan.period_start), plan.period_end)


def overview(plan: Plan, actions: list[Action], fiscal_year: int | None = None) -> PlanOverview:
    """Actions and task rows per canonical state in one fiscal year; "not evaluated" kept apart (no_status)."""
    fy = fiscal_year if fiscal_year is not None else current_year(plan)
    index = PlanIndex(plan)
    acts = Counts(plan.id, plan.municipality)
    for a in actions:
        acts.add(action_state(plan, a, fy, index))
    return PlanOverview(plan, fy, acts, status_table(plan, actions, fy, index=index).total)
