"""A department (owner, task 担当課 or division) the plan does not declare (names, aliases and groups accepted).

Why: Rows of an unknown department are counted under a name nobody recognises, and department sheets miss them.

Fix: Use the department's name from plan.yaml, or add this spelling as an alias.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課, 企画課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課・企画課}
    sources: [{file: seed.txt, location: line 1}]

Failing (4:10)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務部]
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from . import Finding, hints

ID = "unknown-department"
SEVERITY = "error"
MESSAGE = N_(
    "department '{name}' is not declared by the plan.{hint} Add it to plan.yaml's departments, or as an alias."
)


def check(ctx):
    names = ctx.index.department_names()

    def finding(doc, loc, name):
        return Finding(doc, loc, {"name": name, **hints(name, names)})

    for la in ctx.loaded.actions:
        if la.action.division and ctx.index.department(la.action.division) is None:
            yield finding(la.doc, ("division",), la.action.division)
        for i, owner in enumerate(la.action.owners):
            if ctx.index.departments(owner) is None:
                yield finding(la.doc, ("owners", i), owner)
        for i, task in enumerate(la.action.tasks):
            if task.department and ctx.index.departments(task.department) is None:
                yield finding(la.doc, ("tasks", i, "department"), task.department)
