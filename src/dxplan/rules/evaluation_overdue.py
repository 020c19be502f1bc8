"""The plan's evaluation date is older than its own reporting cycle: the next evaluation is overdue.

Why: A plan that says it is evaluated every six months but still shows last year's results misleads every reader of its counts and rates; the age of the figures should be visible before a report goes out.

Fix: Evaluate the plan again: update the statuses and actuals and set ``evaluation_date`` to the date they describe. If the cycle has changed, correct ``reporting_cycle_months`` in plan.yaml.

Checked only for a plan that declares ``reporting_cycle_months`` in plan.yaml and has an ``evaluation_date``. The next evaluation is due ``reporting_cycle_months`` calendar months after ``evaluation_date``; the finding appears on the day after that. Today is the machine's date, or the date given with ``dxplan lint --today YYYY-MM-DD`` or the environment variable ``DXPLAN_TODAY`` (for reproducible runs). The finding is at ``evaluation_date`` in plan.yaml.

Passing: ``evaluation_date: 2025-02-10`` and ``reporting_cycle_months: 6``, linted with ``--today 2025-08-10``.

Failing: the same plan linted with ``--today 2025-08-11``: due by 2025-08-10.
"""

from __future__ import annotations

import datetime as dt

from dxplan.fiscal import add_months
from dxplan.i18n import N_

ID = "evaluation-overdue"
SEVERITY = "warning"
MESSAGE = N_(
    "the evaluation date {date} is older than the plan's reporting cycle of {months} months: the next evaluation was due "
    "by {due} (today is {today}); update the results and evaluation_date"
)


def overdue(evaluation_date: dt.date, months: int, today: dt.date) -> dt.date | None:
    """The date the next evaluation was due (``evaluation_date`` + ``months`` calendar months) when ``today`` is past it, else None."""
    due = add_months(evaluation_date, months)
    return due if today > due else None
