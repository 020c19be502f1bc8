"""What loading produces: :class:`Document` (one parsed file), :class:`LoadedAction` and :class:`LoadedPlan`.

Plain result types, shared by the loader (:mod:`dxplan.load`) and the lint rules
(:mod:`dxplan.rules`), which only read them; kept apart from the loader so that
the rules need not import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .model import Action, Plan
from .planindex import PlanIndex
from .problems import Problem


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
            from .fastyaml import positioned_tree

            self._rt = positioned_tree(self.text)
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


def yaml_parser(fast: bool = False) -> YAML:
    """A ruamel.yaml loader refusing duplicate keys.

    ``fast``: the safe loader (C-accelerated through ruamel.yaml.clib), plain
    data without positions; otherwise the round-trip loader, whose nodes know
    their line and column.
    """
    y = YAML(typ="safe", pure=False) if fast else YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y
