"""A plan period given twice that disagrees: ``period`` (by month) and ``period_start``/``period_end`` (fiscal years).

Why: The fiscal years of a plan decide every table, every task rate and which years a status is expected for; a
plan that writes its period by month (2023年1月〜2025年3月) and also as fiscal years must say the same both ways,
or one of them is a typo and dxplan would silently follow the fiscal years.

Fix: Write ``period_start``/``period_end`` as the fiscal years holding ``period``'s first and last month
(2023-01 is in 令和4年度, 2025-03 in 令和6年度), or leave them out: ``period`` alone gives them.

Passing: in plan.yaml, ``period: {start: 2023年1月, end: 2025年3月}`` with ``period_start: 令和4年度`` and
``period_end: 令和6年度``, or ``period`` alone.

Failing: in plan.yaml, ``period: {start: 2023年1月, end: 2025年3月}`` with ``period_start: 令和5年度`` (the line
and column of ``period_start``'s value): 2023年1月 is in 令和4年度.
"""

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import N_
from . import Finding

ID = "period-mismatch"
SEVERITY = "error"
MESSAGE = N_(
    "'{field}' is {written}, but 'period' ({start} to {end}) gives {expected}: write the same period both ways, or leave '{field}' out."
)


def check(ctx):
    plan = ctx.plan
    doc = ctx.loaded.plan_doc
    if plan.period is None or doc is None or not isinstance(doc.tree, dict):
        return
    first, last = plan.period.fiscal_years
    style = plan.fiscal_year_style
    for field, written, expected in (("period_start", plan.period_start, first), ("period_end", plan.period_end, last)):
        if field in doc.tree and written != expected:
            yield Finding(doc, (field,), {
                "field": field, "written": format_fiscal_year(written, style), "expected": format_fiscal_year(expected, style),
                "start": plan.period.start, "end": plan.period.end,
            })
