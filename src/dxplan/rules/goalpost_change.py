"""A target, baseline, deadline or the plan's rating scale changed since a base revision without a recorded reason.

Goalposts are an action's ``target`` (its text and numeric ``spec``: value, baseline, deadline, kind, unit …), its ``yearly_targets`` and ``effects``, and in plan.yaml the ``rating_scale`` and the indicators' baseline, target, unit, direction and deadline. Checked only by ``dxplan lint --base REV``, against the plan as it was at REV.

Why: A target that moves quietly changes every achievement rate computed against it; councils and auditors need to see why it moved.

Fix: Add an entry with date, field and reason to the action's target.history (or plan.yaml's history).

Passing: at REV action 6 has ``target.spec.value: 30``; the new version has ``value: 20`` and ``target.history`` gained an entry ``{date: 2025-06-01, field: target.spec.value, reason: 推進本部会議で下方修正, by: デジタル戦略課}``.

Passing: a new action, a change to a task's status or result, or a change of the plan's ``rating_scale`` where plan.yaml's ``history`` gained an entry.

Failing: the same change of ``target.spec.value`` from 30 to 20 with no new ``target.history`` entry; the position is the changed field in the new file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from collections.abc import Iterator

from dxplan.model.changes import FieldChange, action_changes, new_reasons, plan_changes, plan_reasons, show_value
from dxplan.i18n import N_, Text
from . import Finding

if TYPE_CHECKING:
    from dxplan.model.loaded import Document, LoadedPlan

ID = "goalpost-change"
SEVERITY = "error"
MESSAGE = N_(
    "{field} changed since {rev} ({before} → {after}) without a recorded reason; add an entry with date, field and reason to {record}."
)


def check_change(base: LoadedPlan, head: LoadedPlan) -> Iterator[Finding]:
    """Goalpost changes from ``base`` (the plan at REV) to ``head`` without a recorded reason.

    Yields one :class:`Finding` per changed goalpost field, positioned at the
    field in ``head``'s file; its params lack ``rev``, which the caller adds.
    An action's changes are recorded when its ``target.history`` gained an
    entry; plan-level ones when plan.yaml's ``history`` did. Actions that are
    not in ``base`` are new, not changed.
    """
    if base.plan is not None and head.plan is not None and head.plan_doc is not None and not plan_reasons(base.plan, head.plan):
        for fc in plan_changes(base.plan, head.plan):
            if fc.goalpost:
                yield _finding(head.plan_doc, fc, Text(N_("plan.yaml's history")))
    base_by_id = {la.action.id: la for la in base.actions}
    for la in head.actions:
        old = base_by_id.get(la.action.id)
        if old is None or new_reasons(old.action, la.action):
            continue
        for fc in action_changes(old.action, la.action):
            if fc.goalpost:
                yield _finding(la.doc, fc, "target.history")


def _finding(doc: Document, fc: FieldChange, record: Text | str) -> Finding:
    params = {"field": fc.field, "before": show_value(fc.before, 40), "after": show_value(fc.after, 40), "record": record}
    return Finding(doc, fc.loc, params)
