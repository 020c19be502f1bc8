"""A category (or secondary category) that is not in the plan's category tree (ids, names and aliases accepted).

Why: An action in an unknown category is left out of every per-category table.

Fix: Use a category id from plan.yaml, or add the spelling as an alias of the right category.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (3:11)::

    id: '1'
    title: 例
    category: A-9
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from . import Finding, hints

ID = "unknown-category"
SEVERITY = "error"
MESSAGE = N_(
    "category '{name}' is not in the plan's category tree.{hint} Add it to plan.yaml's categories, or as an alias."
)


def check(ctx):
    names = ctx.index.category_names()
    for la in ctx.loaded.actions:
        a = la.action
        refs = [(("category",), a.category)] + [
            (("secondary_categories", i), c) for i, c in enumerate(a.secondary_categories)
        ]
        for loc, name in refs:
            if ctx.index.category(name) is None:
                yield Finding(
                    la.doc,
                    loc,
                    {"name": name, **hints(name, names)},
                )
