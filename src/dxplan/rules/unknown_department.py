"""A department (owner, task 担当課 or division) the plan does not declare (names, aliases and groups accepted).

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

from . import Finding, hints

ID = "unknown-department"
SEVERITY = "error"
MESSAGE = {
    "ja": "担当課「{name}」は計画の組織表にありません。{hint_ja}plan.yaml の departments に追加するか、別名 (aliases) として登録してください。",
    "en": "department '{name}' is not declared by the plan.{hint_en} Add it to plan.yaml's departments, or as an alias.",
}


def check(ctx):
    names = ctx.index.department_names()

    def finding(doc, loc, name):
        return Finding(doc, loc, {"name": name, **hints(name, names, after_ja=" ")})

    for la in ctx.loaded.actions:
        if la.action.division and ctx.index.department(la.action.division) is None:
            yield finding(la.doc, ("division",), la.action.division)
        for i, owner in enumerate(la.action.owners):
            if ctx.index.departments(owner) is None:
                yield finding(la.doc, ("owners", i), owner)
        for i, task in enumerate(la.action.tasks):
            if task.department and ctx.index.departments(task.department) is None:
                yield finding(la.doc, ("tasks", i, "department"), task.department)
