"""An action serves a national item that the version of the national plan its plan declares does not list.

Why: The 重点取組事項 changed between versions (eLTAX appears in 第2.3版, 行政手続のオンライン化 is gone
after 第2.0版); an item of another version is counted against a list the plan does not answer to.

Fix: Serve an item of the declared version, or correct plan.yaml's ``national_frame`` when the plan's
own text names another version. A plan that declares no version is checked against every version's
ids only (``unknown-national-item``).

Passing: plan.yaml says ``national_frame: '2.3'``; an action says ``serves: [eltax]``.

Failing: plan.yaml says ``national_frame: '2.0'``; an action says ``serves: [eltax]`` (an item of
第2.3版 and 第3.0版 only): reported at the ``eltax`` item of ``serves``.
"""

from dxplan.i18n import N_
from . import Finding

ID = "national-item-version"
SEVERITY = "error"
MESSAGE = N_(
    "national item '{id}' is not in version {declared} that plan.yaml declares (it is in {versions}). Serve an item of {declared}, or correct plan.yaml's national_frame."
)


def check(ctx):
    from dxplan.model.frame import national_frame

    frame = national_frame()
    declared = frame.version(ctx.plan.national_frame) if ctx.plan.national_frame else None
    if declared is None:  # undeclared, or an unknown version (unknown-national-frame)
        return
    for la in ctx.loaded.actions:
        for i, item in enumerate(la.action.serves):
            versions = frame.versions_of(item)
            if versions and declared.item(item) is None:
                yield Finding(la.doc, ("serves", i), {"id": item, "declared": declared.name,
                                                      "versions": ", ".join(frame.version(v).name for v in versions)})
