"""An explicit YAML tag that dxplan does not read (``!!python/object``, ``!!binary``, ``!custom`` …), or a standard tag on a value it does not fit (``!!int x``, ``!!timestamp 2025-02-30``).

Why: Tags make a YAML reader build objects; dxplan only reads plain data, so a tag is either
unnecessary or an attempt to make a reader do something else. Values are checked, never built by a tag.

Fix: Remove the tag and write the value plainly (``progress: 80``, ``date: 2025-02-10``).

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (2:8)::

    id: '1'
    title: !!python/object/new:os.system [echo]
    category: A-1
"""

from dxplan.i18n import N_

ID = "yaml-tag"
SEVERITY = "error"
MESSAGE = N_(
    "the YAML tag {tag} cannot be used here ({reason}); remove the tag and write the value plainly."
)
