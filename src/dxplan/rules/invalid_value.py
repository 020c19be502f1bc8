"""A value the schema rejects for another reason (e.g. a plan whose period ends before it starts).

Why: The schema's own checks (for example a period that ends before it starts) protect every figure computed from the plan.

Fix: Correct the value as the message says.

Passing: ``period_start: 令和6年度`` with ``period_end: 令和8年度``.

Failing: ``period_start: 令和8年度`` with ``period_end: 令和6年度`` (in plan.yaml).
"""

from dxplan.i18n import N_
from dxplan.model.changes import field_path

ID = "invalid-value"
SEVERITY = "error"
MESSAGE = N_(
    "invalid value at '{where}': {detail}"
)


def params(err: dict, model, doc) -> dict:
    return {"where": field_path(tuple(err["loc"])), "detail": err.get("msg", "")}
