"""Consistency: a task whose status means done (完了) but whose progress is below 100.

Why: A done row with progress under 100 % makes the task rate and the status counts tell two different stories.

Fix: Set progress to 100, or choose the status word that matches the progress.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, status: 完了, progress: 100}
    sources: [{file: seed.txt, location: line 1}]

Failing (6:65)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, status: 完了, progress: 80}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.model.schema import State
from dxplan.i18n import N_
from . import Finding, iter_tasks

ID = "done-below-100"
SEVERITY = "warning"
MESSAGE = N_(
    "status is '{word}' (done) but progress is {progress}%; correct one of them."
)


def contradicts(state: State | None, progress: float | None) -> bool:
    """Whether a status of canonical ``state`` contradicts ``progress`` (percent 0–100): done below 100."""
    return state is State.done and progress is not None and progress < 100


def check(ctx):
    for doc, i, task, _ in iter_tasks(ctx):
        sw = ctx.index.status(task.status) if task.status else None
        if sw is not None and contradicts(sw.state, task.progress):
            yield Finding(doc, ("tasks", i, "progress"), {"word": task.status, "progress": f"{task.progress:g}"})
