"""Two action files with the same id: ids must be unique within a plan.

Why: Scores, diffs and reports find actions by id; two files with one id make one of them invisible.

Fix: Give one of the files a free id (`dxplan new` picks the lowest free one).

Passing: ``actions/01.yaml`` with ``id: '1'`` and ``actions/02.yaml`` with ``id: '2'``.

Failing: both files say ``id: '1'``; the second file (in name order) is reported at its ``id`` line.
"""

from dxplan.i18n import N_

ID = "duplicate-id"
SEVERITY = "error"
MESSAGE = N_(
    "duplicate action id '{id}' (also in {other}); give one of them another id."
)


def check(ctx):
    from . import Finding

    seen = {}
    for la in ctx.loaded.actions:
        key = la.action.id
        if key in seen:
            yield Finding(la.doc, ("id",), {"id": key, "other": seen[key].name})
        else:
            seen[key] = la.doc.path
