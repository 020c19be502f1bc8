"""Loading: a plan folder's files → models, with file/line/column positions.

One loader, :func:`load_plan`, reads a plan folder from a *file source*: a
folder on disk (:class:`DiskSource`) or a plan folder in a git tree at a
revision (:class:`GitSource`, read through :mod:`dxplan.gitio`). Both go through
the same steps: decode UTF-8, parse YAML (fast, through the parse cache, when
positions are not needed; positions are then computed lazily for files with
findings), validate against the model, position every problem.

The loader never raises for bad input. Every problem it meets (not UTF-8, empty
file, YAML syntax error, duplicate key, schema error) becomes a
:class:`~dxplan.problems.Problem` with the file, the 1-based line and column and
a rule id, and the file is left out of the loaded plan. Git documents carry the
working-tree path (``repo/<file>``), so messages name the file a reviewer knows.

The folder layout (``plan.yaml``, ``actions/*.yaml``) and the discovery of plan
folders from command-line paths live in :mod:`dxplan.planfiles`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import fastyaml, gitio, planfiles, result_cache
from .loaded import Document, LoadedAction, LoadedPlan, yaml_parser
from .model import Action, Plan
from .planfiles import PLAN_FILE
from .problems import Problem
from .rules import load_rules

__all__ = ["Document", "LoadedAction", "LoadedPlan", "DiskSource", "GitSource", "FileSource", "load_plan", "load_plans_at", "read_document", "validate", "decode"]


def read_document(path: Path, text: str | None = None, *, fast: bool = False) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file. Returns (document or None, problems).

    ``text`` may be given to parse content that is not on disk (e.g. a file at a
    git revision); ``path`` is then only used in messages. ``fast=True`` parses
    without positions (for commands that only need the data); callers re-read a
    file that has problems without ``fast`` to position them.
    """
    rules = load_rules()
    if text is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, [_io_problem(path, exc)]
        text, problems = decode(path, raw)
        if text is None:
            return None, problems
    if fast:
        key = result_cache.text_key(text)
        tree = result_cache.get_data(key)
        if tree is None:
            try:
                tree = fastyaml.load_data(text)
            except YAMLError:
                return read_document(path, text)
            if not isinstance(tree, dict):
                return read_document(path, text)
            result_cache.put_data(key, tree)
        return Document(path, text, tree), []
    try:
        tree = yaml_parser().load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        rule = "duplicate-key" if type(exc).__name__ == "DuplicateKeyError" else "yaml-syntax"
        detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if rule == "duplicate-key":
            key = _duplicate_key_name(exc)
            return None, [rules[rule].problem(path, line, col, key=key)]
        return None, [rules[rule].problem(path, line, col, detail=detail)]
    except YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        return None, [rules["yaml-syntax"].problem(path, 1, 1, detail=str(exc))]
    if tree is None:
        return None, [rules["empty-file"].problem(path, 1, 1)]
    if not isinstance(tree, CommentedMap):
        return None, [rules["wrong-type"].problem(path, 1, 1, where="(file)", detail="a mapping (key: value)")]
    return Document(path, text, tree), []


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a file's bytes (UTF-8, a leading BOM dropped), or None and an ``encoding`` problem.

    The problem points at the line and column (1-based, in bytes of that line) of
    the first byte that is not UTF-8.
    """
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [load_rules()["encoding"].problem(path, line, col, byte=f"0x{raw[exc.start]:02x}")]


def _io_problem(path: Path, exc: OSError) -> Problem:
    return load_rules()["io-error"].problem(path, 1, 1, reason=exc.strerror or str(exc))


def _duplicate_key_name(exc: MarkedYAMLError) -> str:
    problem = str(exc.problem or "")
    if '"' in problem:
        return problem.split('"')[1]
    return problem


def validate(doc: Document, model: type[Plan] | type[Action]) -> tuple[Any, list[Problem]]:
    """Validate a parsed document against ``model``; schema errors become positioned problems."""
    try:
        return model.model_validate(doc.tree), []
    except ValidationError as exc:
        return None, _schema_problems(doc, model, exc)


def _schema_problems(doc: Document, model: type, exc: ValidationError) -> list[Problem]:
    from .rules import classify_schema_error

    problems = []
    seen = set()
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        rule, params = classify_schema_error(err, model, doc)
        line, col = doc.position(loc, key=rule.ID == "unknown-key")
        sig = (rule.ID, line, col)
        if sig in seen:  # union branches repeat the same complaint
            continue
        seen.add(sig)
        problems.append(rule.problem(doc.path, line, col, **params))
    return problems


def _read_valid(
    path: Path, model: type[Plan] | type[Action], fast: bool, text: str
) -> tuple[Document | None, Any, list[Problem]]:
    doc, problems = read_document(path, text, fast=fast)
    if doc is None:  # not YAML: read_document already positioned the problem
        return None, None, problems
    obj, more = validate(doc, model)
    if fast and more:  # validate again on the round-trip tree, for positions in the messages
        return _read_valid(path, model, False, doc.text)
    return doc, obj, problems + more


def _load_file(path: Path, model: type[Plan] | type[Action], fast: bool, data: bytes | OSError) -> tuple[Document | None, Any, list[Problem]]:
    if isinstance(data, OSError):
        return None, None, [_io_problem(path, data)]
    text, problems = decode(path, data)
    if text is None:
        return None, None, problems
    return _read_valid(path, model, fast, text)


# --------------------------------------------------------------------------- file sources


class FileSource(Protocol):
    """Where a plan folder's files come from. ``root`` is the folder's path as messages show it."""

    root: Path

    def action_paths(self) -> list[Path]:
        """The action files of the folder (paths under ``root``), sorted by name."""
        ...

    def read(self, paths: list[Path]) -> dict[Path, bytes | OSError]:
        """The bytes of each path, or the OSError saying why it cannot be read."""
        ...


@dataclass
class DiskSource:
    """A plan folder on disk."""

    root: Path

    def action_paths(self) -> list[Path]:
        """See :func:`dxplan.planfiles.action_files`."""
        return planfiles.action_files(self.root)

    def read(self, paths: list[Path]) -> dict[Path, bytes | OSError]:
        """Each file's bytes, or the OSError met reading it."""
        out: dict[Path, bytes | OSError] = {}
        for p in paths:
            try:
                out[p] = p.read_bytes()
            except OSError as exc:
                out[p] = exc
        return out


@dataclass
class GitSource:
    """Plan folder ``rel`` (repository-relative posix, ``""`` for the top) of ``repo`` as it is at ``commit``.

    ``tree``: the ``git ls-tree`` listing (name → blob id, see
    :func:`dxplan.gitio.ls_tree`) covering at least that folder; listed when
    omitted. Files are read by blob id in one ``git cat-file`` call. Paths are
    ``repo/<name>``, the working-tree path of each file. Raises
    :class:`dxplan.gitio.GitError` only when git itself fails.
    """

    repo: Path
    commit: str
    rel: str
    tree: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.rel = self.rel.strip("/")
        if self.tree is None:
            self.tree = gitio.ls_tree(self.commit, self.rel, self.repo)

    @property
    def root(self) -> Path:
        return self.repo / self.rel if self.rel else self.repo

    def action_paths(self) -> list[Path]:
        """The action files listed in ``tree`` for this folder (see :func:`dxplan.planfiles.action_names`)."""
        return [self.repo / name for name in planfiles.action_names(list(self.tree or {}), self.rel)]

    def read(self, paths: list[Path]) -> dict[Path, bytes | OSError]:
        """Each file's bytes at ``commit``; ``FileNotFoundError`` for a path not in the tree."""
        tree = self.tree or {}
        names = {p: p.relative_to(self.repo).as_posix() for p in paths}
        blobs = gitio.read_blobs([tree[n] for n in names.values() if n in tree], self.repo)
        out: dict[Path, bytes | OSError] = {}
        for p, name in names.items():
            data = blobs.get(tree[name]) if name in tree else None
            out[p] = data if data is not None else FileNotFoundError(f"not in {self.commit[:12]}")
        return out


# --------------------------------------------------------------------------- the loader


def load_plan(root: Path | FileSource, only: set[Path] | None = None, *, positions: bool = True) -> LoadedPlan:
    """Load a plan folder: ``root`` is a folder on disk or a :class:`FileSource` (e.g. :class:`GitSource`).

    ``only``: action files (resolved paths) to report problems for; all are
    loaded for plan-wide checks. ``positions=False`` parses good files without
    line/column information (several times faster, and served from the parse
    cache); files with problems are still reported with positions. Lint needs
    positions for every finding, so it loads with ``positions=True``.
    Never raises for bad input (see the module docstring).
    """
    source = DiskSource(Path(root)) if isinstance(root, (str, Path)) else root
    fast = not positions
    plan_path = source.root / PLAN_FILE
    action_paths = source.action_paths()
    data = source.read([plan_path, *action_paths])
    doc, plan, problems = _load_file(plan_path, Plan, fast, data[plan_path])
    loaded = LoadedPlan(root=source.root, plan=plan, plan_doc=doc if plan else None, problems=problems)
    for path in action_paths:
        adoc, action, aproblems = _load_file(path, Action, fast, data[path])
        if action is not None:
            loaded.actions.append(LoadedAction(action, adoc))
        if only is None or path.resolve() in only:
            loaded.problems += aproblems
    return loaded


def load_plans_at(repo: Path, commit: str | None, scope: str = "") -> dict[str, LoadedPlan]:
    """Every plan ``scope`` names in ``repo`` at ``commit`` (None: the working tree), by repository-relative plan folder.

    ``scope`` is repository-relative: a plan folder, a folder of plans or a file
    in a plan (``""`` for the whole repository; see
    :func:`dxplan.planfiles.plan_roots_in`). Loaded without positions (computed on
    demand). Raises :class:`dxplan.gitio.GitError` when git fails.
    """
    if commit is None:
        return {root: load_plan(repo / root if root else repo, positions=False) for root in planfiles.worktree_plan_roots(repo, scope)}
    tree = gitio.ls_tree(commit, scope, repo)
    roots = planfiles.plan_roots_in(list(tree), scope)
    if scope and not roots:
        # the scope may be a file in a plan folder (plan.yaml or actions/x.yaml): look two levels up
        up = Path(scope).parent.parent.as_posix()
        tree = gitio.ls_tree(commit, "" if up == "." else up, repo)
        roots = planfiles.plan_roots_in(list(tree), scope)
    return {root: load_plan(GitSource(repo, commit, root, tree), positions=False) for root in roots}
