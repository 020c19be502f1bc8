"""A task row of a fiscal year that ended before the plan's evaluation date, with a status that does not mean done and no note saying why.

Why: When a year is over its task is either done or carried over for a reason; a row left at 進捗中 or 未着手 with nothing said looks forgotten, and the report cannot tell a delay from a stale row.

Fix: Write the final status of that year (the plan's word for done, e.g. 完了), or the reason the task was not finished in the row's note (``note``, its 備考).

A fiscal year is over when its last day (31 March of the next calendar year) is before ``evaluation_date`` in plan.yaml (no clock is read; plans without an evaluation date are not checked). Done is the state the plan's own status words map to ``done`` (plan.yaml ``statuses``), never a fixed word. Rows without a status are reported by ``status-missing`` instead; rows with a status the plan does not declare by ``unknown-status``. The finding is at the row's status.

Passing: with ``evaluation_date: 2025-06-30`` in plan.yaml, ``tasks: [{fiscal_year: 令和6年度, status: 完了}, {fiscal_year: 令和6年度, status: 進捗中, note: 入札不調のため令和7年度に繰越}, {fiscal_year: 令和7年度, status: 進捗中}]`` (令和7年度 is not over).

Failing: the same plan with ``tasks: [{fiscal_year: 令和6年度, status: 進捗中}]``, reported at ``進捗中``.
"""

from __future__ import annotations

from dxplan.fiscal import FiscalYearText, fiscal_year_end
from dxplan.i18n import N_
from dxplan.model.schema import State
from . import Finding, iter_tasks
from .status_missing import year_is_past

ID = "task-overdue"
SEVERITY = "warning"
MESSAGE = N_(
    "action {action}: {year} ended on {end}, before the evaluation date {date}, and this task is still '{word}' (not done) "
    "with no note; write its final status, or the reason in the row's note"
)


def check(ctx):
    plan = ctx.plan
    when = plan.evaluation_date
    if when is None:
        return
    for doc, i, task, action in iter_tasks(ctx):
        if task.status is None or task.note or not year_is_past(task.fiscal_year, when):
            continue
        word = ctx.index.status(task.status)
        if word is None or word.state is State.done:
            continue
        yield Finding(doc, ("tasks", i, "status"), {
            "action": action.id, "year": FiscalYearText(task.fiscal_year, plan.fiscal_year_style),
            "end": fiscal_year_end(task.fiscal_year), "date": when, "word": task.status,
        })
