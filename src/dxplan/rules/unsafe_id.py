"""A plan or action id that cannot be part of a file name: a path separator, ``..``, a control character, or a leading ``.`` or ``-``.

Why: Reports are named after the plan and action ids (``<plan>-report.html``); an id such as
``../x`` would name a file outside the output folder, and one starting with ``-`` reads as an
option to other tools. dxplan makes such names safe when it writes, but the id itself should be fixed.

Fix: Use letters, digits, ``-`` and ``_`` (Japanese is fine), e.g. ``id: kama-2025``.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (1:5)::

    id: ../1
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]
"""

import re

from dxplan.i18n import N_

ID = "unsafe-id"
SEVERITY = "error"
MESSAGE = N_(
    "the id '{id}' cannot be part of a file name (no '/', '\\', '..', control characters, or a leading '.' or '-'); use letters, digits, '-' and '_'."
)

_UNSAFE = re.compile(r"[/\\\x00-\x1f\x7f]|\.\.|^[.\-]")


def unsafe(value: str) -> bool:
    """True when ``value`` (an id) cannot safely be part of a file name."""
    return bool(_UNSAFE.search(str(value)))


def check(ctx):
    from . import Finding

    if ctx.loaded.plan_doc is not None and unsafe(ctx.plan.id):
        yield Finding(ctx.loaded.plan_doc, ("id",), {"id": ctx.plan.id[:80]})
    for la in ctx.loaded.actions:
        if unsafe(la.action.id):
            yield Finding(la.doc, ("id",), {"id": la.action.id[:80]})
