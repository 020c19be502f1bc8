"""An action with task rows for a fiscal year that ended before the plan's evaluation date, none of them with a status.

Why: a year that is over has a result; without a status the year's row is left out of every count and rate, and the report cannot say whether the task was done.

Fix: Write the status the source records for that year (``status:``, one of the plan's words), or the source's ``progress``; if the source records none, say so in ``transcription_notes``.

A fiscal year is past when its last day (31 March of the next calendar year) is before ``evaluation_date`` in plan.yaml; plans without an evaluation date are not checked. The finding is at the year's first task row.

Passing: with ``evaluation_date: 2025-06-30`` in plan.yaml, ``tasks: [{fiscal_year: 令和6年度, plan: 窓口のオンライン化, status: 完了}, {fiscal_year: 令和7年度, plan: 窓口のオンライン化}]`` (令和7年度 is not over).

Failing: the same plan with ``tasks: [{fiscal_year: 令和6年度, plan: 窓口のオンライン化}]``, reported at that row.
"""

from __future__ import annotations

import datetime as dt

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import N_
from . import Finding

ID = "status-missing"
SEVERITY = "warning"
MESSAGE = N_("action {action}: no status recorded for {year}, which ended before the evaluation date {date}")


def year_is_past(fiscal_year: int, evaluation_date: dt.date) -> bool:
    """True when ``fiscal_year`` (its Western start year) ended (31 March of the next year) before ``evaluation_date``."""
    return dt.date(fiscal_year + 1, 3, 31) < evaluation_date


def check(ctx):
    plan = ctx.plan
    if plan.evaluation_date is None:
        return
    for la in ctx.loaded.actions:
        first: dict[int, int] = {}
        recorded: set[int] = set()
        for i, task in enumerate(la.action.tasks):
            first.setdefault(task.fiscal_year, i)
            if task.status is not None or task.progress is not None:
                recorded.add(task.fiscal_year)
        for fy, i in first.items():
            if fy not in recorded and year_is_past(fy, plan.evaluation_date):
                yield Finding(la.doc, ("tasks", i), {"action": la.action.id, "year": format_fiscal_year(fy, plan.fiscal_year_style),
                                                     "date": plan.evaluation_date})
