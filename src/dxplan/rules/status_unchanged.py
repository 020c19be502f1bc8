"""A task row whose status, not done, has stayed the same over the plan's last evaluation dates in git.

Why: A row that reads 進捗中 evaluation after evaluation is either stuck or no longer looked at; either way the counts and rates built on it describe the past, and the reader cannot tell.

Fix: Update the row's status (and progress) to what the task has reached; if it really has not moved, say why in the row's note and accept the warning, or raise ``lint.unchanged_evaluations`` in plan.yaml.

Evaluation dates are the values of plan.yaml's ``evaluation_date`` over the git history of the plan folder: each run of consecutive commits with the same date is one evaluation, represented by its last commit (the figures it ended with, as the report's history does). The working tree counts as one more evaluation when its ``evaluation_date`` is newer than the last committed one. A row is the action's n-th task row of a fiscal year; it is unchanged when its status word and progress are the same at each of the last N evaluations (``lint.unchanged_evaluations`` in plan.yaml, default 3, at least 2; ``dxplan lint --unchanged-evaluations N`` overrides it) and in the working tree. Done is the plan's own state ``done`` (plan.yaml ``statuses``). Needs history: a plan folder outside a git repository, with fewer than N evaluation dates, or whose plan.yaml records no ``evaluation_date``, gets none. The finding is at the row's status in the working tree and names the evaluation (date and commit) since which the status has been the same.

Passing: commits with ``evaluation_date`` 2024-05-23, 2024-09-30 and 2025-02-10, the row of action 1 for 令和6年度 going 未着手 → 進捗中 → 進捗中.

Failing: the same three commits with the row at 進捗中 in each, reported at ``進捗中`` in actions/01.yaml, unchanged since 2024-05-23 and that commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable, Iterator

from dxplan.fiscal import FiscalYearText
from dxplan.i18n import N_
from dxplan.model.schema import State
from . import Finding

if TYPE_CHECKING:
    from dxplan.model.loaded import LoadedPlan

ID = "status-unchanged"
SEVERITY = "warning"
MESSAGE = N_(
    "action {action}, {year}: the status has been '{word}' (not done) at the last {count} evaluation dates, "
    "since {since} (commit {commit}); update it if the task has moved"
)

RowKey = tuple[str, int, int]
"""A task row across revisions: (action id, fiscal year, its ordinal among the action's rows of that year)."""


@dataclass(frozen=True)
class Evaluation:
    """One evaluation in the history: its last commit (full and short id), its evaluation date and its task rows
    (:func:`task_rows`); ``commit`` is None for the working tree."""

    commit: str | None
    short: str | None
    date: dt.date
    rows: dict[RowKey, tuple[str | None, Any]]


def task_rows(loaded: LoadedPlan) -> dict[RowKey, tuple[str | None, Any]]:
    """Every task row of ``loaded`` by :data:`RowKey`: (status word as written, progress percent 0–100 or None)."""
    rows: dict[RowKey, tuple[str | None, Any]] = {}
    for la in loaded.actions:
        seen: dict[int, int] = {}
        for task in la.action.tasks:
            n = seen[task.fiscal_year] = seen.get(task.fiscal_year, -1) + 1
            rows[(la.action.id, task.fiscal_year, n)] = (task.status, task.progress)
    return rows


def check_history(head: LoadedPlan, committed: Iterable[Evaluation], unchanged: int) -> Iterator[Finding]:
    """Rows of ``head`` (the working tree, loaded) whose status is the same at the last ``unchanged`` evaluations.

    ``committed``: the evaluations in git, newest first; read lazily and only as far back as a row
    still has the same value. The working tree is one more evaluation when its ``evaluation_date`` is
    later than the newest committed one; otherwise a row must have the newest one's value. Rows
    without a status, with a status the plan does not declare or whose state is done are skipped.
    Yields one :class:`Finding` per row, at its status, with ``since`` (date) and ``commit`` (the short id, else the
    full one) of the oldest evaluation of the run.
    """
    plan = head.plan
    if plan is None:
        return
    current = task_rows(head)
    places: dict[RowKey, tuple[Any, int]] = {}
    for la in head.actions:
        seen: dict[int, int] = {}
        for i, task in enumerate(la.action.tasks):
            n = seen[task.fiscal_year] = seen.get(task.fiscal_year, -1) + 1
            word = head.index.status(task.status) if task.status else None
            if word is not None and word.state is not State.done:
                places[(la.action.id, task.fiscal_year, n)] = (la.doc, i)
    if not places:
        return
    evaluations = iter(committed)
    newest = next(evaluations, None)
    if newest is None:
        return
    count = dict.fromkeys(places, 0)
    oldest: dict[RowKey, Evaluation] = {}
    if plan.evaluation_date is not None and plan.evaluation_date > newest.date:
        count = dict.fromkeys(places, 1)  # the working tree is an evaluation of its own
    running = set(places)
    point: Evaluation | None = newest
    while point is not None and running:
        for key in list(running):
            if point.rows.get(key) == current[key]:
                count[key] += 1
                oldest[key] = point
            else:
                running.discard(key)
        point = next(evaluations, None)
    for key, (doc, i) in places.items():
        if count[key] < unchanged or key not in oldest:
            continue
        since = oldest[key]
        yield Finding(doc, ("tasks", i, "status"), {
            "action": key[0], "year": FiscalYearText(key[1], plan.fiscal_year_style), "word": current[key][0],
            "count": count[key], "since": since.date, "commit": since.short or since.commit,
        })
