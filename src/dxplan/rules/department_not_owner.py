"""Consistency: a task's department that is not among the action's owners (担い手).

Generic entries (関係各課 …) are exempt.

Why: A task done by a department that does not own the action is often a typo or a missing owner, and department counts then disagree with the overview page.

Fix: Add the department to the action's owners, or correct the task's department.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課}
    sources: [{file: seed.txt, location: line 1}]

Failing (6:38)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 企画課}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from . import Finding

ID = "department-not-owner"
SEVERITY = "warning"
MESSAGE = N_(
    "task department '{name}' is not among the action's owners; add it to owners or check the task."
)


def check(ctx):
    for la in ctx.loaded.actions:
        a = la.action
        if not a.owners:
            continue
        owners = set()
        for o in a.owners:
            owners.update(d.key for d in ctx.index.departments(o) or [])
        reported = set()
        for i, task in enumerate(a.tasks):
            if not task.department:
                continue
            for d in ctx.index.departments(task.department) or []:
                if d.kind != "generic" and d.key not in owners and (d.key, task.department) not in reported:
                    reported.add((d.key, task.department))
                    yield Finding(la.doc, ("tasks", i, "department"), {"name": d.name})
