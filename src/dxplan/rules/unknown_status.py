"""A task status word the plan does not declare in ``statuses`` (aliases accepted).

Why: A status word the plan does not declare maps to no canonical state, so the row drops out of the status counts.

Fix: Use one of the plan's status words, or add this spelling as an alias in plan.yaml's statuses.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, status: 進捗中}
    sources: [{file: seed.txt, location: line 1}]

Failing (6:51)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, status: 進行中}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_, joined
from . import Finding, hints, iter_tasks

ID = "unknown-status"
SEVERITY = "error"
MESSAGE = N_(
    "status word '{word}' is not declared by the plan (declared: {known}).{hint}"
)


def check(ctx):
    words = [w for sw in ctx.plan.statuses for w in (sw.word, *sw.aliases)]
    known = joined([sw.word for sw in ctx.plan.statuses], empty=N_("none"))
    for doc, i, task, _ in iter_tasks(ctx):
        if task.status is not None and ctx.index.status(task.status) is None:
            yield Finding(
                doc,
                ("tasks", i, "status"),
                {
                    "word": task.status,
                    "known": known,
                    **hints(task.status, words),
                },
            )
