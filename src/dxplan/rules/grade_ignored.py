"""A grade entered at a level the plan's grade_scale does not apply to (an indicator's grade when grades are per action, or an action's when they are per indicator).

Why: Grade splits, scores and reports count the grades at the level grade_scale.applies_to names; a grade entered at the other level would be silently left out of the published split.

Fix: Move the grade to the level grade_scale.applies_to names (the action's grades or its indicators' grades), or change applies_to if the source grades the other level.

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

Failing (6:33)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    grades:
      - {fiscal_year: 令和6年度, grade: A}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_, Text
from . import Finding

ID = "grade-ignored"
SEVERITY = "warning"
MESSAGE = N_(
    "grade '{grade}' is entered per {level}, but the plan's grade_scale applies to {applies}: it is not counted; "
    "move it or change grade_scale.applies_to"
)

_LEVEL = {"indicator": N_("indicator"), "action": N_("action")}


def check(ctx):
    scale = ctx.plan.grade_scale
    if scale is None:
        return
    other = "indicator" if scale.applies_to == "action" else "action"
    words = {"level": Text(_LEVEL[other]), "applies": Text(_LEVEL[scale.applies_to])}
    for la in ctx.loaded.actions:
        action = la.action
        if other == "action":
            for i, g in enumerate(action.grades):
                yield Finding(la.doc, ("grades", i, "grade"), {"grade": g.grade, **words})
            continue
        for k, ind in enumerate(action.indicators):
            for i, g in enumerate(ind.grades):
                yield Finding(la.doc, ("indicators", k, "grades", i, "grade"), {"grade": g.grade, **words})
