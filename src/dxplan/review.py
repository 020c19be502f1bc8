"""Review: what changed between two states of the plans, in plain words, and the goalpost guard.

Two *sides* are compared: plans loaded at a git revision (:func:`load_plan_at`,
which asks :mod:`dxplan.gitio` for the files) or from the working tree
(:func:`dxplan.load.load_plan`). Everything else here is pure functions over the
loaded models:

- :func:`diff_plan` — per plan and per action: actions added/removed/changed;
  task rows added/removed/changed (rows have no ids: within an action and
  fiscal year they are matched with :class:`difflib.SequenceMatcher` over
  ``(department, plan)`` keys, so a reworded row is *changed* and an inserted
  row *added*); status transitions with the counts per state before → after;
  progress changes; goalpost changes (target, baseline, deadline, yearly
  targets, effects, indicators, the rating scale); deciding rate and label
  changes (both sides are scored with :func:`dxplan.score.score_plan`); text
  edits summarised as field plus a short excerpt around the edit.
- :func:`goalpost_problems` — ``dxplan lint --base REV``: a goalpost change
  without a recorded reason is an error of rule ``goalpost-change``.
- :func:`render_text`, :func:`render_markdown` (``templates/diff.md.j2``),
  :func:`to_json` — the three output forms of ``dxplan diff``.

A goalpost change of an action counts as *recorded* when the new side's
``target.history`` has an entry (:class:`~dxplan.model.ChangeRecord`) that the
old side does not; a plan-level one (rating scale, indicators) when the new
``plan.yaml``'s ``history`` has such an entry.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .aggregate import status_table
from .fiscal import format_fiscal_year
from .i18n import STATE_EN
from .i18n import N_, Text
from .i18n import tr as t
from .load import ACTIONS_DIR, PLAN_FILE, Document, LoadedAction, LoadedPlan, load_plan, read_document, validate
from .model import STATE_ORDER, Action, Plan, State
from .planindex import PlanIndex
from .problems import Problem
from .rules import field_path, load_rules
from .score import ActionScore, score_plan

# --------------------------------------------------------------------------- sides


@dataclass
class Side:
    """One side of a comparison: a revision (``commit`` set) or the working tree (``commit`` None)."""

    label: str
    commit: str | None = None
    short: str | None = None

    @property
    def worktree(self) -> bool:
        return self.commit is None

    def name(self, lang: str = "ja") -> str:
        """How the side is shown: ``a1b2c3d (HEAD~1)`` or 作業ツリー / working tree."""
        if self.commit is None:
            return "作業ツリー" if lang == "ja" else "working tree"
        return f"{self.short} ({self.label})" if self.label and self.label != self.short else f"{self.short}"


def _decode(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [load_rules()["encoding"].problem(path, line, col, byte=f"0x{raw[exc.start]:02x}")]


def load_plan_at(repo: Path, commit: str, root: str, files: list[str] | None = None) -> LoadedPlan:
    """Load plan folder ``root`` (repository-relative, posix) as it is at ``commit``.

    ``files``: the repository's file list at ``commit`` under ``root`` (fetched
    when omitted). Documents get the working-tree path ``repo/<file>`` so that
    messages name the file a reviewer knows; they are parsed without positions
    (fast), which are computed on demand for files with problems. Like :func:`dxplan.load.load_plan`,
    problems are collected, never raised; raises :class:`dxplan.gitio.GitError`
    only when git itself fails.
    """
    from . import gitio

    root = root.strip("/")
    base = PurePosixPath(root) if root else PurePosixPath()
    if files is None:
        files = gitio.list_files(commit, root, repo)
    plan_rel = str(base / PLAN_FILE)
    actions_dir = base / ACTIONS_DIR
    action_rels = sorted(
        f for f in files if PurePosixPath(f).parent == actions_dir and PurePosixPath(f).suffix in (".yaml", ".yml")
    )
    wanted = [plan_rel, *action_rels]
    blobs = gitio.read_blobs(commit, wanted, repo)
    rules = load_rules()
    problems: list[Problem] = []
    plan = None
    plan_doc = None
    raw = blobs.get(plan_rel)
    plan_path = repo / plan_rel
    if raw is None:
        problems.append(rules["io-error"].problem(plan_path, 1, 1, reason=f"not in {commit[:12]}"))
    else:
        text, probs = _decode(plan_path, raw)
        problems += probs
        if text is not None:
            doc, probs = read_document(plan_path, text=text, fast=True)
            problems += probs
            if doc is not None:
                plan, probs = validate(doc, Plan)
                problems += probs
                plan_doc = doc if plan else None
    loaded = LoadedPlan(root=repo / root if root else repo, plan=plan, plan_doc=plan_doc, problems=problems)
    for rel in action_rels:
        path = repo / rel
        raw = blobs.get(rel)
        if raw is None:
            continue
        text, probs = _decode(path, raw)
        loaded.problems += probs
        if text is None:
            continue
        doc, probs = read_document(path, text=text, fast=True)
        loaded.problems += probs
        if doc is None:
            continue
        action, probs = validate(doc, Action)
        loaded.problems += probs
        if action is not None:
            loaded.actions.append(LoadedAction(action, doc))
    return loaded


def plan_roots_in(files: list[str], scope: str) -> list[str]:
    """Plan folders (repository-relative) that ``scope`` names, given a list of repository files.

    Same rules as :func:`dxplan.load.discover`: ``scope`` is a plan folder, a
    folder whose sub-folders are plan folders, or a file inside a plan folder.
    ``""`` is the repository top.
    """
    scope = scope.strip("/")
    sp = PurePosixPath(scope) if scope else PurePosixPath()
    plans = {str(PurePosixPath(f).parent) for f in files if PurePosixPath(f).name == PLAN_FILE}
    plans = {"" if p == "." else p for p in plans}
    if scope in plans:
        return [scope]
    children = sorted(p for p in plans if p and (PurePosixPath(p).parent == sp or (not scope and "/" not in p)))
    if children:
        return children
    for cand in (sp.parent, sp.parent.parent):
        c = "" if str(cand) == "." else str(cand)
        if c in plans and scope:
            return [c]
    return []


def worktree_plan_roots(repo: Path, scope: str) -> list[str]:
    """Plan folders (repository-relative) that ``scope`` names in the working tree (see :func:`plan_roots_in`)."""
    top = repo / scope if scope else repo
    files: list[str] = []
    if top.is_file():
        top = top.parent
        files = [str(p.relative_to(repo).as_posix()) for p in (top / PLAN_FILE, top.parent / PLAN_FILE) if p.is_file()]
    elif top.is_dir():
        cands = [top / PLAN_FILE, *top.glob(f"*/{PLAN_FILE}")]
        files = [p.relative_to(repo).as_posix() for p in cands if p.is_file()]
    return plan_roots_in(files, scope)


# --------------------------------------------------------------------------- changes


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
    """An action's evaluation as shown: deciding method, rate (one decimal, as text) and label."""

    method: str | None
    rate: str | None
    label: str
    state: str


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
    """The whole comparison: the two sides and one :class:`PlanDiff` per plan folder."""

    base: Side
    head: Side
    plans: list[PlanDiff]

    @property
    def load_errors(self) -> list[Problem]:
        """Errors of files on the new side that did not load (they are left out of the comparison)."""
        return [p for pd in self.plans for p in pd.problems_after if p.severity == "error"]


# --------------------------------------------------------------------------- helpers

_ACTION_GOALPOSTS = (("target", "text"), ("target", "spec"), ("yearly_targets",), ("effects",))
_INDICATOR_GOALPOST_KEYS = {"baseline", "target_text", "target_value", "direction", "deadline", "unit"}


def is_goalpost(kind: str, loc: tuple[Any, ...]) -> bool:
    """Whether a change at ``loc`` (model path) of a ``plan`` or ``action`` moves a goalpost.

    Action: the target as a whole, its text and numeric spec (value, baseline,
    deadline, kind, unit …), yearly targets and effect targets (except their
    notes). Plan: the rating scale, and indicators' baseline, target, unit,
    direction and deadline.
    """
    keys = tuple(p for p in loc if not isinstance(p, int))
    if kind not in ("action", "plan"):
        return False
    if kind == "action":
        if keys == ("target",):
            return True
        if keys and keys[-1] == "note":
            return False
        return any(keys[: len(g)] == g for g in _ACTION_GOALPOSTS)
    if keys[:1] == ("rating_scale",):
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
        return _clip(before, limit), _clip(after, limit)

    def cut(s: str, lo: int, hi: int) -> str:
        start = max(0, lo - context)
        end = min(len(s), hi + context, max(hi, lo + limit) + context)
        if hi - lo > limit:
            end = lo + limit
        return ("…" if start > 0 else "") + s[start:end] + ("…" if end < len(s) else "")

    return cut(before, ops[0][1], ops[-1][2]), cut(after, ops[0][3], ops[-1][4])


def _clip(s: str, limit: int) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def show_value(value: Any, limit: int = 60) -> str:
    """A value as one short line: ``—`` for none, JSON for lists and maps, text clipped to ``limit``."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return _clip(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")), limit)
    return _clip(str(value), limit)


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


def _dump(model: Any, exclude: set[str] | None = None) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude=exclude)


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
                pairs += [(bi[x], ai[y]) for x, y in zip(bs, as_)]
                continue
            scored = sorted(((_similar(bk[x], ak[y]), x, y) for x in bs for y in as_), reverse=True)
            used_b: set[int] = set()
            used_a: set[int] = set()
            matched: list[tuple[int, int]] = []
            for score, x, y in scored:
                if score < 0.5 or x in used_b or y in used_a:
                    continue
                if any((x < mx) != (y < my) for mx, my in matched):
                    continue  # keep the order of rows
                matched.append((x, y))
                used_b.add(x)
                used_a.add(y)
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
                fields = diff_values(_dump(tb, {"fiscal_year", "status", "progress"}), _dump(ta, {"fiscal_year", "status", "progress"}), "task", ("tasks", y))
                out.append(TaskChange("changed", fy, x, y, ta.department, ta.plan, tb.status, ta.status, tb.progress, ta.progress, fields))
            elif ta is not None:
                out.append(TaskChange("added", fy, None, y, ta.department, ta.plan, None, ta.status, None, ta.progress))
            else:
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
    return ScoreView(s.deciding, s.rate.shown if s.rate else None, s.label, s.state)


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
        try:
            return Path(path).resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


def _new_history(before: Action | None, after: Action | None) -> list[dict[str, Any]]:
    old = list(before.target.history) if before and before.target else []
    new = list(after.target.history) if after and after.target else []
    return [h.model_dump(mode="json") for h in new if h not in old]


def _plan_history(before: Plan | None, after: Plan | None) -> list[Any]:
    old = list(before.history) if before else []
    new = list(after.history) if after else []
    return [h for h in new if h not in old]


def diff_action(before: LoadedAction | None, after: LoadedAction | None, repo: Path | None = None) -> ActionDiff:
    """The changes of one action between two sides (either may be None: added or removed). Scores are left empty."""
    ab = before.action if before else None
    aa = after.action if after else None
    ref = aa or ab
    change = "added" if ab is None else "removed" if aa is None else "changed"
    path = _rel((after or before).doc.path, repo)
    bpath = _rel(before.doc.path, repo) if before else None
    ad = ActionDiff(ref.id, ref.title, change, path, bpath if bpath != path else None)
    if change == "changed":
        ad.fields = diff_values(_dump(ab, {"tasks"}), _dump(aa, {"tasks"}), "action")
        ad.reasons = _new_history(ab, aa)
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
    root = _rel((after or before).root, repo) if (after or before) else ""
    if ref_plan is None:
        pd = PlanDiff(root, (after or before).name if (after or before) else root, "", "", "changed")
    else:
        index = PlanIndex(ref_plan)
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
        pd.fields = diff_values(_dump(bp), _dump(ap), "plan")
        pd.recorded = bool(_plan_history(bp, ap))
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
                ad.counts = diff_counts(bp, [la_b.action], ap, [la_a.action])
            pd.actions.append(ad)
    pd.counts = diff_counts(bp, [la.action for la in b_actions.values()], ap, [la.action for la in a_actions.values()])
    if pd.change == "changed" and not (pd.fields or pd.actions or pd.counts or _load_change(pd)):
        pd.change = "unchanged"
    return pd


def _load_change(pd: PlanDiff) -> bool:
    key = lambda p: (p.path.name, p.rule, p.message_en)  # noqa: E731
    return sorted(map(key, pd.problems_before)) != sorted(map(key, pd.problems_after))


# --------------------------------------------------------------------------- git sides


def load_side(repo: Path, side: Side, scope: str) -> dict[str, LoadedPlan]:
    """Every plan ``scope`` names on one side, by repository-relative plan folder.

    A revision is read with ``git ls-tree``/``git cat-file``; the working tree from disk.
    """
    from . import gitio

    if side.commit is None:
        return {root: load_plan(repo / root if root else repo, positions=False) for root in worktree_plan_roots(repo, scope)}
    files = gitio.list_files(side.commit, scope, repo)
    roots = plan_roots_in(files, scope)
    if scope and not roots:
        # the scope may be a file in a plan folder (plan.yaml or actions/x.yaml): look two levels up
        up = str(PurePosixPath(scope).parent.parent)
        files = gitio.list_files(side.commit, "" if up == "." else up, repo)
        roots = plan_roots_in(files, scope)
    out = {}
    for root in roots:
        sub = [f for f in files if f.startswith(f"{root}/")] if root else files
        out[root] = load_plan_at(repo, side.commit, root, sub)
    return out


def diff_sides(repo: Path, base: Side, head: Side, scope: str = "") -> DiffResult:
    """Load both sides of ``scope`` (repository-relative) and compare every plan folder found on either.

    Raises :class:`dxplan.gitio.GitError` when git fails.
    """
    before = load_side(repo, base, scope)
    after = load_side(repo, head, scope)
    plans = []
    for root in sorted(set(before) | set(after)):
        pd = diff_plan(before.get(root), after.get(root), repo)
        if scope and scope != root and PurePosixPath(scope).suffix in (".yaml", ".yml"):
            _narrow(pd, scope)
        plans.append(pd)
    return DiffResult(base, head, plans)


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


def goalpost_problems(base_rev: str, loaded_plans: list[LoadedPlan]) -> list[Problem]:
    """Goalpost changes since ``base_rev`` without a recorded reason, as ``goalpost-change`` errors.

    For each loaded plan (the working tree side), the same plan folder is read
    at ``base_rev`` and compared. An action's goalpost changes (target text or
    spec, yearly targets, effects) are recorded when its ``target.history``
    gained an entry; plan-level ones (rating scale, indicators) when the
    plan's ``history`` gained one. Positions point at the changed field in the new
    file. Plans and actions that did not exist at ``base_rev`` are new, not
    changed. Raises :class:`dxplan.gitio.GitError` when the files are not in a
    git repository or ``base_rev`` is not available (saying what to fetch).
    """
    from . import gitio

    rule = load_rules()["goalpost-change"]
    problems: list[Problem] = []
    cache: dict[Path, tuple[str, list[str]]] = {}
    for lp in loaded_plans:
        repo = gitio.repo_root(lp.root)
        if repo not in cache:
            commit = gitio.resolve(base_rev, repo)
            cache[repo] = (commit, gitio.list_files(commit, "", repo))
        commit, files = cache[repo]
        root = lp.root.resolve().relative_to(repo).as_posix()
        root = "" if root == "." else root
        prefix = f"{root}/" if root else ""
        if f"{prefix}{PLAN_FILE}" not in files:
            continue
        base = load_plan_at(repo, commit, root, [f for f in files if f.startswith(prefix)])
        if base.plan is not None and lp.plan is not None and lp.plan_doc is not None:
            recorded = bool(_plan_history(base.plan, lp.plan))
            for fc in diff_values(_dump(base.plan), _dump(lp.plan), "plan"):
                if fc.goalpost and not recorded:
                    problems.append(_goalpost_problem(rule, lp.plan_doc, fc, base_rev, plan_level=True))
        base_by_id = {la.action.id: la for la in base.actions}
        for la in lp.actions:
            old = base_by_id.get(la.action.id)
            if old is None:
                continue
            if _new_history(old.action, la.action):
                continue
            for fc in diff_values(_dump(old.action, {"tasks"}), _dump(la.action, {"tasks"}), "action"):
                if fc.goalpost:
                    problems.append(_goalpost_problem(rule, la.doc, fc, base_rev, plan_level=False))
    return problems


def _goalpost_problem(rule: Any, doc: Document, fc: FieldChange, rev: str, *, plan_level: bool) -> Problem:
    line, col = doc.position(fc.loc)
    record = Text(N_("plan.yaml's history")) if plan_level else "target.history"
    return rule.problem(
        doc.path,
        line,
        col,
        field=fc.field,
        before=show_value(fc.before, 40),
        after=show_value(fc.after, 40),
        rev=rev,
        record=record,
    )


# --------------------------------------------------------------------------- rendering

_METHOD = {
    "target": ("目標値", "target"),
    "tasks": ("タスク平均", "task mean"),
    "summary": ("総括評価", "summary evaluation"),
    None: ("", ""),
}


def fy_name(pd: PlanDiff, fy: int, lang: str) -> str:
    """A fiscal year in the plan's style (ja) or as ``FY2024`` (en)."""
    return format_fiscal_year(fy, pd.fiscal_year_style) if lang == "ja" else f"FY{fy}"


def state_name(pd: PlanDiff, state: str, lang: str) -> str:
    """The plan's word for a canonical state (ja), the state in English (en); 状況なし / no status; 未定義 / unknown."""
    if state == "no_status":
        return t(lang, "状況なし", "no status")
    if state == "unknown":
        return t(lang, "未定義の語", "undeclared word")
    return pd.state_words.get(state, state) if lang == "ja" else STATE_EN.get(state, state)


def field_name(pd: PlanDiff, path: str, lang: str) -> str:
    """A field path for people: the plan's own label for the top field in Japanese (``目指すこと``), the path in English."""
    if lang != "ja":
        return path
    m = re.match(r"^(tasks\[\d+\]\.)?([a-z_]+)(.*)$", path)
    if not m:
        return path
    top, rest = m.group(2), m.group(3)
    label = pd.labels.get(top) if isinstance(pd.labels.get(top), str) else None
    if not label:
        return path
    return f"{label}{('（' + rest.lstrip('.') + '）') if rest else ''}"


def score_text(s: ScoreView | None, lang: str) -> str:
    """``54.2% 概ね達成`` / ``未評価`` / ``—`` (no action on that side)."""
    if s is None:
        return "—"
    if s.rate is None:
        if s.state == "insufficient_data":
            return t(lang, "未評価（データ不足）", "not evaluated (insufficient data)")
        return s.label if lang == "ja" else {"未評価": "not evaluated"}.get(s.label, s.label)
    return f"{s.rate}% {s.label}"


def status_text(word: str | None, lang: str) -> str:
    """A status word as written, or （なし）/ (none)."""
    return word or t(lang, "（なし）", "(none)")


def counts_text(pd: PlanDiff, c: CountsChange, lang: str) -> str:
    """``検討中 2 → 1, 進捗中 1 → 2`` for the states whose count changed."""
    parts = []
    for key in [s.value for s in STATE_ORDER] + ["no_status", "unknown"]:
        b, a = c.before.get(key, 0), c.after.get(key, 0)
        if b != a:
            parts.append(f"{state_name(pd, key, lang)} {b} → {a}")
    return ", ".join(parts)


def transitions_text(pd: PlanDiff, lang: str, limit: int = 3) -> str:
    """``検討中 → 進捗中 ×2, 進捗中 → 完了 ×1`` over the plan's changed rows."""
    items = pd.summary()["transitions"]
    parts = [f"{status_text(x['before'], lang)} → {status_text(x['after'], lang)} ×{x['count']}" for x in items[:limit]]
    if len(items) > limit:
        parts.append("…")
    return ", ".join(parts)


def task_label(pd: PlanDiff, tc: TaskChange, lang: str) -> str:
    """``令和6年度 #2 デジタル戦略課「事例等の調査・研究」`` (row numbers are 1-based on the new side)."""
    idx = tc.after_index if tc.after_index is not None else tc.before_index
    who = f"{tc.department}" if tc.department else ""
    what = f"「{_clip(tc.plan, 30)}」" if tc.plan else ""
    return f"{fy_name(pd, tc.fiscal_year, lang)} #{(idx or 0) + 1} {who}{what}".strip()


def task_lines(pd: PlanDiff, tc: TaskChange, lang: str) -> list[str]:
    """Plain-text lines describing one task row change."""
    head = task_label(pd, tc, lang)
    if tc.change == "added":
        st = f"（{tc.status_after}）" if tc.status_after else ""
        return [t(lang, f"タスク追加 {head}{st}", f"task added {head}{(' (' + tc.status_after + ')') if tc.status_after else ''}")]
    if tc.change == "removed":
        return [t(lang, f"タスク削除 {head}", f"task removed {head}")]
    parts = []
    if tc.status_before != tc.status_after:
        parts.append(t(lang, "進捗状況", "status") + f" {status_text(tc.status_before, lang)} → {status_text(tc.status_after, lang)}")
    if tc.progress_before != tc.progress_after:
        parts.append(t(lang, "進捗率", "progress") + f" {show_value(tc.progress_before)}% → {show_value(tc.progress_after)}%".replace("—%", "—"))
    for fc in tc.fields:
        parts.append(field_change_text(pd, fc, lang, strip_task=True))
    return [f"{head}: " + "; ".join(parts)]


def field_change_text(pd: PlanDiff, fc: FieldChange, lang: str, strip_task: bool = False) -> str:
    """``目標(値)（spec.value）: 30 → 20`` or a text edit ``備考: 「…前…」→「…後…」``."""
    path = re.sub(r"^tasks\[\d+\]\.", "", fc.field) if strip_task else fc.field
    name = field_name(pd, path, lang)
    if fc.excerpt is not None:
        return f"{name}: 「{fc.excerpt[0]}」→「{fc.excerpt[1]}」"
    if fc.change == "added":
        return t(lang, f"{name} 追加: {show_value(fc.after)}", f"{name} added: {show_value(fc.after)}")
    if fc.change == "removed":
        return t(lang, f"{name} 削除: {show_value(fc.before)}", f"{name} removed: {show_value(fc.before)}")
    return f"{name}: {show_value(fc.before)} → {show_value(fc.after)}"


def action_summary(pd: PlanDiff, ad: ActionDiff, lang: str) -> str:
    """One cell: what changed in an action (added/removed, fields, task rows, transitions, goalposts)."""
    if ad.change == "added":
        return t(lang, "追加", "added")
    if ad.change == "removed":
        return t(lang, "削除", "removed")
    parts = []
    goal = ad.goalposts
    if goal:
        fc = goal[0]
        more = t(lang, f" ほか{len(goal) - 1}件", f" +{len(goal) - 1} more") if len(goal) > 1 else ""
        flag = t(lang, "理由: " + "; ".join(r["reason"] for r in ad.reasons), "reason: " + "; ".join(r["reason"] for r in ad.reasons)) if ad.recorded else t(lang, "理由の記録なし", "no recorded reason")
        parts.append(f"{field_change_text(pd, fc, lang)}{more}（{flag}）" if lang == "ja" else f"{field_change_text(pd, fc, lang)}{more} ({flag})")
    rows = Counter(tc.change for tc in ad.tasks)
    if ad.tasks:
        words = [(k, t(lang, j, e)) for k, j, e in (("added", "追加", "added"), ("removed", "削除", "removed"), ("changed", "変更", "changed"))]
        parts.append(t(lang, "タスク ", "tasks ") + "・".join(f"{w} {rows[k]}" for k, w in words if rows[k]))
    trans = ad.transitions
    if trans:
        parts.append(", ".join(f"{status_text(b, lang)} → {status_text(a, lang)}" + (f" ×{n}" if n > 1 else "") for (b, a), n in trans.items()))
    others = [fc for fc in ad.fields if not fc.goalpost]
    if others:
        names = list(dict.fromkeys(field_name(pd, re.sub(r"\[\d+\].*$", "", fc.field), lang) for fc in others))
        parts.append(t(lang, "項目 ", "fields ") + ", ".join(names[:4]) + (" …" if len(names) > 4 else ""))
    if not parts and ad.score_changed:
        parts.append(t(lang, "評価のみ（計画の規則の変更による）", "score only (a plan rule changed)"))
    return "; ".join(parts)


def action_details(pd: PlanDiff, ad: ActionDiff, lang: str) -> list[str]:
    """Plain-text lines with every change of an action (for the folded details and the text form)."""
    lines = []
    if ad.before_path:
        lines.append(t(lang, f"ファイル {ad.before_path} → {ad.path}", f"file {ad.before_path} → {ad.path}"))
    for fc in ad.fields:
        mark = "⚠️ " if fc.goalpost else ""
        lines.append(mark + field_change_text(pd, fc, lang))
    if ad.goalposts:
        if ad.recorded:
            for r in ad.reasons:
                lines.append(t(lang, f"変更理由（{r['date']} {r['field']}）: {r['reason']}", f"reason ({r['date']} {r['field']}): {r['reason']}"))
        else:
            lines.append(t(lang, "⚠️ 目標等の変更理由が target.history に記録されていません", "⚠️ no reason recorded in target.history for the goalpost change"))
    for tc in ad.tasks:
        lines += task_lines(pd, tc, lang)
    for c in ad.counts:
        lines.append(t(lang, "進捗状況 ", "status ") + f"{fy_name(pd, c.fiscal_year, lang)}: {counts_text(pd, c, lang)}")
    if ad.score_changed:
        b, a = ad.score_before, ad.score_after
        how = ""
        if a and a.method:
            how = f"（{_METHOD[a.method][0]}）" if lang == "ja" else f" ({_METHOD[a.method][1]})"
        lines.append(t(lang, "達成率・評価 ", "rate and label ") + f"{score_text(b, lang)} → {score_text(a, lang)}{how}")
    return lines


def split_actions(pd: PlanDiff, limit: int = 20) -> tuple[list[ActionDiff], list[ActionDiff]]:
    """(shown, folded): at most ``limit`` action rows for the visible table, the rest to fold away.

    Shown first: goalpost changes, then rate or label changes, removed actions,
    status transitions, added actions, other edits. Both lists keep the
    actions' order.
    """
    if len(pd.actions) <= limit:
        return list(pd.actions), []

    def rank(ad: ActionDiff) -> int:
        if ad.goalposts:
            return 0
        if ad.score_changed:
            return 1
        if ad.change == "removed":
            return 2
        if ad.transitions:
            return 3
        if ad.change == "added":
            return 4
        return 5

    order = sorted(range(len(pd.actions)), key=lambda i: (rank(pd.actions[i]), i))
    keep = set(order[:limit])
    return [a for i, a in enumerate(pd.actions) if i in keep], [a for i, a in enumerate(pd.actions) if i not in keep]


_MARK = {"added": "+", "removed": "-", "changed": "~"}
"""Line marks of the text form; ``!`` marks an action with a goalpost change."""


def render_text(result: DiffResult, lang: str = "ja") -> str:
    """The plain-text form: one block per plan, one line per action, details indented."""
    out = [f"dxplan diff: {result.base.name(lang)} → {result.head.name(lang)}"]
    changed = [pd for pd in result.plans if pd.has_changes]
    if not changed:
        out.append(t(lang, "計画の変更はありません。", "no changes to the plans."))
    for pd in changed:
        s = pd.summary()
        out.append("")
        what = {"added": t(lang, "（新しい計画）", " (new plan)"), "removed": t(lang, "（削除された計画）", " (plan removed)")}.get(pd.change, "")
        out.append(f"{pd.municipality} {pd.title} ({pd.root or '.'}){what}".strip())
        if pd.change in ("added", "removed"):
            out.append("  " + t(lang, f"アクション {len(pd.actions)}", f"{len(pd.actions)} action(s)"))
            continue
        out.append(
            "  "
            + t(lang, "アクション", "actions")
            + f" +{s['actions_added']} -{s['actions_removed']} ~{s['actions_changed']}, "
            + t(lang, "タスク行", "task rows")
            + f" +{s['rows_added']} -{s['rows_removed']} ~{s['rows_changed']}"
            + (t(lang, f", ⚠️ 目標等の変更 {s['goalposts']}（理由の記録なし {s['goalposts_unrecorded']}）", f", ⚠️ goalpost changes {s['goalposts']} ({s['goalposts_unrecorded']} without a recorded reason)") if s["goalposts"] else "")
        )
        for fc in pd.fields:
            mark = "⚠️ " if fc.goalpost else ""
            note = t(lang, "（理由の記録なし）", " (no recorded reason)") if fc.goalpost and not pd.recorded else ""
            out.append(f"  {mark}plan.yaml {field_change_text(pd, fc, lang)}{note}")
        for c in pd.counts:
            out.append("  " + t(lang, "進捗状況 ", "status ") + f"{fy_name(pd, c.fiscal_year, lang)}: {counts_text(pd, c, lang)}")
        for ad in pd.actions:
            mark = "!" if ad.goalposts else _MARK[ad.change]
            out.append(f"  {mark} {ad.id} {ad.title}: {action_summary(pd, ad, lang)}")
            if ad.change == "changed":
                out += [f"      {line}" for line in action_details(pd, ad, lang)]
            elif ad.change == "added":
                out.append(f"      {ad.path}; " + t(lang, "評価 ", "evaluation ") + score_text(ad.score_after, lang))
        for p in pd.problems_after:
            if p.severity == "error":
                out.append("  " + t(lang, "読み込めないファイル（比較から除外）: ", "file that did not load (left out): ") + f"{p.path.name}:{p.line}:{p.column} {p.rule}")
    return "\n".join(out)


def templates_dir() -> Path:
    """The default templates folder (see :func:`dxplan.render.templates_dir`)."""
    from .render import templates_dir as _templates_dir

    return _templates_dir()


def _cell(value: Any) -> str:
    s = " ".join(str(value).split())
    return s.replace("|", "\\|")


def render_markdown(result: DiffResult, lang: str = "ja") -> str:
    """The Markdown PR comment (``templates/diff.md.j2``): a summary table, then folded details.

    Raises ``jinja2.TemplateError`` (``TemplateNotFound`` when the templates
    folder is missing).
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _cell
    env.globals.update(
        t=lambda ja, en: t(lang, ja, en),
        fy_name=lambda pd, fy: fy_name(pd, fy, lang),
        state_name=lambda pd, s: state_name(pd, s, lang),
        score_text=lambda s: score_text(s, lang),
        action_summary=lambda pd, ad: action_summary(pd, ad, lang),
        action_details=lambda pd, ad: action_details(pd, ad, lang),
        field_change_text=lambda pd, fc: field_change_text(pd, fc, lang),
        transitions_text=lambda pd: transitions_text(pd, lang),
        split_actions=split_actions,
        states=[s.value for s in STATE_ORDER],
    )
    template = env.get_template("diff.md.j2")
    return template.render(result=result, lang=lang, plans=[pd for pd in result.plans if pd.has_changes]).rstrip() + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Problem):
        return {
            "path": value.path.as_posix(),
            "line": value.line,
            "column": value.column,
            "severity": value.severity,
            "rule": value.rule,
            "message": value.message_en,
            "message_ja": value.message_ja,
        }
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return value.as_posix()
    return value


def to_json(result: DiffResult) -> dict[str, Any]:
    """The JSON form: sides, and per plan its summary, plan.yaml changes, status counts and action changes."""
    plans = []
    for pd in result.plans:
        d = {
            "root": pd.root,
            "id": pd.id,
            "title": pd.title,
            "municipality": pd.municipality,
            "change": pd.change,
            "summary": pd.summary(),
            "fields": [_field_json(fc, pd.recorded) for fc in pd.fields],
            "status_counts": [asdict(c) for c in pd.counts],
            "actions": [],
            "problems_before": _jsonable(pd.problems_before),
            "problems_after": _jsonable(pd.problems_after),
        }
        for ad in pd.actions:
            d["actions"].append(
                {
                    "id": ad.id,
                    "title": ad.title,
                    "change": ad.change,
                    "path": ad.path,
                    "before_path": ad.before_path,
                    "fields": [_field_json(fc, ad.recorded) for fc in ad.fields],
                    "tasks": [_task_json(tc) for tc in ad.tasks],
                    "status_counts": [asdict(c) for c in ad.counts],
                    "score": {
                        "before": asdict(ad.score_before) if ad.score_before else None,
                        "after": asdict(ad.score_after) if ad.score_after else None,
                        "changed": ad.score_changed,
                    },
                    "goalposts_recorded": ad.recorded,
                    "reasons": ad.reasons,
                }
            )
        plans.append(d)
    side = lambda s: {"rev": s.label if s.commit else None, "commit": s.commit, "worktree": s.commit is None}  # noqa: E731
    return {"base": side(result.base), "head": side(result.head), "plans": plans}


def _field_json(fc: FieldChange, recorded: bool) -> dict[str, Any]:
    d = {"field": fc.field, "change": fc.change, "before": fc.before, "after": fc.after, "goalpost": fc.goalpost}
    if fc.goalpost:
        d["recorded"] = recorded
    if fc.excerpt:
        d["excerpt"] = {"before": fc.excerpt[0], "after": fc.excerpt[1]}
    return d


def _task_json(tc: TaskChange) -> dict[str, Any]:
    return {
        "change": tc.change,
        "fiscal_year": tc.fiscal_year,
        "before_index": tc.before_index,
        "after_index": tc.after_index,
        "department": tc.department,
        "plan": tc.plan,
        "status": {"before": tc.status_before, "after": tc.status_after},
        "progress": {"before": tc.progress_before, "after": tc.progress_after},
        "fields": [_field_json(fc, False) for fc in tc.fields],
    }
