"""The same key twice in one mapping: YAML would silently keep only one value.

Why: YAML keeps only one of the two values without a word, so data written by someone is lost.

Fix: Keep one of the two entries and delete the other.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (3:1)::

    id: '1'
    title: 例
    title: 別の例
    category: A-1
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_

ID = "duplicate-key"
SEVERITY = "error"
MESSAGE = N_(
    "duplicate key '{key}'; keep one of the values and delete the other."
)
