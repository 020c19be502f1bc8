"""A target deadline before the plan's first fiscal year or after its last.

Why: A deadline after the plan's end means the target cannot be judged within the plan, and every rate measured inside the period is only interim; one before the start was already due when the plan began.

Fix: Check the deadline against the source; if the source really sets it beyond the period, keep it and record that in the action's discrepancies, or move the target to the next plan.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    target:
      text: 申請件数 100件
      spec: {kind: count, value: 100, unit: 件, deadline: 令和8年度}
    sources: [{file: seed.txt, location: line 1}]

Failing (7:54)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    target:
      text: 申請件数 100件
      spec: {kind: count, value: 100, unit: 件, deadline: 令和10年度}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import N_
from . import Finding

ID = "deadline-outside-period"
SEVERITY = "warning"
MESSAGE = N_(
    "deadline {fy} of '{what}' is outside the plan period ({start} to {end})."
)


def _deadlines(action):
    t = action.target
    if t is not None and t.spec is not None and t.spec.deadline is not None:
        yield ("target", "spec", "deadline"), t.spec.deadline, t.text
    for i, yt in enumerate(action.yearly_targets):
        if yt.spec is not None and yt.spec.deadline is not None:
            yield ("yearly_targets", i, "spec", "deadline"), yt.spec.deadline, yt.text
    for i, ind in enumerate(action.indicators):
        if ind.deadline is not None:
            yield ("indicators", i, "deadline"), ind.deadline, ind.name


def check(ctx):
    plan = ctx.plan
    style = plan.fiscal_year_style
    bounds = {"start": format_fiscal_year(plan.period_start, style), "end": format_fiscal_year(plan.period_end, style)}

    def outside(fy):
        return not plan.period_start <= fy <= plan.period_end

    for la in ctx.loaded.actions:
        for loc, fy, what in _deadlines(la.action):
            if outside(fy):
                yield Finding(la.doc, loc, {"fy": format_fiscal_year(fy, style), "what": what, **bounds})
    if ctx.loaded.plan_doc is not None:
        for i, ind in enumerate(plan.indicators):
            if ind.deadline is not None and outside(ind.deadline):
                yield Finding(ctx.loaded.plan_doc, ("indicators", i, "deadline"),
                              {"fy": format_fiscal_year(ind.deadline, style), "what": ind.name, **bounds})
