"""An action's ``visions`` or ``predecessors`` entry the plan does not declare.

Why: A reference to a vision or predecessor that does not exist links the action to nothing in reports.

Fix: Use an id declared in plan.yaml (visions, predecessors).

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    visions: [V1]
    sources: [{file: seed.txt, location: line 1}]

Failing (5:11)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    visions: [V9]
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_, Text
from . import Finding

ID = "unknown-reference"
SEVERITY = "error"
MESSAGE = N_(
    "{kind} '{ref}' is not declared in plan.yaml."
)


def check(ctx):
    visions = {v.id for v in ctx.plan.visions}
    results = {r.id for p in ctx.plan.predecessors for r in p.results} | {p.id for p in ctx.plan.predecessors}
    for la in ctx.loaded.actions:
        for i, v in enumerate(la.action.visions):
            if v not in visions:
                yield Finding(la.doc, ("visions", i), {"kind": Text(N_("vision")), "ref": v})
        for i, p in enumerate(la.action.predecessors):
            if p not in results:
                yield Finding(la.doc, ("predecessors", i), {"kind": Text(N_("predecessor")), "ref": p})
