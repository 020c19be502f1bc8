"""YAML that does not parse (a bad indent, an unclosed quote or bracket, a tab …).

Why: A file that does not parse cannot be read at all; every figure that depends on it is missing.

Fix: Check indentation (spaces, not tabs), quotes and brackets around the position given.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (3:9)::

    id: '1'
    title: [例
    category: A-1
"""

from dxplan.i18n import N_

ID = "yaml-syntax"
SEVERITY = "error"
MESSAGE = N_(
    "YAML syntax error: {detail}. Check indentation, quotes and brackets around this position."
)
