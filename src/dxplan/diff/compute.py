"""The diff: what changed between two states of the plans, as typed results. No wording here.

Two *sides* are compared, each a revision or the working tree
(:class:`dxplan.files.gitio.Side`). Only the plan folders whose files git reports changed
are loaded, each at both sides by the one loader (:func:`dxplan.files.load.load_plan`, through
:mod:`dxplan.diff.sides`), one plan at a time. Everything else is pure functions over the
loaded models:

- :func:`diff_plan` — per plan and per action: actions added/removed/changed;
  task rows added/removed/changed (rows have no ids: within an action and
  fiscal year they are matched with :class:`difflib.SequenceMatcher` over
  ``(department, plan)`` keys, so a reworded row is *changed* and an inserted
  row *added*); status transitions with the counts per state before → after;
  progress changes; goalpost changes (target, baseline, deadline, yearly
  targets, effects, indicators, the rating scale); deciding rate and label
  changes (both sides are scored with :func:`dxplan.score.actions.score_plan`); text
  edits summarised as field plus a short excerpt around the edit.
- :func:`diff_sides` — the plan folders of a scope whose files differ (:mod:`dxplan.diff.sides`),
  loaded one plan at a time at both sides and diffed.
- :func:`plan_changes`, :func:`action_changes`, :func:`new_reasons`,
  :func:`plan_reasons` — the field comparison the goalpost rule
  (:mod:`dxplan.rules.goalpost_change`) shares with the diff.

A goalpost change of an action counts as *recorded* when the new side's
``target.history`` has an entry (:class:`~dxplan.model.schema.ChangeRecord`) that the
old side does not; a plan-level one (rating scale, indicators) when the new
``plan.yaml``'s ``history`` has such an entry. The writers are in
:mod:`dxplan.diff.view`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dxplan.status.counts import status_table
from dxplan.files.gitio import Side
from dxplan.files.load import LoadedAction, LoadedPlan
from dxplan.files.parallel import imap_ordered
from dxplan.files.pool import WINDOW
from .sides import PlanPair, Sides, close_readers, load_pair
from dxplan.model.schema import STATE_ORDER, Action, Plan, State
from dxplan.files.layout import PLAN_FILE, is_yaml
from dxplan.problems import Problem
from dxplan.model.changes import FieldChange, action_changes, dump, diff_values, new_reasons, plan_changes, plan_reasons
from dxplan.score.actions import ActionScore, score_plan
from dxplan.score.rates import range_key_of

# --------------------------------------------------------------------------- changes


@dataclass
class TaskChange:
    """A task row added, removed or changed within one action and fiscal year.

    Indexes are 0-based positions in the action's ``tasks`` list on each side.
    ``status_before``/``status_after`` are the status words; ``fields`` the
    other changed fields of a changed row (``plan``, ``result``, ``progress`` …).
    """

    change: str
    fiscal_year: int
    before_index: int | None
    after_index: int | None
    department: str | None
    plan: str | None
    status_before: str | None = None
    status_after: str | None = None
    progress_before: float | None = None
    progress_after: float | None = None
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def status_changed(self) -> bool:
        return self.change == "changed" and self.status_before != self.status_after


@dataclass
class CountsChange:
    """Task rows per state for one fiscal year, before and after.

    Keys: the canonical states (``not_started`` … ``done``), ``no_status`` and
    ``unknown`` (a word the plan does not declare).
    """

    fiscal_year: int
    before: dict[str, int]
    after: dict[str, int]


@dataclass
class ScoreView:
    """An action's evaluation as shown: deciding method, rate (one decimal, as text), label, state and, for a rate
    outside 0–100 %, why (``range``: a key of :data:`dxplan.score.rates.RANGE_NOTES`, None inside)."""

    method: str | None
    rate: str | None
    label: str
    state: str
    range: str | None = None


@dataclass
class ActionDiff:
    """What changed in one action (``change``: added, removed or changed)."""

    id: str
    title: str
    change: str
    path: str
    before_path: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    tasks: list[TaskChange] = field(default_factory=list)
    counts: list[CountsChange] = field(default_factory=list)
    score_before: ScoreView | None = None
    score_after: ScoreView | None = None
    recorded: bool = False
    reasons: list[dict[str, Any]] = field(default_factory=list)

    @property
    def goalposts(self) -> list[FieldChange]:
        return [f for f in self.fields if f.goalpost]

    @property
    def score_changed(self) -> bool:
        a, b = self.score_before, self.score_after
        if a is None or b is None:
            return False
        return (a.method, a.rate, a.label) != (b.method, b.rate, b.label)

    @property
    def transitions(self) -> Counter:
        """Counter of (status before, status after) over changed rows whose status changed."""
        return Counter((t.status_before, t.status_after) for t in self.tasks if t.status_changed)


@dataclass
class PlanDiff:
    """What changed in one plan folder (``change``: added, removed, changed or unchanged)."""

    root: str
    id: str
    title: str
    municipality: str
    change: str
    fiscal_year_style: str = "reiwa"
    state_words: dict[str, str] = field(default_factory=dict)
    labels: dict[str, Any] = field(default_factory=dict)
    fields: list[FieldChange] = field(default_factory=list)
    recorded: bool = False
    counts: list[CountsChange] = field(default_factory=list)
    actions: list[ActionDiff] = field(default_factory=list)
    problems_before: list[Problem] = field(default_factory=list)
    problems_after: list[Problem] = field(default_factory=list)

    @property
    def goalposts(self) -> list[FieldChange]:
        return [f for f in self.fields if f.goalpost]

    def summary(self) -> dict[str, Any]:
        """Counts for the summary table: actions and task rows added/removed/changed, transitions, goalposts, score changes."""
        acts = Counter(a.change for a in self.actions)
        rows = Counter(t.change for a in self.actions for t in a.tasks)
        trans: Counter = Counter()
        for a in self.actions:
            trans.update(a.transitions)
        goal_actions = [a for a in self.actions if a.goalposts]
        return {
            "actions_added": acts["added"],
            "actions_removed": acts["removed"],
            "actions_changed": acts["changed"],
            "rows_added": rows["added"],
            "rows_removed": rows["removed"],
            "rows_changed": rows["changed"],
            "transitions": [{"before": b, "after": a, "count": n} for (b, a), n in sorted(trans.items(), key=lambda kv: -kv[1])],
            "goalposts": sum(len(a.goalposts) for a in self.actions) + len(self.goalposts),
            "goalposts_unrecorded": sum(len(a.goalposts) for a in goal_actions if not a.recorded)
            + (0 if self.recorded else len(self.goalposts)),
            "scores_changed": sum(a.score_changed for a in self.actions),
        }

    @property
    def has_changes(self) -> bool:
        return self.change != "unchanged"


@dataclass
class DiffResult:
    """The whole comparison: the two sides and one :class:`PlanDiff` per plan folder whose files differ
    (its ``change`` is ``unchanged`` when only comments or layout changed); ``roots``: the plan folders
    found at either side, changed or not."""

    base: Side
    head: Side
    plans: list[PlanDiff]
    roots: int = 0

    @property
    def load_errors(self) -> list[Problem]:
        """Errors of files on the new side that did not load (they are left out of the comparison)."""
        return [p for pd in self.plans for p in pd.problems_after if p.severity == "error"]


# --------------------------------------------------------------------------- helpers


def _row_key(task: Any) -> str:
    return f"{task.department or ''}\0{task.plan or ''}"


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def diff_tasks(before: Action | None, after: Action | None) -> list[TaskChange]:
    """Task rows added, removed or changed between two versions of an action.

    Rows are matched per fiscal year: SequenceMatcher over ``(department,
    plan)`` keys finds the rows that stayed; within a replaced block rows are
    paired one for one when the block sizes are equal (a reworded row), else
    by similarity of their keys (≥ 0.5), and the rest are added or removed.
    """
    b_tasks = list(before.tasks) if before else []
    a_tasks = list(after.tasks) if after else []
    years = sorted({t.fiscal_year for t in b_tasks} | {t.fiscal_year for t in a_tasks})
    out: list[TaskChange] = []
    for fy in years:
        bi = [i for i, t in enumerate(b_tasks) if t.fiscal_year == fy]
        ai = [i for i, t in enumerate(a_tasks) if t.fiscal_year == fy]
        bk = [_row_key(b_tasks[i]) for i in bi]
        ak = [_row_key(a_tasks[i]) for i in ai]
        pairs: list[tuple[int | None, int | None]] = []
        sm = difflib.SequenceMatcher(None, bk, ak, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                pairs += [(bi[i1 + k], ai[j1 + k]) for k in range(i2 - i1)]
                continue
            bs, as_ = list(range(i1, i2)), list(range(j1, j2))
            if len(bs) == len(as_):
                pairs += [(bi[x], ai[y]) for x, y in zip(bs, as_, strict=True)]
                continue
            scored = sorted(((_similar(bk[x], ak[y]), x, y) for x in bs for y in as_), reverse=True)
            used_b: set[int] = set()
            used_a: set[int] = set()
            matched: list[tuple[int, int]] = []
            for score, i, j in scored:
                if score < 0.5 or i in used_b or j in used_a:
                    continue
                if any((i < mx) != (j < my) for mx, my in matched):
                    continue  # keep the order of rows
                matched.append((i, j))
                used_b.add(i)
                used_a.add(j)
            pairs += [(bi[x], ai[y]) for x, y in matched]
            pairs += [(bi[x], None) for x in bs if x not in used_b]
            pairs += [(None, ai[y]) for y in as_ if y not in used_a]
        pairs.sort(key=lambda p: (p[1] if p[1] is not None else (p[0] or 0) + 0.5))
        for x, y in pairs:
            tb = b_tasks[x] if x is not None else None
            ta = a_tasks[y] if y is not None else None
            if tb is not None and ta is not None:
                if tb == ta:
                    continue
                fields = diff_values(dump(tb, {"fiscal_year", "status", "progress"}), dump(ta, {"fiscal_year", "status", "progress"}), "task", ("tasks", y))
                out.append(TaskChange("changed", fy, x, y, ta.department, ta.plan, tb.status, ta.status, tb.progress, ta.progress, fields))
            elif ta is not None:
                out.append(TaskChange("added", fy, None, y, ta.department, ta.plan, None, ta.status, None, ta.progress))
            else:
                assert tb is not None, "each pair holds a row on one side at least"
                out.append(TaskChange("removed", fy, x, None, tb.department, tb.plan, tb.status, None, tb.progress, None))
    return out


def _counts(plan: Plan | None, actions: list[Action], fy: int) -> dict[str, int]:
    zero = {s.value: 0 for s in STATE_ORDER} | {"no_status": 0, "unknown": 0}
    if plan is None or not actions:
        return zero
    c = status_table(plan, actions, fy).total
    return {s.value: c.states[s] for s in STATE_ORDER} | {"no_status": c.no_status, "unknown": c.unknown}


def diff_counts(bplan: Plan | None, bacts: list[Action], aplan: Plan | None, aacts: list[Action]) -> list[CountsChange]:
    """Task rows per state and fiscal year, before and after, for the fiscal years where they differ."""
    years = sorted({t.fiscal_year for a in bacts for t in a.tasks} | {t.fiscal_year for a in aacts for t in a.tasks})
    out = []
    for fy in years:
        b, a = _counts(bplan, bacts, fy), _counts(aplan, aacts, fy)
        if b != a:
            out.append(CountsChange(fy, b, a))
    return out


def _score_view(s: ActionScore | None) -> ScoreView | None:
    if s is None:
        return None
    return ScoreView(s.deciding, s.rate.shown if s.rate else None, s.label, s.state, range_key_of(s.rate.range_note) if s.rate else None)


def _natural(text: str) -> tuple:
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", text) if t)


def _by_id(actions: list[LoadedAction]) -> dict[str, LoadedAction]:
    out: dict[str, LoadedAction] = {}
    for la in actions:
        key = la.action.id
        if key in out:
            key = f"{key}@{la.doc.path.name}"
        out[key] = la
    return out


def _rel(path: Path, repo: Path | None) -> str:
    if repo is not None:
        try:  # the loader's paths are under the repository as given: no file-system look-up needed
            return Path(path).relative_to(repo).as_posix()
        except ValueError:
            pass
        try:
            return Path(path).resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


def diff_action(before: LoadedAction | None, after: LoadedAction | None, repo: Path | None = None) -> ActionDiff:
    """The changes of one action between two sides (either may be None: added or removed). Scores are left empty."""
    ab = before.action if before else None
    aa = after.action if after else None
    ref = aa or ab
    side = after or before
    assert ref is not None and side is not None, "an action is on one side at least"
    change = "added" if ab is None else "removed" if aa is None else "changed"
    path = _rel(side.doc.path, repo)
    bpath = _rel(before.doc.path, repo) if before else None
    ad = ActionDiff(ref.id, ref.title, change, path, bpath if bpath != path else None)
    if ab is not None and aa is not None:  # changed
        ad.fields = action_changes(ab, aa)
        ad.reasons = new_reasons(ab, aa)
        ad.recorded = bool(ad.reasons)
    ad.tasks = diff_tasks(ab, aa) if change == "changed" else []
    return ad


def diff_plan(before: LoadedPlan | None, after: LoadedPlan | None, repo: Path | None = None) -> PlanDiff:
    """What changed in one plan folder between two loaded sides (either may be None or not loaded).

    Actions are matched by id. Both sides are scored; an action whose files
    did not change but whose rate or label did (a plan-level rule change) is
    listed as changed. Files that did not load on a side are listed in
    ``problems_before``/``problems_after`` and left out.
    """
    bp = before.plan if before else None
    ap = after.plan if after else None
    ref_plan = ap or bp
    side = after or before
    root = _rel(side.root, repo) if side else ""
    if ref_plan is None:
        pd = PlanDiff(root, side.name if side else root, "", "", "changed")
    else:
        loaded = after if ap is not None else before
        assert loaded is not None, "ref_plan was loaded on this side"
        index = loaded.index
        pd = PlanDiff(
            root,
            ref_plan.id,
            ref_plan.title,
            ref_plan.municipality,
            "added" if bp is None and before is None else "removed" if after is None else "changed",
            ref_plan.fiscal_year_style,
            {s.value: index.state_word(s) for s in State},
            ref_plan.labels.model_dump(),
        )
    pd.problems_before = list(before.problems) if before else []
    pd.problems_after = list(after.problems) if after else []
    if bp is not None and ap is not None:
        pd.fields = plan_changes(bp, ap)
        pd.recorded = bool(plan_reasons(bp, ap))
    b_actions = _by_id(before.actions if before and bp else [])
    a_actions = _by_id(after.actions if after and ap else [])
    b_scores = {s.action_id: s for s in score_plan(bp, [la.action for la in b_actions.values()])} if bp else {}
    a_scores = {s.action_id: s for s in score_plan(ap, [la.action for la in a_actions.values()])} if ap else {}
    for key in sorted(set(b_actions) | set(a_actions), key=_natural):
        la_b, la_a = b_actions.get(key), a_actions.get(key)
        ad = diff_action(la_b, la_a, repo)
        ad.score_before = _score_view(b_scores.get(la_b.action.id)) if la_b else None
        ad.score_after = _score_view(a_scores.get(la_a.action.id)) if la_a else None
        if ad.change != "changed" or ad.fields or ad.tasks or ad.score_changed:
            if ad.change == "changed":
                assert la_b is not None and la_a is not None, "a changed action is on both sides"
                ad.counts = diff_counts(bp, [la_b.action], ap, [la_a.action])
            pd.actions.append(ad)
    pd.counts = diff_counts(bp, [la.action for la in b_actions.values()], ap, [la.action for la in a_actions.values()])
    if pd.change == "changed" and not (pd.fields or pd.actions or pd.counts or _load_change(pd)):
        pd.change = "unchanged"
    return pd


def _load_change(pd: PlanDiff) -> bool:
    key = lambda p: (p.path.name, p.rule, p.message_en)  # noqa: E731
    return sorted(map(key, pd.problems_before)) != sorted(map(key, pd.problems_after))


def diff_sides(repo: Path, base: Side, head: Side, scope: str = "") -> DiffResult:
    """Compare the plan folders of ``scope`` (repository-relative) whose files differ between the two sides.

    One ``git diff`` names the changed files (:class:`dxplan.diff.sides.Sides`); only the plan
    folders holding one are loaded, one plan at a time at both sides, diffed and let go (in worker
    processes, :func:`dxplan.files.parallel.imap_ordered`, results in the folders' order), so the
    work and the memory follow the change, not the number of plans. ``DiffResult.roots`` counts
    every plan folder found at either side. Raises :class:`dxplan.files.gitio.GitError` when git fails.
    """
    assert base.commit is not None, "the base side is a revision"
    sides = Sides(repo, base.commit, head.commit, scope)
    items = [(pair, scope) for pair in sides.pairs()]
    try:
        plans = list(imap_ordered(_diff_pair, items, window=WINDOW))
    finally:
        close_readers()
    return DiffResult(base, head, plans, len(sides.roots))


def _diff_pair(item: tuple[PlanPair, str]) -> PlanDiff:
    """One plan folder loaded at both sides and diffed (in a worker process, or in this one); narrowed to a file scope."""
    pair, scope = item
    before, after = load_pair(pair)
    pd = diff_plan(before, after, pair.repo)
    if scope and scope != pair.root and is_yaml(scope):
        _narrow(pd, scope)
    return pd


def _narrow(pd: PlanDiff, file: str) -> None:
    """Keep only what concerns one file of the plan (``dxplan diff BASE plans/x/actions/13.yaml``)."""
    if PurePosixPath(file).name != PLAN_FILE:
        pd.fields = []
        pd.counts = []
    pd.actions = [a for a in pd.actions if file in (a.path, a.before_path)]
    key = PurePosixPath(file).name
    pd.problems_before = [p for p in pd.problems_before if p.path.name == key]
    pd.problems_after = [p for p in pd.problems_after if p.path.name == key]
    if pd.change == "changed" and not (pd.fields or pd.actions or pd.counts):
        pd.change = "unchanged"

