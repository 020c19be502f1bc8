"""A plan's figures at a *plan state* — the exact files of its folder at a commit — computed once per state.

A git blob never changes, so neither does a plan folder made of the same blobs under the same names:
its *state key* is the sorted (name inside the folder, blob id) of its ``plan.yaml`` and action files.
What the history needs of a plan state (:class:`Figures`: task rows per state, actions per rating label,
each action's status words and state, the errors, the evaluation date and the dates of the plan's own
summary columns) therefore depends on the state key alone (and on the fiscal year asked and the
reader's limits), and is

- kept in this process by key, so a commit that changes nothing in the plan, or reverts it to an
  earlier state, costs a dictionary look-up;
- stored in the results cache (:mod:`dxplan.files.state_cache`) under the key, so a later run computes
  nothing for a state it has seen (the entry never needs invalidating: other files make another key;
  other code makes another database);
- computed, for a state seen nowhere, from its files with the one loader (:func:`dxplan.files.load.load_plan`,
  without positions) and a file memo by (path, blob id), so a commit that changes one action file
  reads, parses and validates that file only. Blobs come from one long-lived ``git cat-file --batch``
  (:class:`dxplan.files.gitio.BlobReader`). Many states to compute are spread over worker processes
  (:func:`dxplan.files.parallel.imap_ordered`), in runs of consecutive commits so each worker's file memo
  serves its run.

The figures are those of :func:`count_states`, :func:`count_grades` and :func:`actions_at` at that state (the
history's counting, which :mod:`dxplan.status.history` re-exports), so a history from here is the history computed
commit by commit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dxplan.files import gitio, layout as planfiles, state_cache
from dxplan.model.schema import STATE_ORDER, Plan, State
from dxplan.score.actions import score_plan
from dxplan.score.rates import ScoreState
from dxplan.yamlread import Limits
from .counts import Counts, action_state, current_year, status_table

if TYPE_CHECKING:
    from dxplan.files.load import FileMemo, FileTooLarge, LoadedPlan

NOT_EVALUATED = "未評価"
"""The label of actions without a rate in :func:`count_grades`."""


@dataclass(frozen=True)
class ActionAt:
    """One action at one column: its task rows' status words of the column's fiscal year, as written (None for a row
    without one), and its one state for that year (:func:`dxplan.status.counts.action_state`; None: no row with a status)."""

    state: State | None
    words: tuple[str | None, ...]


def count_states(plan: Plan, loaded: LoadedPlan, fiscal_year: int) -> Counts:
    """Task rows of ``fiscal_year`` per canonical state: the one place history counts."""
    return status_table(plan, [la.action for la in loaded.actions], fiscal_year).total


def count_grades(plan: Plan, loaded: LoadedPlan) -> dict[str, int]:
    """Actions per label of the plan's rating scale (scale order, then 未評価 for actions without a rate)."""
    labels = Counter(s.label if s.state is ScoreState.evaluated else NOT_EVALUATED for s in score_plan(plan, [la.action for la in loaded.actions], loaded.index))
    order = [b.label for b in plan.rating_scale] + [NOT_EVALUATED]
    return {k: labels.get(k, 0) for k in order + sorted(set(labels) - set(order))}


def actions_at(plan: Plan, loaded: LoadedPlan, fiscal_year: int) -> dict[str, ActionAt]:
    """Every loaded action's status words and state in ``fiscal_year`` (see :class:`ActionAt`), by action id."""
    out = {}
    for la in loaded.actions:
        a = la.action
        out[a.id] = ActionAt(action_state(plan, a, fiscal_year, loaded.index), tuple(t.status for t in a.tasks if t.fiscal_year == fiscal_year))
    return out


StateKey = tuple[tuple[str, str], ...]
"""A plan state: (name inside the plan folder, blob id) of ``plan.yaml`` and each action file, sorted by name."""

PARALLEL_FROM = 64
"""Plan states to compute from which they are spread over worker processes (fewer: in this process)."""

_RUN = 256
"""Plan states computed as one run: their blobs are read from git in one request (a few MB at most)."""


@dataclass(frozen=True)
class Figures:
    """What the history shows of one plan state (``plan.yaml`` loaded).

    ``fiscal_year``: the year counted (the one asked, else :func:`dxplan.status.counts.current_year`);
    ``counts``: task rows of that year per canonical state; ``grades``: actions per rating label, in scale
    order (``未評価`` for actions without a rate); ``actions``: each action (by id) in file order;
    ``problems``: load problems of severity error; ``snapshots``: (date, fiscal year) of each of the plan's
    ``status_snapshots``, in order (the columns themselves are read from ``plan.yaml`` when one is shown).
    """

    fiscal_year: int
    evaluation_date: dt.date | None
    counts: Counts
    grades: dict[str, int]
    snapshots: tuple[tuple[dt.date, int], ...]
    problems: int
    actions: dict[str, ActionAt]


@dataclass
class StateStats:
    """How a history's plan states were answered: ``distinct`` keys met, ``computed`` from their files,
    ``cached`` from the results cache (the rest came from this process's memo)."""

    distinct: int = 0
    computed: int = 0
    cached: int = 0


def _plain(fig: Figures | None) -> dict[str, Any]:
    """``fig`` as plain data for the results cache (``{"ok": False}`` for a state whose ``plan.yaml`` did not load)."""
    if fig is None:
        return {"ok": False}
    return {
        "ok": True, "fy": fig.fiscal_year, "eval": fig.evaluation_date,
        "states": [fig.counts.states[s] for s in STATE_ORDER], "no_status": fig.counts.no_status, "unknown": fig.counts.unknown,
        "grades": list(fig.grades.items()), "snaps": [list(s) for s in fig.snapshots], "problems": fig.problems,
        "actions": [[aid, a.state.value if a.state is not None else None, list(a.words)] for aid, a in fig.actions.items()],
    }


@dataclass
class PlanStates:
    """The figures of plan folder ``rel`` of ``repo`` at any listing of its files (see the module docstring).

    ``year``: the fiscal year to count (None: each state's current year). Use as a context manager (or
    :meth:`close`): it holds a git process. Raises :class:`dxplan.files.gitio.GitError` when git fails.
    """

    repo: Path
    rel: str
    year: int | None = None
    limits: Limits = field(default_factory=Limits.from_env)
    stats: StateStats = field(default_factory=StateStats)
    _figures: dict[StateKey, Figures | None] = field(default_factory=dict)
    _files: FileMemo = field(default_factory=dict)
    _reader: gitio.BlobReader | None = None
    _at: dict[tuple[State | None, tuple[str | None, ...]], ActionAt] = field(default_factory=dict)
    _kinds: dict[str, str | None] = field(default_factory=dict)  # repository-relative name → see _kind()
    _paths: dict[str, Path] = field(default_factory=dict)  # repository-relative name → its path, made once
    _preloaded: dict[str, bytes | int | None] = field(default_factory=dict)  # blobs read ahead (see _compute_run)

    def __post_init__(self) -> None:
        self.rel = self.rel.strip("/")

    def __enter__(self) -> PlanStates:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the git process this object started, if any."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    # ------------------------------------------------------------------ keys

    def _kind(self, name: str) -> str | None:
        """``plan``, ``action`` or None (no file of a plan state) for a repository-relative name; each name is
        judged once, by the loader's own rule (:func:`dxplan.files.layout.action_names`)."""
        if name not in self._kinds:
            is_plan = name == planfiles.plan_file_name(self.rel)
            self._kinds[name] = "plan" if is_plan else "action" if planfiles.action_names([name], self.rel) else None
        return self._kinds[name]

    def key(self, listing: dict[str, str]) -> StateKey:
        """The state key of ``listing`` (repository-relative name → blob id, e.g. :func:`dxplan.files.gitio.ls_tree`)."""
        cut = len(self.rel) + 1 if self.rel else 0
        return tuple(sorted((name[cut:], oid) for name, oid in listing.items() if self._kind(name)))

    def _cache_key(self, key: StateKey) -> bytes:
        return state_cache.history_key(key, self.year, f"{self.limits.key}/{self.limits.actions}")

    # ------------------------------------------------------------------ figures

    def figures(self, listing: dict[str, str], commit: str = "", key: StateKey | None = None) -> Figures | None:
        """The figures of the plan at ``listing`` (of ``commit``, named in a message when git lacks a blob;
        None: its ``plan.yaml`` did not load): from this process's memo, the results cache, or computed.
        ``key``: :meth:`key` of ``listing`` when already known."""
        key = self.key(listing) if key is None else key
        if key in self._figures:
            return self._figures[key]
        self.stats.distinct += 1
        fig: Figures | None
        try:
            fig = self._from_plain(state_cache.get(self._cache_key(key)))
            self.stats.cached += 1
        except ValueError:  # nothing stored (or not what this code stores)
            fig = self._compute(listing, commit)
            self.stats.computed += 1
            state_cache.put(self._cache_key(key), _plain(fig))
        self._figures[key] = fig
        return fig

    def prepare(self, listings: list[dict[str, str]], jobs: int | None = None) -> list[StateKey]:
        """Answer every listing's state ahead (so :meth:`figures` finds them in memo): cached ones in one query,
        the others computed — in worker processes when there are :data:`PARALLEL_FROM` or more. Returns the
        listings' keys (:meth:`key`), in order."""
        from dxplan.files.parallel import default_jobs, imap_ordered

        order = [self.key(listing) for listing in listings]
        keys: dict[StateKey, dict[str, str]] = {}
        for key, listing in zip(order, listings, strict=True):
            keys.setdefault(key, listing)
        todo = [k for k in keys if k not in self._figures]
        cache_keys = {k: self._cache_key(k) for k in todo}
        state_cache.prefetch(list(cache_keys.values()))
        missing = []
        for k in todo:
            try:
                self._figures[k] = self._from_plain(state_cache.get(cache_keys[k]))
            except ValueError:
                missing.append(k)
                continue
            self.stats.distinct += 1
            self.stats.cached += 1
        jobs = default_jobs() if jobs is None else jobs
        if len(missing) < PARALLEL_FROM or jobs <= 1:
            for i in range(0, len(missing), _RUN):
                self.preload([keys[k] for k in missing[i : i + _RUN]])
                for k in missing[i : i + _RUN]:
                    self.figures(keys[k], key=k)
            self._preloaded.clear()
            return order
        size = min(_RUN, max(16, -(-len(missing) // (jobs * 4))))
        runs = [[keys[k] for k in missing[i : i + size]] for i in range(0, len(missing), size)]
        self.close()  # no git process may cross a fork
        items = [(self.repo, self.rel, self.year, run) for run in runs]
        run_keys = [missing[i : i + size] for i in range(0, len(missing), size)]
        for ks, plain in zip(run_keys, imap_ordered(_compute_run, items, jobs), strict=True):
            for key, data in zip(ks, plain, strict=True):
                self.stats.distinct += 1
                self.stats.computed += 1
                state_cache.put(self._cache_key(key), data)
                self._figures[key] = self._from_plain(data)
        state_cache.flush()
        return order

    def plan(self, listing: dict[str, str], commit: str = "") -> Plan | None:
        """The plan (``plan.yaml`` alone, validated as the loader does) at ``listing`` (of ``commit``, named in
        a message when git lacks a blob); None when it does not load."""
        from dxplan.files.load import GitSource, load_file

        name = planfiles.plan_file_name(self.rel)
        oid = listing.get(name)
        if oid is None:
            return None
        path = self.repo / name
        hit = self._files.get((path, oid))
        if hit is None:
            hit = load_file(GitSource(self.repo, commit, self.rel, listing, self._blob_reader()), path, Plan)
        return hit[1]

    def preload(self, listings: list[dict[str, str]]) -> None:
        """Read the blobs of the plan states of ``listings`` in one request (each over the size limit: its size),
        for the states about to be computed here; replaces what was read ahead before."""
        oids = dict.fromkeys(oid for listing in listings for name, oid in listing.items() if self._kind(name))
        self._preloaded.clear()
        self._preloaded.update(self._blob_reader().read_many(list(oids), self.limits.file_bytes))

    def _blob_reader(self) -> gitio.BlobReader:
        if self._reader is None:
            self._reader = gitio.BlobReader(self.repo)
        return self._reader

    def _compute(self, listing: dict[str, str], commit: str = "") -> Figures | None:
        from dxplan.files.load import load_plan

        files: dict[Path, str] = {}
        action_files = []
        for name, oid in listing.items():
            kind = self._kind(name)
            if kind is not None:
                path = self._paths.get(name) or self._paths.setdefault(name, self.repo / name)
                files[path] = oid
                if kind == "action":
                    action_files.append((name, path))
        source = _StateFiles(self.repo / self.rel if self.rel else self.repo, files, [p for _, p in sorted(action_files)],
                             self._blob_reader(), commit, self.limits.file_bytes, self._preloaded)
        loaded = load_plan(source, positions=False, memo=self._files)
        current = set(files.items())
        for k in [k for k in self._files if k not in current]:  # keep the files of this state only: bounded memory
            del self._files[k]
        plan = loaded.plan
        if plan is None:
            return None
        fy = self.year if self.year is not None else current_year(plan)
        actions = {aid: self._at.setdefault((a.state, a.words), a) for aid, a in actions_at(plan, loaded, fy).items()}
        return Figures(
            fy, plan.evaluation_date, count_states(plan, loaded, fy), count_grades(plan, loaded),
            tuple((s.date, s.fiscal_year) for s in plan.status_snapshots),
            sum(1 for p in loaded.problems if p.severity == "error"), actions,
        )

    def _from_plain(self, data: Any) -> Figures | None:
        """Figures from plain data (:func:`_plain`); ValueError when it is not what :func:`_plain` gives (None: nothing stored)."""
        if data is None:
            raise ValueError("nothing stored")
        try:
            if not data["ok"]:
                return None
            counts = Counts(dict(zip(STATE_ORDER, data["states"], strict=True)), data["no_status"], data["unknown"])
            actions = {}
            for aid, state, words in data["actions"]:
                at = (State(state) if state is not None else None, tuple(words))
                actions[aid] = self._at.get(at) or self._at.setdefault(at, ActionAt(*at))
            return Figures(data["fy"], data["eval"], counts, dict(data["grades"]), tuple((d, y) for d, y in data["snaps"]),
                           data["problems"], actions)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not history figures: {exc}") from None


@dataclass
class _StateFiles:
    """A plan state as a file source for :func:`dxplan.files.load.load_plan`: the files of
    :class:`dxplan.files.load.GitSource` (``files``: path → blob id of ``plan.yaml`` and the action files,
    ``actions`` in name order), with paths made once per name rather than once per commit."""

    root: Path
    files: dict[Path, str]
    actions: list[Path]
    reader: gitio.BlobReader
    commit: str
    limit: int
    preloaded: dict[str, bytes | int | None]

    def action_paths(self) -> list[Path]:
        """The action files, sorted by name."""
        return self.actions

    def content_ids(self, paths: list[Path]) -> dict[Path, str]:
        """The blob id of each path of the state."""
        return {p: self.files[p] for p in paths if p in self.files}

    def read(self, paths: list[Path]) -> dict[Path, bytes | OSError | FileTooLarge]:
        """As :meth:`dxplan.files.load.GitSource.read`."""
        from dxplan.files.load import FileTooLarge

        wanted = [self.files[p] for p in paths if p in self.files]
        found = self.reader.read_many([oid for oid in wanted if oid not in self.preloaded], self.limit)
        found.update((oid, self.preloaded[oid]) for oid in wanted if oid in self.preloaded)
        out: dict[Path, bytes | OSError | FileTooLarge] = {}
        for p in paths:
            data = found.get(self.files[p]) if p in self.files else None
            if isinstance(data, int):
                out[p] = FileTooLarge(data)
            else:
                out[p] = data if data is not None else FileNotFoundError(f"not in {self.commit[:12]}")
        return out


def _compute_run(item: tuple[Path, str, int | None, list[dict[str, str]]]) -> list[dict[str, Any]]:
    """In a worker: the plain figures of each listing of a run of consecutive commits."""
    from dxplan.files import result_cache

    repo, rel, year, listings = item
    with PlanStates(repo, rel, year) as states:
        states.preload(listings)
        out = [_plain(states._compute(listing)) for listing in listings]
    result_cache.flush()
    return out

