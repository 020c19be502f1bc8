"""A grade that is not a word of the plan's grade_scale (aliases accepted).

Why: A grade outside the scale is counted apart as unknown, so the plan's published grade split (A/B/C/D per fiscal year) can no longer be reproduced.

Fix: Use one of the grades declared in plan.yaml's grade_scale, or add this spelling as an alias of the grade it means.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    indicators:
      - id: K1
        name: 申請件数
        grades:
          - {fiscal_year: 令和6年度, grade: A}
    sources: [{file: seed.txt, location: line 1}]

Failing (9:37)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    indicators:
      - id: K1
        name: 申請件数
        grades:
          - {fiscal_year: 令和6年度, grade: A+}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_, joined
from . import Finding, hints

ID = "unknown-grade"
SEVERITY = "error"
MESSAGE = N_(
    "grade '{grade}' is not in the plan's grade scale (declared: {known}).{hint}"
)


def _entries(action):
    for i, g in enumerate(action.grades):
        yield ("grades", i, "grade"), g.grade
    for k, ind in enumerate(action.indicators):
        for i, g in enumerate(ind.grades):
            yield ("indicators", k, "grades", i, "grade"), g.grade


def check(ctx):
    scale = ctx.plan.grade_scale
    words = scale.words if scale else []
    known = joined([g.grade for g in scale.grades] if scale else [], empty=N_("none"))
    for la in ctx.loaded.actions:
        for loc, grade in _entries(la.action):
            if scale is None or scale.lookup(grade) is None:
                yield Finding(la.doc, loc, {"grade": grade, "known": known, **hints(grade, words)})
    if ctx.loaded.plan_doc is not None:
        for k, ind in enumerate(ctx.plan.indicators):
            for i, g in enumerate(ind.grades):
                if scale is None or scale.lookup(g.grade) is None:
                    yield Finding(ctx.loaded.plan_doc, ("indicators", k, "grades", i, "grade"),
                                  {"grade": g.grade, "known": known, **hints(g.grade, words)})
