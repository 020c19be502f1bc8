"""Which plans a change touches, and those plans loaded at both sides — nothing else is read.

A diff of two revisions asks git once which files differ (``git diff --raw -z --no-renames
--no-abbrev BASE HEAD -- SCOPE``: the old and new blob id of every changed file, NUL-separated so
no name can shift the listing) and groups them by plan folder (:func:`touched_roots`). Only a plan
folder with a changed ``plan.yaml`` or action file is loaded, at each side (:func:`iter_sides`);
a plan whose files git reports unchanged is never read, so the work grows with the change, not
with the corpus. Against the working tree the same question is ``git diff --raw BASE`` plus the
untracked files (``git ls-files --others --exclude-standard``), and the new side is read from disk.

Files at a revision are read by blob id through one long-lived ``git cat-file --batch`` process
(:class:`dxplan.files.gitio.BlobReader`, given to each :class:`dxplan.files.load.GitSource`), shared
by every plan of the diff, instead of two git processes per plan and side. Requests are object ids
only, one a line, so no file name is ever part of a request.

Every git failure raises :class:`dxplan.files.gitio.GitError` (a usage error, exit 2).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dxplan.files import gitio
from dxplan.files import layout as planfiles
from dxplan.files.load import GitSource, LoadedPlan, load_plan, plan_roots_at

__all__ = ["PlanPair", "SideListing", "Sides", "changed_names", "close_readers", "listing", "load_pair", "touched_roots"]

# --------------------------------------------------------------------------- what changed


def changed_names(repo: Path, base: str, head: str | None, pathspec: list[str]) -> set[str]:
    """Repository-relative names of the files that differ between commit ``base`` and ``head``
    (a commit, or None: the working tree, untracked files included), under ``pathspec`` (empty: everywhere).

    One ``git diff --raw -z`` (plus ``git ls-files --others`` for the working tree): added,
    deleted and modified files, renames as a deletion and an addition. Raises
    :class:`dxplan.files.gitio.GitError` when git fails.
    """
    spec = ["--", *pathspec] if pathspec else []
    args = ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-ext-diff", "--ignore-submodules", "--end-of-options", base]
    out = gitio.run_git([*args, *([head] if head else []), *spec], repo).stdout.decode("utf-8", "surrogateescape")
    # ":<mode> <mode> <old id> <new id> <status>\0<name>\0" per file
    fields = out.split("\0")
    names = {fields[i + 1] for i in range(0, len(fields) - 1, 2) if fields[i].startswith(":")}
    if head is None:
        untracked = gitio.run_git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", *spec], repo).stdout
        names |= {n for n in untracked.decode("utf-8", "surrogateescape").split("\0") if n}
    return names


def _root_of(name: str, roots: set[str]) -> str | None:
    """The plan folder among ``roots`` whose ``plan.yaml`` or action file ``name`` is, or None (not a plan file)."""
    p = PurePosixPath(name)
    if p.name == planfiles.PLAN_FILE:
        parent = "" if str(p.parent) == "." else str(p.parent)
        if parent in roots:
            return parent
    if p.parent.name == planfiles.ACTIONS_DIR and planfiles.is_yaml(p.name):
        up = "" if str(p.parent.parent) == "." else str(p.parent.parent)
        if up in roots:
            return up
    return None


def touched_roots(names: set[str], roots: list[str]) -> list[str]:
    """The plan folders of ``roots`` (sorted) with a changed ``plan.yaml`` or action file among ``names``."""
    known = set(roots)
    return sorted({r for n in names if (r := _root_of(n, known)) is not None})


# --------------------------------------------------------------------------- both sides of the touched plans


@dataclass
class SideListing:
    """One side's plan folders under a scope: ``roots`` (repository-relative, sorted), and for a
    revision ``files`` (per plan folder: name → blob id of its ``plan.yaml`` and action files, from
    :func:`dxplan.files.gitio.ls_tree`; nothing else of the listing is kept)."""

    commit: str | None
    roots: list[str]
    files: dict[str, dict[str, str]] = field(default_factory=dict)


def listing(repo: Path, commit: str | None, scope: str) -> SideListing:
    """The plan folders ``scope`` names at ``commit`` (None: the working tree), as
    :func:`dxplan.files.load.load_plans_at` finds them, without reading any file."""
    if commit is None:
        return SideListing(None, planfiles.worktree_plan_roots(repo, scope))
    tree, roots = plan_roots_at(repo, commit, scope)
    known = set(roots)
    files: dict[str, dict[str, str]] = {r: {} for r in roots}
    for name, oid in tree.items():
        if (root := _root_of(name, known)) is not None:
            files[root][name] = oid
    return SideListing(commit, roots, files)


@dataclass(frozen=True)
class PlanPair:
    """One plan folder to compare, as a worker process needs it (picklable): ``root`` (repository-relative) and, per
    side, its commit (None: the working tree) and its files (name → blob id; None: not a plan folder at that side).
    At the working tree ``after_files`` is an empty mapping when the folder is a plan there."""

    repo: Path
    root: str
    before_commit: str | None
    before_files: dict[str, str] | None
    after_commit: str | None
    after_files: dict[str, str] | None


#: One reader per process and repository: a worker process opens its own.
_READERS: dict[tuple[int, Path], gitio.BlobReader] = {}


def _reader(repo: Path) -> gitio.BlobReader:
    key = (os.getpid(), repo)
    if key not in _READERS:
        _READERS[key] = gitio.BlobReader(repo)
    return _READERS[key]


def close_readers() -> None:
    """End this process's ``git cat-file`` processes (a worker's end when the worker does)."""
    for key in [k for k in _READERS if k[0] == os.getpid()]:
        _READERS.pop(key).close()


def _load_side(repo: Path, root: str, commit: str | None, files: dict[str, str] | None) -> LoadedPlan | None:
    if files is None:
        return None
    if commit is None:
        return load_plan(repo / root if root else repo, positions=False)
    return load_plan(GitSource(repo, commit, root, files, reader=_reader(repo)), positions=False)


def load_pair(pair: PlanPair) -> tuple[LoadedPlan | None, LoadedPlan | None]:
    """The plan folder of ``pair`` loaded at both sides (a side is None where the folder is not a plan);
    files at a revision are read through this process's :class:`dxplan.files.gitio.BlobReader`."""
    return (_load_side(pair.repo, pair.root, pair.before_commit, pair.before_files),
            _load_side(pair.repo, pair.root, pair.after_commit, pair.after_files))


class Sides:
    """Both sides of a diff under ``scope`` (repository-relative; ``""`` the whole repository):
    commit ``base`` and ``head`` (a commit, or None: the working tree).

    ``roots``: every plan folder found at either side (sorted), from the listings alone.
    :meth:`pairs` gives a :class:`PlanPair` for each plan folder whose files differ, in the order of
    the folders, to be loaded with :func:`load_pair` when its turn comes; a plan git reports unchanged
    is never loaded. Raises :class:`dxplan.files.gitio.GitError` when git fails.
    """

    def __init__(self, repo: Path, base: str, head: str | None, scope: str) -> None:
        self.repo, self.base, self.head, self.scope = repo, base, head, scope
        self.before, self.after = listing(repo, base, scope), listing(repo, head, scope)
        self.roots = sorted(set(self.before.roots) | set(self.after.roots))

    def pathspec(self) -> list[str]:
        """What ``git diff`` is asked about: the scope's folder, or for a file the plan folder(s) that hold it."""
        if not self.scope:
            return []
        if not planfiles.is_yaml(self.scope):
            return [self.scope]
        return [] if "" in self.roots else list(self.roots)

    def touched(self) -> list[str]:
        """The plan folders with a changed ``plan.yaml`` or action file (one ``git diff``)."""
        if not self.roots:
            return []
        return touched_roots(changed_names(self.repo, self.base, self.head, self.pathspec()), self.roots)

    def pairs(self) -> list[PlanPair]:
        """A :class:`PlanPair` per plan folder whose files differ, in the order of the folders."""
        return [PlanPair(self.repo, root, self.base, self._files(self.before, root), self.head, self._files(self.after, root)) for root in self.touched()]

    @staticmethod
    def _files(side: SideListing, root: str) -> dict[str, str] | None:
        if root not in side.roots:
            return None
        return side.files.get(root, {})
