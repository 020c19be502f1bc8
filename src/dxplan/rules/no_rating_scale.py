"""The plan declares no scale: neither percent bands (rating_scale) nor grades (grade_scale).

Why: Without a declared scale no rate can be labelled, and borrowing another city's bands (嘉麻市's 達成 ≥ 100 % …) would put words in the plan's mouth; scores then say "no scale declared".

Fix: Declare the plan's own scale in plan.yaml: rating_scale (percent bands with their lower bounds) or grade_scale (ordinal grades with their meaning, best first). Where the source defines none, write rating_scale: [] to record that.

Passing: a plan.yaml with ``rating_scale: [{label: 達成, min: 100}, {label: 未達成, min: null}]``, or with ``grade_scale: {grades: [{grade: A}, {grade: B}]}``, or with ``rating_scale: []`` (the source defines none).

Failing: a plan.yaml with neither key; the warning points at its ``id``.
"""

from dxplan.i18n import N_
from . import Finding

ID = "no-rating-scale"
SEVERITY = "warning"
MESSAGE = N_(
    "plan '{plan}' declares no scale (rating_scale or grade_scale); its rates are shown without a label."
)


def check(ctx):
    plan = ctx.plan
    if not plan.scale_declared and ctx.loaded.plan_doc is not None:
        yield Finding(ctx.loaded.plan_doc, ("id",), {"plan": plan.id})
