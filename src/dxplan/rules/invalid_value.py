"""A value the schema rejects for another reason (e.g. a plan whose period ends before it starts).

Passing: ``period_start: 令和6年度`` with ``period_end: 令和8年度``.
Failing: ``period_start: 令和8年度`` with ``period_end: 令和6年度`` (in plan.yaml; see
tests/test_lint.py). No action example applies.
"""

from ..i18n import N_
from . import field_path

ID = "invalid-value"
SEVERITY = "error"
MESSAGE = N_(
    "invalid value at '{where}': {detail}"
)


def params(err: dict, model, doc) -> dict:
    return {"where": field_path(tuple(err["loc"])), "detail": err.get("msg", "")}
