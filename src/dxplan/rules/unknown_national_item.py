"""An action serves a national 重点取組事項 id that no version of the national frame lists.

Why: ``compare`` and ``crosswalk`` count an action under the national items it serves; an id the
frame does not know is counted under none, and the action silently drops out of the matrix.

Fix: Use an item id of frames/national.yaml (``dxplan crosswalk`` lists them), or leave ``serves``
out where the plan's own text does not cite a national item.

The ids are those of every version (frontyard, standardization, eltax, my-number-card, security,
ai-rpa, telework, online-procedures); whether the item belongs to the version the plan declares is
the rule ``national-item-version``.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    serves: [frontyard]
    sources: [{file: seed.txt, location: line 1}]

Failing (5:10)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    serves: [frontyad]
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from . import Finding, hints

ID = "unknown-national-item"
SEVERITY = "error"
MESSAGE = N_(
    "'{id}' is not a national 重点取組事項 id of any version.{hint} Use an id from frames/national.yaml, or leave serves out where the source cites no national item."
)


def check(ctx):
    from dxplan.model.frame import national_frame

    known = national_frame().item_ids
    for la in ctx.loaded.actions:
        for i, item in enumerate(la.action.serves):
            if item not in known:
                yield Finding(la.doc, ("serves", i), {"id": item, **hints(item, known)})
