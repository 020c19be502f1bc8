"""plan.yaml's ``national_frame`` names a version of the national plan that dxplan does not ship.

Why: Without a known version, the actions' ``serves`` cannot be checked against that version's
重点取組事項, and ``compare`` cannot tell which national items the plan covers.

Fix: Use a version key of frames/national.yaml (1.0, 2.0, 2.2, 2.3, 3.0), or leave the field out
where the plan's own text does not name a version.

Passing: ``national_frame: '2.3'`` in plan.yaml.

Failing: ``national_frame: '2.4'`` in plan.yaml: reported at its value, with "did you mean '2.3'?".
"""

from dxplan.i18n import N_
from . import Finding, hints

ID = "unknown-national-frame"
SEVERITY = "error"
MESSAGE = N_(
    "national_frame '{version}' is not a version of the national plan that dxplan ships.{hint} Use one of {known}."
)


def check(ctx):
    from dxplan.model.frame import national_frame

    key = ctx.plan.national_frame
    frame = national_frame()
    if key is None or frame.version(key) is not None or ctx.loaded.plan_doc is None:
        return
    yield Finding(ctx.loaded.plan_doc, ("national_frame",),
                  {"version": key, "known": ", ".join(frame.version_keys), **hints(key, frame.version_keys)})
