"""A task, yearly target, effect or schedule line dated outside the plan's period.

Why: Rows outside the plan period are never counted by status or scoring, so work done there disappears from every figure.

Fix: Correct the fiscal year, or widen the plan's period in plan.yaml.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和8年度, department: 総務課}
    sources: [{file: seed.txt, location: line 1}]

Failing (6:19)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和9年度, department: 総務課}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import N_
from . import Finding

ID = "fiscal-year-range"
SEVERITY = "error"
MESSAGE = N_(
    "{fy} is outside the plan period ({start} to {end}); check the fiscal year."
)


def check(ctx):
    plan = ctx.plan
    style = plan.fiscal_year_style
    bounds = {"start": format_fiscal_year(plan.period_start, style), "end": format_fiscal_year(plan.period_end, style)}
    for la in ctx.loaded.actions:
        a = la.action
        for name, items in (("tasks", a.tasks), ("yearly_targets", a.yearly_targets), ("effects", a.effects), ("schedule", a.schedule)):
            for i, item in enumerate(items):
                fy = item.fiscal_year
                if fy is not None and not plan.period_start <= fy <= plan.period_end:
                    yield Finding(la.doc, (name, i, "fiscal_year"), {"fy": format_fiscal_year(fy, style), **bounds})
