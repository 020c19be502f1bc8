"""What a report shows of a plan's history, computed once: the columns over time, the movement since the
previous date, each action's statuses over the dates and the comparison with the plan's own summary table.

The commits come from :func:`dxplan.status.history.build_history` (every commit
that changed the plan folder, oldest first; counts per canonical state of the task rows of each commit's
fiscal year, shares in percent 0–100 of the rows that carry a status); a report keeps one per evaluation date. Everything here is pure
arithmetic on those columns except :func:`report_history`, the one entry point that reads git.

- **Movement** (:class:`Movement`): the latest column against the one before it: per state the difference
  in task rows (``after − before``), the difference in rows without a status, and the actions whose state
  (:func:`dxplan.status.counts.action_state`) changed, in plan order.
- **Action rows** (:attr:`ReportHistory.actions`): per action id, its :class:`~dxplan.status.history.ActionAt` at
  every column (None where the action did not exist yet).
- **Source check** (:class:`SourceColumnCheck`): each column of the plan's typed ``status_snapshots`` (the
  source's own table, as the latest commit holds it) beside the history column of the same date and fiscal
  year: ``agrees``, ``differs`` (with the differing counts) or ``no_column`` (history has no column that day).

A report's columns are the plan's evaluation dates (:func:`evaluation_columns`): for each run of commits with
the same ``evaluation_date``, the last one (the figures that evaluation ended with); commits that only edit texts
or data under the same evaluation date add no column, and commits of a plan that records no evaluation date
give none. A report shows the history only where there is some: at least two evaluation dates
(:attr:`ReportHistory.shown`). Not a git repository, or a plan folder git does not track → None. A shallow
clone is no failure: ``shallow`` is set and the report says so in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from dxplan.files import gitio
from dxplan.status.history import ActionAt, HistoryPoint, build_history, commit_on_or_before, parse_day
from dxplan.model.schema import STATE_ORDER, Plan, State, StatusSnapshot


@dataclass(frozen=True)
class ActionChange:
    """One action whose state changed between two columns (None: no task row of that year carries a status)."""

    action_id: str
    before: State | None
    after: State | None


@dataclass
class Movement:
    """The latest column against the previous one: ``deltas`` per state (task rows, ``after − before``),
    ``no_status`` (the difference in rows without a status or with an undeclared word) and the ``changed``
    actions in plan order. ``same_year``: both columns count the same fiscal year (else the differences
    compare two different years, and a report says so)."""

    before: HistoryPoint
    after: HistoryPoint
    deltas: dict[State, int]
    no_status: int
    changed: list[ActionChange]

    @property
    def same_year(self) -> bool:
        """True when both columns count the same fiscal year."""
        return self.before.fiscal_year == self.after.fiscal_year


@dataclass(frozen=True)
class SourceColumnCheck:
    """A column of the plan's own summary table beside history's column of the same date and fiscal year.

    ``outcome``: ``agrees``, ``differs`` or ``no_column``; ``differences``: per state value (or ``total``)
    (printed, computed) where they differ; ``point``: the history column compared (None for ``no_column``).
    """

    snapshot: StatusSnapshot
    outcome: str
    point: HistoryPoint | None = None
    differences: dict[str, tuple[int | None, int]] = field(default_factory=dict)


@dataclass
class ReportHistory:
    """A plan's history as a report shows it.

    ``points``: the columns, oldest first; ``shallow``: the repository is a shallow clone (older commits are
    missing); ``movement``: the latest column against the previous one (None with fewer than two columns);
    ``actions``: per action id (the latest column's plan order, then actions that exist only earlier), its
    state and words at each column; ``checks``: the plan's own summary columns compared with history.
    """

    points: list[HistoryPoint]
    shallow: bool
    movement: Movement | None
    actions: dict[str, list[ActionAt | None]]
    checks: list[SourceColumnCheck]

    @property
    def shown(self) -> bool:
        """True when there is history to show: at least two columns."""
        return len(self.points) >= 2


def movement(before: HistoryPoint, after: HistoryPoint) -> Movement:
    """The differences from ``before`` to ``after`` (see :class:`Movement`); actions in ``after``'s order, then removed ones."""
    deltas = {s: after.counts.states[s] - before.counts.states[s] for s in STATE_ORDER}
    no_status = after.counts.without - before.counts.without
    changed = []
    for aid in dict.fromkeys([*after.actions, *before.actions]):
        was, now = before.actions.get(aid), after.actions.get(aid)
        old_state = was.state if was else None
        new_state = now.state if now else None
        if old_state != new_state:
            changed.append(ActionChange(aid, old_state, new_state))
    return Movement(before, after, deltas, no_status, changed)


def action_rows(points: list[HistoryPoint]) -> dict[str, list[ActionAt | None]]:
    """Per action id, its :class:`ActionAt` at each column (None where it is missing), latest column's order first."""
    ids = dict.fromkeys(aid for p in reversed(points) for aid in p.actions)
    return {aid: [p.actions.get(aid) for p in points] for aid in ids}


def source_checks(plan: Plan | None, points: list[HistoryPoint]) -> list[SourceColumnCheck]:
    """Each of ``plan``'s ``status_snapshots`` (oldest first) against the history column of the same date and year.

    Where several columns fall on that date, the last one counts (the state the day ended with).
    """
    if plan is None:
        return []
    out = []
    for snap in sorted(plan.status_snapshots, key=lambda s: (s.date, s.fiscal_year)):
        same = [p for p in points if p.date == snap.date and p.fiscal_year == snap.fiscal_year]
        if not same:
            out.append(SourceColumnCheck(snap, "no_column"))
            continue
        point = same[-1]
        diffs = replace(point, snapshot=snap).snapshot_differences
        out.append(SourceColumnCheck(snap, "differs" if diffs else "agrees", point, diffs))
    return out


def evaluation_columns(points: list[HistoryPoint]) -> list[HistoryPoint]:
    """One column per evaluation: each run of consecutive commits with the same ``evaluation_date`` gives its last
    commit (the figures that evaluation ended with), dated with that evaluation date. Commits whose plan records
    no evaluation date give no column. Oldest first."""
    runs: list[list[HistoryPoint]] = []
    for p in points:
        if p.evaluation_date is None:
            continue
        if runs and runs[-1][-1].evaluation_date == p.evaluation_date:
            runs[-1].append(p)
        else:
            runs.append([p])
    columns: list[HistoryPoint] = []
    for run in runs:
        last = run[-1]
        assert last.evaluation_date is not None, "runs hold points with an evaluation date only"
        columns.append(replace(last, date=last.evaluation_date, date_source="evaluation_date"))
    return columns


def figures_of(points: list[HistoryPoint], plan: Plan | None, shallow: bool) -> ReportHistory:
    """The report's history from the columns of :func:`dxplan.status.history.build_history` (pure): one column per evaluation
    date (:func:`evaluation_columns`), the movement, the action rows and the source check."""
    points = evaluation_columns(points)
    move = movement(points[-2], points[-1]) if len(points) >= 2 else None
    return ReportHistory(points, shallow, move, action_rows(points), source_checks(plan, points))


def report_history(root: Path, as_of: str | None = None) -> ReportHistory | None:
    """The history of the plan folder ``root`` for its report, or None where there is none to read.

    None when ``root`` is not in a git repository, git cannot read it, or no commit changed it. ``as_of``
    (a revision or ``YYYY-MM-DD``, as ``dxplan report --as-of``) reads the history up to that commit.
    The caller shows the section only when :attr:`ReportHistory.shown`; a shallow clone is reported, not refused.
    """
    try:
        repo = gitio.repo_root(root)
        rel = root.resolve().relative_to(repo.resolve()).as_posix()
        rev = "HEAD"
        if as_of is not None:
            day = parse_day(as_of)
            found = commit_on_or_before(repo, day) if day is not None else gitio.resolve(as_of, repo)
            if found is None:
                return None
            rev = found
        history = build_history(repo, "" if rel == "." else rel, rev=rev)
    except (gitio.GitError, ValueError, OSError):
        return None
    if not history.points:
        return None
    return figures_of(history.points, history.plan, history.shallow)

