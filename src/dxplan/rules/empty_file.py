"""A plan file with no data (empty, or only comments).

Why: An empty action file counts as nothing and hides that an action is missing.

Fix: Fill the file in (`dxplan new` writes a starting point) or delete it.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (1:1)::

    # nothing yet
"""

from dxplan.i18n import N_

ID = "empty-file"
SEVERITY = "error"
MESSAGE = N_(
    "the file is empty; fill it in or delete it."
)
