"""A （要記入） placeholder left in a plan file: a value ``dxplan init`` or ``dxplan new`` could not know.

Why: the placeholder stands where the office must write the plan's own words (municipality, a
title, a department, a source); left in, it would be printed in reports as if it were plan text.

Fix: Write the value the source gives in place of （要記入）, or remove the entry when the source has none.

Every string value equal to or containing （要記入） is reported, at the value, in plan.yaml and in
each action file.

Passing::

    id: '1'
    title: 窓口のオンライン化
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (2:8)::

    id: '1'
    title: （要記入）
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dxplan.i18n import N_
from . import Finding

ID = "placeholder"
SEVERITY = "warning"
MESSAGE = N_("{field} still holds the placeholder （要記入）: write the plan's own value there (or remove the entry)")

#: What ``dxplan init`` and ``dxplan new`` write where the office must write a value.
PLACEHOLDER = "（要記入）"


def _walk(value: Any, loc: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, (*loc, i))
    elif isinstance(value, str) and PLACEHOLDER in value:
        yield loc


def may_hold(text: str) -> bool:
    """False when no value parsed from YAML ``text`` can hold :data:`PLACEHOLDER`, so its tree need not be walked.

    A value holds the placeholder's characters as the text writes them, or through escapes of a double-quoted
    scalar (``"\\uFF08要記入）"``, a backslash in the text); folding joins lines with a space or a line break,
    never inside a word, so a placeholder is never made of two lines.
    """
    return PLACEHOLDER in text or "\\" in text


def _findings(doc) -> Iterator[Finding]:
    if not may_hold(doc.text):
        return
    for loc in _walk(doc.tree, ()):
        yield Finding(doc, loc, {"field": ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")})


def check(ctx):
    if ctx.loaded.plan_doc is not None:
        yield from _findings(ctx.loaded.plan_doc)
    for la in ctx.loaded.actions:
        yield from _findings(la.doc)
