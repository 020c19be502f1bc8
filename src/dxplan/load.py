"""Loading: plan folders on disk → models, with file/line/column positions.

The loader never raises for bad input. Every problem it meets (not UTF-8, empty
file, YAML syntax error, duplicate key, schema error) becomes a
:class:`~dxplan.problems.Problem` with the file, the 1-based line and column and
a rule id, and the file is left out of the loaded plan.

Layout of a plan folder::

    <plan>/plan.yaml
    <plan>/actions/*.yaml        (one action per file)

``discover(paths)`` turns command-line paths (a plan folder, a folder of plan
folders such as ``plans/``, or single files inside a plan) into plan folders.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import parse_cache
from .model import Action, Plan
from .planindex import PlanIndex
from .problems import Problem
from .rules import load_rules

PLAN_FILE = "plan.yaml"
ACTIONS_DIR = "actions"


class PlanNotFound(Exception):
    """A command-line path that is neither a plan folder, a folder of plans, nor a file in one."""


@dataclass
class Document:
    """One parsed YAML file: its path, its text and its data tree.

    A file read with ``fast=True`` holds plain data; its round-trip tree (whose
    nodes know their line and column) is parsed from ``text`` only when a
    position is first asked for, so only files with findings pay for it.
    """

    path: Path
    text: str
    tree: Any
    _rt: Any = field(default=None, repr=False, compare=False)

    def _positioned_tree(self) -> Any:
        if isinstance(self.tree, CommentedMap):
            return self.tree
        if self._rt is None:
            self._rt = _yaml().load(io.StringIO(self.text))
        return self._rt

    def position(self, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at ``loc`` (a pydantic-style path).

        Walks the ruamel tree as far as ``loc`` reaches; a missing key points at
        the mapping that should hold it. ``key=True`` points at a mapping key
        rather than its value (used for unknown keys).
        """
        node = self._positioned_tree()
        line, col = 0, 0
        if hasattr(node, "lc"):
            line, col = node.lc.line, node.lc.col
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, CommentedMap) and part in node:
                kl, kc = node.lc.key(part)
                if last and key:
                    return kl + 1, kc + 1
                vl, vc = node.lc.value(part)
                line, col = (vl, vc)
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line, col = node.lc.item(part)
                node = node[part]
            else:
                break
        return line + 1, col + 1


@dataclass
class LoadedAction:
    """An action model with the document it came from."""

    action: Action
    doc: Document


@dataclass
class LoadedPlan:
    """A plan folder after loading: the plan (None if plan.yaml is unusable), its actions and the problems met."""

    root: Path
    plan: Plan | None
    plan_doc: Document | None
    actions: list[LoadedAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The plan id, or the folder name when plan.yaml did not load."""
        return self.plan.id if self.plan else self.root.name

    @cached_property
    def index(self) -> PlanIndex:
        """The plan's look-up index (categories, departments, status words), built once.

        Raises ``ValueError`` when plan.yaml did not load (``plan`` is None).
        """
        if self.plan is None:
            raise ValueError(f"{self.root}: plan.yaml did not load")
        return PlanIndex(self.plan)

    def find_action(self, action_id: str) -> LoadedAction | None:
        """The action whose id is ``action_id``, leading zeros ignored (``'6'`` finds ``'06'``); None if absent."""
        wanted = action_id.lstrip("0")
        for la in self.actions:
            if la.action.id == action_id or la.action.id.lstrip("0") == wanted:
                return la
        return None


def _yaml(fast: bool = False) -> YAML:
    # fast: ruamel's safe loader (C-accelerated through ruamel.yaml.clib), no positions;
    # otherwise the round-trip loader, whose nodes know their line and column.
    y = YAML(typ="safe", pure=False) if fast else YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


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
            return None, [rules["io-error"].problem(path, 1, 1, reason=exc.strerror or str(exc))]
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            col = exc.start - (before.rfind(b"\n") + 1) + 1
            return None, [rules["encoding"].problem(path, line, col, byte=f"0x{raw[exc.start]:02x}")]
    if fast:
        tree = parse_cache.get(text)
        if tree is None:
            try:
                tree = _yaml(fast=True).load(text)
            except YAMLError:
                return read_document(path, text)
            if not isinstance(tree, dict):
                return read_document(path, text)
            parse_cache.put(text, tree)
        return Document(path, text, tree), []
    try:
        tree = _yaml().load(io.StringIO(text))
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
    path: Path, model: type[Plan] | type[Action], fast: bool, text: str | None = None
) -> tuple[Document | None, Any, list[Problem]]:
    doc, problems = read_document(path, text, fast=fast)
    if doc is None:  # unreadable or not YAML: read_document already positioned the problem
        return None, None, problems
    obj, more = validate(doc, model)
    if fast and more:  # validate again on the round-trip tree, for positions in the messages
        return _read_valid(path, model, False, doc.text)
    return doc, obj, problems + more


def load_plan(root: Path, only: set[Path] | None = None, *, positions: bool = True) -> LoadedPlan:
    """Load a plan folder. ``only``: action files to report problems for (all are loaded for plan-wide checks).

    ``positions=False`` parses good files without line/column information (several
    times faster); files with problems are still reported with positions. Lint
    needs positions for every finding, so it loads with ``positions=True``.
    """
    root = Path(root)
    fast = not positions
    doc, plan, problems = _read_valid(root / PLAN_FILE, Plan, fast)
    loaded = LoadedPlan(root=root, plan=plan, plan_doc=doc if plan else None, problems=problems)
    for path in action_files(root):
        adoc, action, aproblems = _read_valid(path, Action, fast)
        if action is not None:
            loaded.actions.append(LoadedAction(action, adoc))
        if only is None or path.resolve() in only:
            loaded.problems += aproblems
    return loaded


def action_files(root: Path) -> list[Path]:
    """The action files of a plan folder, sorted by name (which sorts by number when zero-padded)."""
    folder = Path(root) / ACTIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def plan_root_of(path: Path) -> Path | None:
    """The plan folder that holds ``path`` (a plan.yaml or an action file), or None."""
    path = path.resolve()
    for candidate in (path.parent, path.parent.parent):
        if (candidate / PLAN_FILE).is_file():
            return candidate
    return None


def discover(paths: list[Path]) -> list[tuple[Path, set[Path] | None]]:
    """Map command-line paths to ``(plan folder, files to report on or None for all)``.

    Raises :class:`PlanNotFound` naming the first path that is none of a plan
    folder, a folder holding plan folders, or a YAML file inside a plan folder.
    """
    result: dict[Path, set[Path] | None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise PlanNotFound(f"{raw}: no such file or folder")
        if path.is_dir():
            if (path / PLAN_FILE).is_file():
                result[path] = None
                continue
            found = sorted(p.parent for p in path.glob(f"*/{PLAN_FILE}"))
            if not found:
                raise PlanNotFound(f"{raw}: no {PLAN_FILE} here or in its sub-folders")
            for p in found:
                result[p] = None
            continue
        root = plan_root_of(path)
        if root is None:
            raise PlanNotFound(f"{raw}: not inside a plan folder (no {PLAN_FILE} next to it or one level up)")
        key = next((k for k in result if k.resolve() == root), root)
        if result.get(key, set()) is None:
            continue
        result.setdefault(key, set()).add(path.resolve())
    return list(result.items())
