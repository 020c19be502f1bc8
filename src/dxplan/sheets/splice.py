"""A file's task edits written into its text in place, line by line, when they are plain value changes.

Most of what a sheet brings back is a new value for a field a task row already has, written in
block style on its own line (``    status: 進捗中``). For those, :func:`splice_task_edits` replaces
just the value on that line with the new value as ruamel.yaml writes it in dxplan's layout (the
same representer as the round trip of :mod:`dxplan.sheets.apply`), so the cost follows the edits,
not the size of the file: no round-trip load and dump of a 100 KB file for a handful of cells.

It gives up (None) on anything else — a field to add or remove, a value in a flow mapping, a
multi-line or block scalar, a line with a comment after the value, a text with line breaks other
than ``\\n`` — and the caller then takes the round trip. Either way the caller verifies the new text
(it must read back as exactly the old data with the edits applied, and validate), so a splice that
went wrong in any way the data shows is never written; a comment is the one thing the data does
not show, hence no splice on a line that has one after the value.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dxplan.files.load import read_document

if TYPE_CHECKING:
    from dxplan.model.loaded import Document

    from .check import FieldEdit

#: Line breaks other than ``\n`` that a YAML reader or an editor may count as one: no splice in such a text.
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@cache
def _dumper() -> Any:
    """A ruamel.yaml round-trip dumper in dxplan's layout (as :func:`dxplan.sheets.apply._yaml`)."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def scalar_text(name: str, value: Any) -> str | None:
    """``value`` as ruamel.yaml writes it after ``name:`` on one line (``完了``, ``'評価: 済'``, ``100.0``), or None when it takes more than one line."""
    try:
        return _scalar_text(name, type(value).__name__, value)  # the type too: True, 1 and 1.0 are equal keys, written differently
    except TypeError:  # a value that is not hashable: not kept
        return _scalar_text.__wrapped__(name, type(value).__name__, value)


@lru_cache(maxsize=4096)
def _scalar_text(name: str, kind: str, value: Any) -> str | None:
    out = io.StringIO()
    _dumper().dump({name: value}, out)
    text = out.getvalue()
    head = f"{name}: "
    if not text.startswith(head) or text.count("\n") != 1:
        return None
    return text[len(head) : -1]


def splice_task_edits(path: Path, old: str, edits: Sequence[FieldEdit], doc: Document | None = None) -> str | None:
    """``old`` with every task field edit of ``edits`` written over the value on its line, or None when an edit is not a plain
    replacement of a one-line value in block style (see the module docstring). ``doc``: ``old`` as the caller read it
    (:func:`dxplan.files.load.read_document`, best with positions), else it is read here. The caller verifies the result."""
    if not edits or _OTHER_BREAKS.search(old):
        return None
    if doc is None or doc.text != old:
        doc, problems = read_document(path, text=old, fast=True)
        if problems:
            return None
    if doc is None or not isinstance(doc.tree, dict) or not isinstance(doc.tree.get("tasks"), list):
        return None
    tasks = doc.tree["tasks"]
    lines = old.split("\n")
    done: set[int] = set()
    for e in edits:
        i = e.row.task_index
        if e.after is None or isinstance(e.after, str) and "\n" in e.after:
            return None
        if i >= len(tasks) or not isinstance(tasks[i], dict) or e.field not in tasks[i]:
            return None
        line, col = doc.position(("tasks", i, e.field))
        if line in done or not 1 <= line <= len(lines):
            return None
        text = lines[line - 1]
        prefix, rest = text[: col - 1], text[col - 1 :]
        if not re.fullmatch(r" *(- +)?" + re.escape(e.field) + r": +", prefix) or "#" in rest or rest[:1] in ("|", ">", "&", "*", "!", "{", "["):
            return None
        value = scalar_text(e.field, e.after)
        if value is None:
            return None
        lines[line - 1] = prefix + value
        done.add(line)
    return "\n".join(lines)
