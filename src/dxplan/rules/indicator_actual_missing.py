"""An indicator with a target for a fiscal year that ended before the plan's evaluation date, and no actual for that year.

Why: A year that is over has a measured value; without it the year's rate is "no data" in every table, and a reader cannot tell a missing measurement from a target not met.

Fix: Record the year's actual (``actuals: [{fiscal_year: …, value: …}]``, or ``text`` for an actual written in words, such as 「－」 where the source says nothing was measured). A forecast (``kind: forecast``, 見込) is not an actual.

A fiscal year is over when its last day (31 March of the next calendar year) is before ``evaluation_date`` in plan.yaml (no clock is read; plans without an evaluation date are not checked). Action and plan-level indicators are checked, each series of an indicator on its own. The finding is at the year's target.

Passing: with ``evaluation_date: 2025-06-30`` in plan.yaml, an indicator with ``targets: [{fiscal_year: 令和6年度, value: 100}, {fiscal_year: 令和7年度, value: 120}]`` and ``actuals: [{fiscal_year: 令和6年度, value: 96}]`` (令和7年度 is not over).

Failing: the same indicator with ``actuals: [{fiscal_year: 令和6年度, value: 96, kind: forecast}]``, reported at the 令和6年度 target.
"""

from __future__ import annotations

from dxplan.fiscal import FiscalYearText, fiscal_year_end
from dxplan.i18n import N_
from . import Finding
from .status_missing import year_is_past

ID = "indicator-actual-missing"
SEVERITY = "warning"
MESSAGE = N_(
    "indicator '{name}' has a target for {year}, which ended on {end}, before the evaluation date {date}, "
    "but no actual for that year; record it"
)


def _places(ctx):
    """(document, location of an indicators list, the indicators) of every action and of plan.yaml."""
    for la in ctx.loaded.actions:
        yield la.doc, ("indicators",), la.action.indicators
    if ctx.loaded.plan_doc is not None:
        yield ctx.loaded.plan_doc, ("indicators",), ctx.plan.indicators


def check(ctx):
    plan = ctx.plan
    when = plan.evaluation_date
    if when is None:
        return
    for doc, prefix, indicators in _places(ctx):
        for k, ind in enumerate(indicators):
            rows = [((*prefix, k), ind.name, ind.targets, ind.actuals)]
            rows += [((*prefix, k, "series", s), f"{ind.name}（{x.name}）", x.targets, x.actuals) for s, x in enumerate(ind.series)]
            for loc, name, targets, actuals in rows:
                measured = {a.fiscal_year for a in actuals if a.kind == "actual"}
                for j, target in enumerate(targets):
                    fy = target.fiscal_year
                    if fy in measured or not year_is_past(fy, when):
                        continue
                    measured.add(fy)  # one finding per year, at its first target
                    yield Finding(doc, (*loc, "targets", j), {
                        "name": name, "year": FiscalYearText(fy, plan.fiscal_year_style), "end": fiscal_year_end(fy), "date": when,
                    })
