"""The plan-folder layout: the one module that knows which files make a plan.

A plan folder holds::

    <plan>/plan.yaml             the plan (model :class:`~dxplan.model.schema.Plan`)
    <plan>/actions/*.yaml        one action per file (model :class:`~dxplan.model.schema.Action`;
                                 ``.yml`` is read too)

Two views of the same layout:

- on disk (:class:`pathlib.Path`): :func:`action_files`, :func:`plan_files`,
  :func:`plan_root_of` and :func:`discover`, which turns command-line paths into
  plan folders;
- in a git file list (repository-relative posix strings, as ``git ls-tree``
  prints them): :func:`action_names` and :func:`plan_roots_in`.

Nothing here reads a file's content; :mod:`dxplan.files.load` does.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PurePosixPath
from typing import TYPE_CHECKING, Literal

from dxplan.i18n import N_, UserError

if TYPE_CHECKING:  # imported by model_for: listing and discovering plan folders needs no model (a cached `status`)
    from dxplan.model.schema import Action, Plan

PLAN_FILE = "plan.yaml"
"""The plan file's name, at the top of a plan folder."""
ACTIONS_DIR = "actions"
"""The folder of a plan that holds one YAML file per action."""
YAML_SUFFIXES = (".yaml", ".yml")
"""Suffixes of action files."""

Kind = Literal["plan", "action"]


class PlanNotFound(UserError):
    """A command-line path that is neither a plan folder, a folder of plans, nor a file in one (a usage error, exit 2)."""


def is_yaml(path: PurePath | str) -> bool:
    """True when ``path`` ends in ``.yaml`` or ``.yml``."""
    return _yaml_name(PurePath(path).name)


def _yaml_name(name: str) -> bool:
    """:func:`is_yaml` for a bare file name (no ``/``), without building a path: its suffix (from the last dot, not a leading one, as ``PurePath.suffix``) is a YAML suffix."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:] in YAML_SUFFIXES


def kind_of(path: PurePath | str) -> Kind | None:
    """``"plan"`` for a ``plan.yaml``, ``"action"`` for a YAML file in an ``actions/`` folder, else None.

    Judged from the name alone (the file need not exist).
    """
    p = PurePath(path)
    if p.name == PLAN_FILE:
        return "plan"
    if p.parent.name == ACTIONS_DIR and is_yaml(p):
        return "action"
    return None


def model_for(path: PurePath | str) -> type[Plan] | type[Action] | None:
    """The model a plan file is validated against (see :func:`kind_of`): ``Plan``, ``Action`` or None."""
    from dxplan.model.schema import Action, Plan

    return {"plan": Plan, "action": Action, None: None}[kind_of(path)]


# --------------------------------------------------------------------------- on disk


def action_files(root: Path, *, strict: bool = False) -> list[Path]:
    """The action files of plan folder ``root``, sorted by name (which sorts by number when zero-padded).

    An empty list when ``root`` has no ``actions/`` folder. By default only regular
    files (symlinks to them included) are listed, and an unreadable folder lists
    nothing. ``strict=True`` (the loader) lists every entry named ``*.yaml``/``*.yml``
    — a folder, FIFO, broken or looping symlink too, so that the loader reports it
    instead of skipping it without a word — and raises ``OSError`` when the
    ``actions/`` folder cannot be listed.
    """
    folder = Path(root) / ACTIONS_DIR
    if not folder.is_dir():
        return []
    try:
        names = os.listdir(folder)
    except OSError:
        if strict:
            raise
        return []
    # names sorted as strings: the same order as the paths (one parent), without comparing paths
    paths = [folder / name for name in sorted(n for n in names if _yaml_name(n))]
    return paths if strict else [p for p in paths if p.is_file()]


def plan_files(root: Path, only: set[Path] | None = None) -> list[Path]:
    """``plan.yaml`` and the action files of plan folder ``root`` that exist.

    ``only``: keep just these (resolved) paths.
    """
    files = [f for f in [Path(root) / PLAN_FILE, *action_files(root)] if f.is_file()]
    if only is not None:
        files = [f for f in files if f.resolve() in only]
    return files


def plan_root_of(path: Path) -> Path | None:
    """The plan folder (resolved) that holds ``path`` (its ``plan.yaml`` or an action file), or None.

    Judged from where ``path`` is, not where a symlinked file points to.
    """
    path = Path(os.path.abspath(path))
    for candidate in (path.parent, path.parent.parent):
        if (candidate / PLAN_FILE).is_file():
            return candidate.resolve()
    return None


def discover(paths: list[Path]) -> list[tuple[Path, set[Path] | None]]:
    """Map command-line paths to ``(plan folder, files to report on or None for all)``.

    A path may be a plan folder, a folder whose sub-folders are plan folders
    (``plans/``), or a file inside a plan folder (the set then holds its resolved
    path). Raises :class:`PlanNotFound` naming the first path that is none of these.
    """
    result: dict[Path, set[Path] | None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise PlanNotFound(N_("{path}: no such file or folder"), {"path": str(raw)})
        if path.is_dir():
            if (path / PLAN_FILE).is_file():
                result[path] = None
                continue
            found = sorted(p.parent for p in path.glob(f"*/{PLAN_FILE}"))
            if not found:
                raise PlanNotFound(N_("{path}: no {plan_file} here or in its sub-folders"), {"path": str(raw), "plan_file": PLAN_FILE})
            for p in found:
                result[p] = None
            continue
        root = plan_root_of(path)
        if root is None:
            raise PlanNotFound(N_("{path}: not inside a plan folder (no {plan_file} next to it or one level up)"), {"path": str(raw), "plan_file": PLAN_FILE})
        key = next((k for k in result if k.resolve() == root), root)
        files = result.setdefault(key, set())
        if files is None:  # the whole plan is already asked for
            continue
        files.add(path.resolve())
    return list(result.items())


def paths_or_here(paths: list[Path] | None) -> list[Path]:
    """The paths a command works on: those given, else the current folder when it is a plan
    (``plan.yaml`` here) or a plans repository (plan folders just below it, or under ``plans/``).

    The one rule for a missing PATH, for every command that takes plan paths
    (:func:`dxplan.cli.common.plan_paths`). Raises :class:`dxplan.i18n.UserError` (usage error,
    exit 2) when no path is given and the current folder is neither.
    """
    if paths:
        return list(paths)
    here = Path(".")
    if (here / PLAN_FILE).is_file() or any(here.glob(f"*/{PLAN_FILE}")):
        return [here]
    if any(Path("plans").glob(f"*/{PLAN_FILE}")):
        return [Path("plans")]
    raise UserError(N_("no PATH given, and the current folder is not a plan or a plans repository (no {plan_file} here, in a sub-folder or in plans/); give a plan folder"),
                    {"plan_file": PLAN_FILE})


def worktree_plan_roots(repo: Path, scope: str) -> list[str]:
    """Plan folders (repository-relative posix) that ``scope`` names in the working tree of ``repo``.

    Same rules as :func:`plan_roots_in`, applied to the ``plan.yaml`` files found
    on disk at and just below (or just above, for a file) ``scope``.
    """
    top = repo / scope if scope else repo
    files: list[str] = []
    if top.is_file():
        top = top.parent
        files = [p.relative_to(repo).as_posix() for p in (top / PLAN_FILE, top.parent / PLAN_FILE) if p.is_file()]
    elif top.is_dir():
        cands = [top / PLAN_FILE, *top.glob(f"*/{PLAN_FILE}")]
        files = [p.relative_to(repo).as_posix() for p in cands if p.is_file()]
    return plan_roots_in(files, scope)


# --------------------------------------------------------------------------- in a git file list


def action_names(files: list[str], root: str) -> list[str]:
    """The action files of plan folder ``root`` among ``files`` (repository-relative posix names), sorted."""
    actions_dir = PurePosixPath(root) / ACTIONS_DIR if root else PurePosixPath(ACTIONS_DIR)
    return sorted(f for f in files if PurePosixPath(f).parent == actions_dir and is_yaml(f))


def plan_file_name(root: str) -> str:
    """The repository-relative name of the ``plan.yaml`` of plan folder ``root`` (``""`` is the top)."""
    return str(PurePosixPath(root) / PLAN_FILE) if root else PLAN_FILE


def plan_roots_in(files: list[str], scope: str) -> list[str]:
    """Plan folders (repository-relative) that ``scope`` names, given a list of repository files.

    Same rules as :func:`discover`: ``scope`` is a plan folder, a folder whose
    sub-folders are plan folders, or a file inside a plan folder. ``""`` is the
    repository top. An empty list when ``scope`` names no plan.
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
