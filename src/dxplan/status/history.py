"""Progress over time from git: status counts at each commit that changed a plan (000's summary table).

000's first page counts the task rows per status at four dates (令和6年5月23日 … 令和7年2月10日).
With the plan in git, those columns come from history instead of being typed: for every commit
that changed the plan folder (``git log -- <plan>``), or for chosen revisions or dates, the plan is
loaded as it was then and its task rows are counted per canonical state
(:func:`dxplan.status.counts.status_table`), with shares in percent (0–100) of the rows that carry a
status, and the actions counted per label of the plan's rating scale.

A column's date is the plan's ``evaluation_date`` at that commit when the commit changed it
(the date the results describe), otherwise the commit's committer date. The fiscal year counted
is ``--year`` when given, else the one containing that plan's evaluation date
(:func:`dxplan.status.counts.current_year`). Where the plan's own ``status_snapshots`` have a column
for the same date and year, it is compared with the computed counts.

Every git call goes through :mod:`dxplan.files.gitio`; failures raise :class:`dxplan.files.gitio.GitError`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from dxplan.files import gitio
from .counts import Counts
from .states import NOT_EVALUATED, ActionAt, PlanStates, StateKey, StateStats, actions_at, count_grades, count_states
from dxplan.i18n import N_, Text
from dxplan.files.load import LoadedPlan
from dxplan.model.schema import STATE_ORDER, Plan, StatusSnapshot

__all__ = [
    "NOT_EVALUATED", "ActionAt", "HistoryPoint", "History", "load_at", "count_states", "count_grades", "actions_at",
    "plan_commits", "plan_log", "commit_on_or_before", "parse_day", "build_history", "plans_as_of",
]


@dataclass
class HistoryPoint:
    """One column: the commit, its date and where the date came from, the fiscal year and the counts.

    ``date_source`` is ``evaluation_date``, ``commit`` or ``asked`` (a date given with ``--at``).
    ``grades``: actions per rating label (``未評価`` for actions without a rate), in scale order.
    ``snapshot``: the plan's own summary column for the same date and year, when it has one.
    ``actions``: each action (by id) at this commit (:class:`ActionAt`), for the per-action rows of a report;
    ``evaluation_date``: the plan's evaluation date at this commit (None when it records none).
    """

    commit: str
    short: str
    date: dt.date
    date_source: str
    subject: str
    fiscal_year: int
    counts: Counts
    grades: dict[str, int]
    snapshot: StatusSnapshot | None = None
    problems: int = 0
    actions: dict[str, ActionAt] = field(default_factory=dict)
    evaluation_date: dt.date | None = None

    @property
    def snapshot_differences(self) -> dict[str, tuple[int | None, int]]:
        """Per state (and ``total``): (printed, computed) where the plan's own column disagrees."""
        if self.snapshot is None:
            return {}
        diffs = {}
        for state in STATE_ORDER:
            printed = getattr(self.snapshot.counts, state.value)
            if printed is not None and printed != self.counts.states[state]:
                diffs[state.value] = (printed, self.counts.states[state])
        total = self.snapshot.counts.total
        if total is not None and total != self.counts.with_status:
            diffs["total"] = (total, self.counts.with_status)
        return diffs


@dataclass
class History:
    """The columns of one plan over time, oldest first, and what limits them (shallow clone).

    ``stats``: how the plan states behind the columns were answered (:class:`dxplan.status.states.StateStats`)."""

    root: str
    plan: Plan | None
    points: list[HistoryPoint] = field(default_factory=list)
    shallow: bool = False
    notes: list[Text] = field(default_factory=list)
    stats: StateStats = field(default_factory=StateStats)


def load_at(repo: Path, commit: str, rel: str) -> LoadedPlan:
    """The plan folder ``rel`` (repository-relative) as it was at ``commit``: the one place history loads a revision."""
    from dxplan.files.load import GitSource, load_plan

    return load_plan(GitSource(repo, commit, rel))


def plan_commits(repo: Path, rel: str, rev: str = "HEAD") -> list[tuple[str, dt.datetime, str]]:
    """``(commit, committer date, subject)`` of every commit reachable from ``rev`` that changed ``rel``, oldest first."""
    out = gitio.run_git(["log", "-z", "--format=%H%x1f%cI%x1f%s", "--end-of-options", rev, "--", rel or "."], repo).stdout
    result = []
    for record in out.decode("utf-8", "replace").split("\0"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) == 3:
            result.append((parts[0], dt.datetime.fromisoformat(parts[1]), parts[2]))
    return list(reversed(result))


def commit_on_or_before(repo: Path, day: dt.date, rev: str = "HEAD") -> str | None:
    """The last commit reachable from ``rev`` committed on or before ``day`` (end of day, local time), or None."""
    out = gitio.run_git(["rev-list", "-1", f"--before={day.isoformat()} 23:59:59", "--end-of-options", rev], repo).stdout.decode().strip()
    return out or None


def parse_day(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date, or None when ``text`` is not one (then it is a revision)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _point(states: PlanStates, commit: str, listing: dict[str, str], when: dt.datetime, subject: str,
           previous_eval: dt.date | None, asked: dt.date | None, key: StateKey | None = None) -> tuple[HistoryPoint | None, dt.date | None]:
    """The column of ``commit`` (its plan folder's files ``listing``, state ``key`` when known) and the evaluation
    date the next column compares with."""
    fig = states.figures(listing, commit, key)
    if fig is None:
        return None, previous_eval
    if asked is not None:
        date, source = asked, "asked"
    elif fig.evaluation_date is not None and fig.evaluation_date != previous_eval:
        date, source = fig.evaluation_date, "evaluation_date"
    else:
        date, source = when.date(), "commit"
    fy = fig.fiscal_year
    snapshot = None
    if (date, fy) in fig.snapshots:  # the plan's own column of that date and year: read from plan.yaml
        plan = states.plan(listing, commit)
        assert plan is not None, "the figures come from this plan.yaml"
        snapshot = plan.status_snapshots[fig.snapshots.index((date, fy))]
    point = HistoryPoint(commit, commit[:7], date, source, subject, fy, fig.counts, fig.grades, snapshot, fig.problems,
                         fig.actions, fig.evaluation_date)
    return point, fig.evaluation_date


def plan_log(repo: Path, rel: str, rev: str = "HEAD") -> list[tuple[str, str, dt.datetime, str]]:
    """``(commit, root tree, committer date, subject)`` of every commit reachable from ``rev`` that changed ``rel``,
    oldest first (the commits of :func:`plan_commits`, with the tree each one has)."""
    out = gitio.run_git(["log", "-z", "--format=%H%x1f%T%x1f%cI%x1f%s", "--end-of-options", rev, "--", rel or "."], repo).stdout
    result = []
    for record in out.decode("utf-8", "replace").split("\0"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) == 4:
            result.append((parts[0], parts[1], dt.datetime.fromisoformat(parts[2]), parts[3]))
    return list(reversed(result))


def build_history(
    repo: Path, rel: str, *, since: dt.date | None = None, until: dt.date | None = None,
    at: list[str] | None = None, year: int | None = None, rev: str = "HEAD",
) -> History:
    """The history of plan folder ``rel`` in ``repo``: a column per commit that changed it, or per ``at`` entry.

    ``at``: revisions or ``YYYY-MM-DD`` dates (the plan as of the last commit on or before that day).
    ``since``/``until`` keep the columns dated within them (inclusive). ``year``: the fiscal year
    to count (default: each column's current year). ``rev``: the revision whose history is read (default
    ``HEAD``; a report ``--as-of`` a revision reads the history up to it). Raises :class:`dxplan.files.gitio.GitError` for an
    unknown revision (naming what to fetch) or when git fails.

    Each commit's figures are those of its plan state (:mod:`dxplan.status.states`): computed once per
    distinct set of files, and kept in the results cache by their blob ids (``History.stats`` says how
    many were computed).
    """
    history = History(rel, None, shallow=gitio.is_shallow(repo))
    listings: dict[str, dict[str, str]] = {}
    with PlanStates(repo, rel, year) as states:
        history.stats = states.stats
        if at:
            for item in at:
                day = parse_day(item)
                if day is not None:
                    commit = commit_on_or_before(repo, day)
                    if commit is None:
                        history.notes.append(Text("no commit on or before {date}: left out", date=item))
                        continue
                else:
                    commit = gitio.resolve(item, repo)
                info = gitio.run_git(["log", "-1", "--format=%cI%x1f%s", commit], repo).stdout.decode().strip().split("\x1f")
                parent = _last_plan_commit(repo, rel, f"{commit}^") if _has_parent(repo, commit) else None
                prev = states.figures(gitio.ls_tree(parent, rel, repo), parent) if parent else None
                listings[commit] = gitio.ls_tree(commit, rel, repo)
                point, _ = _point(states, commit, listings[commit], dt.datetime.fromisoformat(info[0]), info[1],
                                  prev.evaluation_date if prev else None, day)
                if point is not None:
                    history.points.append(point)
        else:
            log = plan_log(repo, rel, rev)
            found = list(gitio.tree_listings([tree for _, tree, _, _ in log], rel, repo))
            keys = states.prepare(found)
            previous = None
            for (commit, _, when, subject), listing, key in zip(log, found, keys, strict=True):
                listings[commit] = listing
                point, previous = _point(states, commit, listing, when, subject, previous, None, key)
                if point is not None:
                    history.points.append(point)
            if not history.points:
                history.notes.append(Text("no commit in this repository changed {root}", root=rel or "."))
        history.points = [p for p in history.points if (since is None or p.date >= since) and (until is None or p.date <= until)]
        if history.points:  # the newest commit (or the last --at): the plan as it stands
            history.plan = states.plan(listings[history.points[-1].commit], history.points[-1].commit)
    history.points.sort(key=lambda p: p.date)  # columns in date order; commits of one day in commit order
    if history.shallow:
        history.notes.append(Text(
            "this is a shallow clone: commits before the oldest one here are missing from the table; "
            "fetch them with git fetch --unshallow (GitHub Actions: fetch-depth: 0 on actions/checkout)"))
    return history


def _has_parent(repo: Path, commit: str) -> bool:
    return gitio.run_git(["rev-parse", "--verify", "--quiet", f"{commit}^"], repo, check=False).returncode == 0


def _last_plan_commit(repo: Path, rel: str, rev: str) -> str | None:
    """The newest commit reachable from ``rev`` that changed ``rel`` (the last of :func:`plan_commits`), or None."""
    out = gitio.run_git(["log", "-1", "--format=%H", "--end-of-options", rev, "--", rel or "."], repo).stdout.decode().strip()
    return out or None


def plans_as_of(paths: list[Path], when: str) -> list[LoadedPlan]:
    """The plans under ``paths`` as they stood at ``when``: a revision, or a ``YYYY-MM-DD`` date (the last commit on or before it).

    Raises :class:`dxplan.files.load.PlanNotFound` for a path that is no plan, :class:`dxplan.files.gitio.GitError`
    when the paths are not in a git repository, the revision is unknown (saying what to fetch) or
    no commit is that old.
    """
    from dxplan.files.layout import discover

    plans = []
    for root, _ in discover(paths):
        repo = gitio.repo_root(root)
        day = parse_day(when)
        commit: str | None
        if day is None:
            commit = gitio.resolve(when, repo)
        else:
            commit = commit_on_or_before(repo, day)
            if commit is None:
                hint = gitio.fetch_hint("HEAD~1", repo) if gitio.is_shallow(repo) else ""
                raise gitio.GitError(N_("no commit on or before {when}. {hint}"), {"when": when, "hint": hint})
        rel = root.resolve().relative_to(repo).as_posix()
        plans.append(load_at(repo, commit, "" if rel == "." else rel))
    return plans
