"""Field-by-field comparison of two models: what changed in a plan.yaml or an action, goalposts flagged.

The diff (:mod:`dxplan.diff.compute`) and the goalpost rule (:mod:`dxplan.rules.goalpost_change`)
share these. A *goalpost* is what an achievement rate is measured against: an action's target (text
and numeric spec), yearly targets and effects, its indicators' baseline, targets, unit, direction and
deadline; in plan.yaml the rating scale, the grade scale, the scoring method and the indicators'
targets. Values are compared as JSON-like model dumps; paths read like ``target.spec.value``.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from .schema import Action, Plan


def field_path(loc: tuple[Any, ...]) -> str:
    """``tasks[3].status`` from ``("tasks", 3, "status")``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


@dataclass
class FieldChange:
    """One changed field: ``field`` is a path such as ``target.spec.value``; values are JSON-like.

    ``loc`` is the pydantic-style path on the new side (for positions; the
    parent list for a removed item). ``goalpost`` marks target, baseline,
    deadline and rating scale changes; ``excerpt`` holds a short (before,
    after) excerpt around the edit for text changes.
    """

    field: str
    before: Any
    after: Any
    loc: tuple[Any, ...] = ()
    goalpost: bool = False
    excerpt: tuple[str, str] | None = None

    @property
    def change(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"



_ACTION_GOALPOSTS = (("target", "text"), ("target", "spec"), ("yearly_targets",), ("effects",))
_INDICATOR_GOALPOST_KEYS = {
    "baseline", "target_text", "target_value", "direction", "deadline", "unit", "targets", "measure", "accumulation", "deciding",
}


def is_goalpost(kind: str, loc: tuple[Any, ...]) -> bool:
    """Whether a change at ``loc`` (model path) of a ``plan`` or ``action`` moves a goalpost.

    Action: the target as a whole, its text and numeric spec (value, baseline,
    deadline, kind, unit …), yearly targets and effect targets (except their
    notes), and its indicators' baseline, yearly and final targets, unit, measure,
    direction and deadline (actuals and grades are results, not goalposts).
    Plan: the rating scale, the grade scale, the scoring method, and indicators'
    baseline, targets, unit, direction and deadline.
    """
    keys = tuple(p for p in loc if not isinstance(p, int))
    if kind not in ("action", "plan"):
        return False
    if kind == "action":
        if keys == ("target",):
            return True
        if keys and keys[-1] == "note":
            return False
        if keys[:1] == ("indicators",):
            return len(keys) == 1 or keys[1] in _INDICATOR_GOALPOST_KEYS
        return any(keys[: len(g)] == g for g in _ACTION_GOALPOSTS)
    if keys[:1] in (("rating_scale",), ("grade_scale",), ("scoring",)):
        return True
    if keys[:1] == ("indicators",):
        return len(keys) == 1 or keys[1] in _INDICATOR_GOALPOST_KEYS
    return False


def excerpt(before: str, after: str, context: int = 12, limit: int = 40) -> tuple[str, str]:
    """Short excerpts of ``before`` and ``after`` around what changed (``…`` marks cuts).

    ``context`` characters are kept on each side of the edited span; the edited
    span itself is cut to ``limit`` characters.
    """
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
    if not ops:
        return clip(before, limit), clip(after, limit)

    def cut(s: str, lo: int, hi: int) -> str:
        start = max(0, lo - context)
        end = min(len(s), hi + context, max(hi, lo + limit) + context)
        if hi - lo > limit:
            end = lo + limit
        return ("…" if start > 0 else "") + s[start:end] + ("…" if end < len(s) else "")

    return cut(before, ops[0][1], ops[-1][2]), cut(after, ops[0][3], ops[-1][4])


def clip(s: str, limit: int) -> str:
    """``s`` on one line (runs of white space as one space), cut to ``limit`` characters with ``…``."""
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def show_value(value: Any, limit: int = 60) -> str:
    """A value as one short line: ``—`` for none, JSON for lists and maps, text clipped to ``limit``."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return clip(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")), limit)
    return clip(str(value), limit)


def _key(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)


def diff_values(before: Any, after: Any, kind: str, loc: tuple[Any, ...] = (), out: list[FieldChange] | None = None) -> list[FieldChange]:
    """Leaf changes between two JSON-like values (model dumps) of a ``plan`` or an ``action``.

    Maps are compared key by key; lists are aligned with SequenceMatcher (an
    inserted note is one *added* item, not every later item changed); items
    replaced one for one are compared inside. Strings that both exist get an
    excerpt of the edit.
    """
    out = [] if out is None else out
    if before == after:
        return out
    if isinstance(before, dict) and isinstance(after, dict):
        for k in list(after.keys()) + [k for k in before if k not in after]:
            diff_values(before.get(k), after.get(k), kind, loc + (k,), out)
        return out
    if isinstance(before, list) and isinstance(after, list):
        sm = difflib.SequenceMatcher(None, [_key(x) for x in before], [_key(x) for x in after], autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            n = min(i2 - i1, j2 - j1)
            for k in range(n):
                diff_values(before[i1 + k], after[j1 + k], kind, loc + (j1 + k,), out)
            for k in range(i1 + n, i2):
                out.append(_change(loc + (k,), before[k], None, kind, new_loc=loc))
            for k in range(j1 + n, j2):
                out.append(_change(loc + (k,), None, after[k], kind))
        return out
    out.append(_change(loc, before, after, kind))
    return out


def _change(loc: tuple[Any, ...], before: Any, after: Any, kind: str, new_loc: tuple[Any, ...] | None = None) -> FieldChange:
    exc = excerpt(before, after) if isinstance(before, str) and isinstance(after, str) else None
    return FieldChange(field_path(loc), before, after, new_loc if new_loc is not None else loc, is_goalpost(kind, loc), exc)


def dump(model: Any, exclude: set[str] | None = None) -> dict[str, Any]:
    """A model as JSON-like data (``model_dump(mode="json")``), without the fields in ``exclude``."""
    return model.model_dump(mode="json", exclude=exclude)


def new_reasons(before: Action | None, after: Action | None) -> list[dict[str, Any]]:
    """Entries of ``after``'s ``target.history`` that ``before`` lacks, as JSON-like dicts (date, field, reason, by)."""
    old = list(before.target.history) if before and before.target else []
    new = list(after.target.history) if after and after.target else []
    return [h.model_dump(mode="json") for h in new if h not in old]


def plan_reasons(before: Plan | None, after: Plan | None) -> list[Any]:
    """Entries of ``after``'s ``history`` (plan.yaml) that ``before`` lacks."""
    old = list(before.history) if before else []
    new = list(after.history) if after else []
    return [h for h in new if h not in old]


def action_changes(before: Action, after: Action) -> list[FieldChange]:
    """Changed fields of an action, task rows aside (those are :func:`diff_tasks`'); goalposts flagged."""
    return diff_values(dump(before, {"tasks"}), dump(after, {"tasks"}), "action")


def plan_changes(before: Plan, after: Plan) -> list[FieldChange]:
    """Changed fields of a plan.yaml; goalposts (rating scale, indicators' targets) flagged."""
    return diff_values(dump(before), dump(after), "plan")
