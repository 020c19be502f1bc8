"""A plan file with no data (empty, or only comments).

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (1:1)::

    # nothing yet
"""

from ..i18n import N_

ID = "empty-file"
SEVERITY = "error"
MESSAGE = N_(
    "the file is empty; fill it in or delete it."
)
