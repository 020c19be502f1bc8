"""What loading produces: :class:`Document` (one parsed file), :class:`LoadedAction` and :class:`LoadedPlan`.

Plain result types, shared by the loader (:mod:`dxplan.files.load`) and the lint rules
(:mod:`dxplan.rules`), which only read them; kept apart from the loader so that
the rules need not import it.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
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
    _lines: TextLines | None = field(default=None, init=False, repr=False, compare=False)

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
        if self._lines is None:  # built once per document: each position then costs O(log lines)
            self._lines = TextLines(self.text)
        return self._lines.from_yaml(line, col)


#: What the YAML reader counts as a line break (YAML 1.2 §5.4, ruamel.yaml's reader); editors and git count "\n" only.
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class TextLines:
    """The lines of a text as a person's editor shows them (split at ``"\n"``), and positions mapped into them.

    The one place positions in a file are made inside that file: :meth:`from_yaml` takes a
    1-based (line, column) as the YAML reader counts them (it also breaks lines at ``\r``, NEL,
    U+2028 and U+2029) and returns the same character's line and column as an editor counts
    them, moved inside the text: ``1 ≤ line ≤`` :attr:`count` and ``1 ≤ column ≤`` the line's
    length + 1 (just past its end, where something missing would go). Built in one pass over
    the text; each position then costs O(log lines).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = array("q", [0])  # offset of each editor line
        self._starts.extend(m.end() for m in re.finditer("\n", text))
        self._yaml_starts: array | None = None
        #: Number of lines (a final "\n" ends the last line; it does not start another); at least 1.
        self.count = max(len(self._starts) - (1 if text.endswith("\n") else 0), 1)

    def width(self, line: int) -> int:
        """Characters in the 1-based ``line`` (its ``"\n"`` not counted)."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return max(end - start, 0)

    def inside(self, line: int, col: int) -> tuple[int, int]:
        """(line, column) moved inside the text: at least 1:1, at most one past a line's end; a line past
        the last (the end of the text, after its final newline) is the end of the last line."""
        if line > self.count:
            return self.count, self.width(self.count) + 1
        line = max(line, 1)
        return line, min(max(col, 1), self.width(line) + 1)

    def from_yaml(self, line: int, col: int) -> tuple[int, int]:
        """The 1-based YAML reader position (line, column) as an editor's (line, column), inside the text."""
        if self._yaml_starts is None:
            self._yaml_starts = array("q", [0])
            self._yaml_starts.extend(m.end() for m in _YAML_BREAK.finditer(self.text))
        if line < 1 or line > len(self._yaml_starts):
            return self.inside(line if line < 1 else self.count + 1, col)
        offset = min(self._yaml_starts[line - 1] + max(col, 1) - 1, len(self.text))
        at = bisect_right(self._starts, offset)  # the editor line holding that character
        return self.inside(at, offset - self._starts[at - 1] + 1)


def clamp(text: str, line: int, col: int) -> tuple[int, int]:
    """A YAML reader position (1-based line, column) in ``text`` as an editor's, inside the text (see :class:`TextLines`)."""
    return TextLines(text).from_yaml(line, col)


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
