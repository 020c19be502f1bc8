"""A target, baseline, deadline or the plan's rating scale changed since a base revision without a recorded reason.

Raised only by ``dxplan lint --base REV`` (built in :func:`dxplan.review.goalpost_problems`;
this module has no ``check`` because it needs git history). Goalposts are an
action's ``target`` (its text and numeric ``spec``: value, baseline, deadline,
kind, unit …), its ``yearly_targets`` and ``effects``, and in ``plan.yaml`` the
``rating_scale`` and the indicators' baseline, target, unit, direction and
deadline.

Why: A target that moves quietly changes every achievement rate computed against it; councils and auditors need to see why it moved.

Fix: Add an entry with date, field and reason to the action's target.history (or plan.yaml's history).

Passing: at REV action 6 has ``target.spec.value: 30``; the new version has
``value: 20`` and ``target.history`` gained an entry
``{date: 2025-06-01, field: target.spec.value, reason: 推進本部会議で下方修正, by: デジタル戦略課}``.
Also passing: a new action, or a change to a task's status or result.

Also passing: a change of the plan's ``rating_scale`` where ``plan.yaml``'s
``history`` gained an entry ``{date: 2026-04-01, field: rating_scale, reason: …}``.

Failing: the same change of ``target.spec.value`` from 30 to 20 with no new
``target.history`` entry; or a change to the plan's ``rating_scale`` with no new
``history`` entry in plan.yaml. The position is the changed field in the new file.
"""

from ..i18n import N_

ID = "goalpost-change"
SEVERITY = "error"
MESSAGE = N_(
    "{field} changed since {rev} ({before} → {after}) without a recorded reason; add an entry with date, field and reason to {record}."
)
