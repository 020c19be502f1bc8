"""A numeric target whose kind needs a baseline that is not given (lower_is_better): it cannot be scored.

Why: Without a baseline the rate of a lower-is-better target, (baseline − actual) ÷ (baseline − target), has no starting point, so the action silently drops to another method.

Fix: Add target.spec.baseline (the value at the start of the plan) or change the target's kind.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    target:
      text: 未処理案件 0件
      spec: {kind: lower_is_better, value: 0, baseline: 12, unit: 件}
    sources: [{file: seed.txt, location: line 1}]

Failing (7:9)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    target:
      text: 未処理案件 0件
      spec: {kind: lower_is_better, value: 0, unit: 件}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.model.schema import TargetKind
from dxplan.i18n import N_
from . import Finding

ID = "baseline-missing"
SEVERITY = "warning"
MESSAGE = N_(
    "target '{text}' is lower-is-better but has no baseline, so no rate can be computed."
)


def check(ctx):
    for la in ctx.loaded.actions:
        t = la.action.target
        if t and t.spec and t.spec.kind is TargetKind.lower_is_better and t.spec.baseline is None:
            yield Finding(la.doc, ("target", "spec"), {"text": t.text})
