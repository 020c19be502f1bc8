"""A plan text holding a control character a spreadsheet cell cannot hold (NUL, BEL, ESC, form feed …).

Why: Excel refuses these characters (C0 control characters other than tab, line feed and carriage
return); ``dxplan export --format xlsx`` writes each as its visible picture (ESC → ␛), so the
department's sheet no longer shows the plan's text as written, and they print nothing readable in
reports either. They usually come from a copy and paste, or from a ``"\\e"`` escape in quotes.

Fix: Remove the character from the text (or write what it stood for, such as a line break).

Every string value of plan.yaml and of each action file is checked; the message gives the
position of the first such character in the text (1-based) and its name.

Passing::

    id: '1'
    title: 窓口のオンライン化
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (2:8)::

    id: '1'
    title: "窓口の\\aオンライン化"
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from dxplan.i18n import N_
from . import Finding

ID = "excel-characters"
SEVERITY = "warning"
MESSAGE = N_("{field} holds {char} at character {position}, which a spreadsheet cell cannot hold "
             "(exported as {picture}); remove it")

#: The characters an Excel cell cannot hold: C0 controls but tab, LF and CR (openpyxl's ``ILLEGAL_CHARACTERS_RE``).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC"}


def _walk(value: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], re.Match[str]]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, (*loc, i))
    elif isinstance(value, str):
        m = ILLEGAL.search(value)
        if m:
            yield loc, m


def may_hold(text: str) -> bool:
    """False when no value parsed from YAML ``text`` can hold an :data:`ILLEGAL` character, so its tree need not be walked.

    A YAML stream cannot carry these characters as they are (the reader refuses them: they are not printable,
    YAML 1.2 §5.1); a value gets one only through an escape of a double-quoted scalar (``"\\a"``), so a text
    without a backslash has none.
    """
    return "\\" in text


def _findings(doc) -> Iterator[Finding]:
    if not may_hold(doc.text):
        return
    for loc, m in _walk(doc.tree, ()):
        code = ord(m.group())
        name = _NAMES.get(code) or unicodedata.name(chr(0x2400 + code), "").removeprefix("SYMBOL FOR ")
        yield Finding(doc, loc, {
            "field": ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "["),
            "char": f"U+{code:04X} {name}".strip(),
            "position": m.start() + 1,
            "picture": chr(0x2400 + code),
        })


def check(ctx):
    if ctx.loaded.plan_doc is not None:
        yield from _findings(ctx.loaded.plan_doc)
    for la in ctx.loaded.actions:
        yield from _findings(la.doc)
