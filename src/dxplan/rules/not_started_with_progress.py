"""Consistency: a task whose status means not started (未着手) but whose progress is above 0.

Why: A row that is not started yet shows progress; the status counts and the task rate then tell two different stories.

Fix: Set progress to 0 (or remove it), or choose the status word that matches the progress.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, status: 未着手, progress: 0}
    sources: [{file: seed.txt, location: line 1}]

Failing (6:66)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, status: 未着手, progress: 30}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.model.schema import State
from dxplan.i18n import N_
from . import Finding, iter_tasks

ID = "not-started-with-progress"
SEVERITY = "warning"
MESSAGE = N_(
    "status is '{word}' (not started) but progress is {progress}%; correct one of them."
)


def contradicts(state: State | None, progress: float | None) -> bool:
    """Whether a status of canonical ``state`` contradicts ``progress`` (percent 0–100): not started above 0."""
    return state is State.not_started and progress is not None and progress > 0


def check(ctx):
    for doc, i, task, _ in iter_tasks(ctx):
        sw = ctx.index.status(task.status) if task.status else None
        if sw is not None and contradicts(sw.state, task.progress):
            yield Finding(doc, ("tasks", i, "progress"), {"word": task.status, "progress": f"{task.progress:g}"})
