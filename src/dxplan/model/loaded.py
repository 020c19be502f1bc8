"""What loading produces: :class:`Document` (one parsed file), :class:`LoadedAction` and :class:`LoadedPlan`.

Plain result types, shared by the loader (:mod:`dxplan.files.load`) and the lint rules
(:mod:`dxplan.rules`), which only read them; kept apart from the loader so that
the rules need not import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


from .schema import Action, Plan
from .index import PlanIndex
from dxplan.problems import Problem


@dataclass
class Document:
    """One parsed YAML file: its path, its text and its data tree (plain data, see :mod:`dxplan.yamlread`).

    ``parsed`` holds the positions when the file was read with them; otherwise
    they are computed from ``text`` (by the same reader, with the same limits)
    only when a position is first asked for, so only files with findings pay for it.
    """

    path: Path
    text: str
    tree: Any
    parsed: Any = field(default=None, repr=False, compare=False)

    def _positioned(self) -> Any:
        from dxplan.yamlread import Parsed, YamlFault, parse

        if self.parsed is None or self.parsed.marks is None:
            try:
                self.parsed = parse(self.text, positions=True)
            except YamlFault:  # cannot happen for text that loaded; position at the start
                self.parsed = Parsed(None, {})
        return self.parsed

    def position(self, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at ``loc`` (a pydantic-style path), never past the end of the text.

        Follows ``loc`` as far as it reaches; a missing key points at the mapping
        that should hold it. ``key=True`` points at a mapping key rather than its
        value (used for unknown keys). See :meth:`dxplan.yamlread.Parsed.position`.
        """
        line, col = self._positioned().position(tuple(loc), key=key)
        return clamp(self.text, line, col)


def clamp(text: str, line: int, col: int) -> tuple[int, int]:
    """(line, column) moved inside ``text``: at least 1:1, at most one past its last line and that line's end."""
    lines = text.splitlines()
    line = min(max(line, 1), max(len(lines), text.count("\n") + 1, 1))
    width = len(lines[line - 1]) if line <= len(lines) else 0
    return line, min(max(col, 1), width + 1)


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
    #: Action files with schema errors, read without the values those errors are about: for lint's rules
    #: only (so one run reports every problem of a file), never for counts or reports.
    repaired: list[LoadedAction] = field(default_factory=list)

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
