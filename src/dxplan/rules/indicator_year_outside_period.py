"""An indicator's yearly target, actual or grade dated outside the plan's period.

Why: Years outside the period are left out of the per-year tables and grade counts, so a target or actual there silently disappears from every figure (the baseline year is exempt: it usually precedes the plan).

Fix: Correct the fiscal year, or record a value beyond the period in the indicator's note.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    indicators:
      - id: K1
        name: 申請件数
        targets:
          - {fiscal_year: 令和8年度, value: 100}
    sources: [{file: seed.txt, location: line 1}]

Failing (9:23)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    indicators:
      - id: K1
        name: 申請件数
        targets:
          - {fiscal_year: 令和9年度, value: 100}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import N_
from . import Finding

ID = "indicator-year-outside-period"
SEVERITY = "warning"
MESSAGE = N_(
    "indicator '{name}': {fy} is outside the plan period ({start} to {end})."
)


def _years(ind):
    for field in ("targets", "actuals", "grades"):
        for i, item in enumerate(getattr(ind, field)):
            yield (field, i, "fiscal_year"), item.fiscal_year


def check(ctx):
    plan = ctx.plan
    style = plan.fiscal_year_style
    bounds = {"start": format_fiscal_year(plan.period_start, style), "end": format_fiscal_year(plan.period_end, style)}
    places = [(la.doc, ("indicators",), la.action.indicators) for la in ctx.loaded.actions]
    if ctx.loaded.plan_doc is not None:
        places.append((ctx.loaded.plan_doc, ("indicators",), plan.indicators))
    for doc, prefix, indicators in places:
        for k, ind in enumerate(indicators):
            for loc, fy in _years(ind):
                if not plan.period_start <= fy <= plan.period_end:
                    yield Finding(doc, (*prefix, k, *loc), {"name": ind.name, "fy": format_fiscal_year(fy, style), **bounds})
