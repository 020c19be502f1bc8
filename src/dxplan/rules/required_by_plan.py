"""A field the plan requires of every action (``lint.require`` in plan.yaml) is missing or empty.

Why: The plan itself asks for this field in every action (lint.require), so its reports can rely on it.

Fix: Fill the field in, or remove it from lint.require in plan.yaml.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (1:1)::

    id: '1'
    title: 例
    category: A-1
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from . import Finding

ID = "required-by-plan"
SEVERITY = "warning"
MESSAGE = N_(
    "this plan requires '{field}' in every action (plan.yaml lint.require)."
)


def _value(obj, dotted: str):
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def check(ctx):
    for la in ctx.loaded.actions:
        for field in ctx.plan.lint.require:
            value = _value(la.action, field)
            if value is None or value == [] or value == "":
                yield Finding(la.doc, (), {"field": field})
