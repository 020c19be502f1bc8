"""A required field is missing (an action's id, title, category or sources; a plan's period …).

Why: Required fields are what every command relies on (id and title to name the action, category to count it, sources to cite it).

Fix: Add the field named in the message.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (1:1)::

    id: '1'
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from dxplan.model.changes import field_path

ID = "missing-field"
SEVERITY = "error"
MESSAGE = N_(
    "required field '{field}' is missing; add it."
)


def matches(err: dict) -> bool:
    return err["type"] == "missing"


def params(err: dict, model, doc) -> dict:
    return {"field": field_path(tuple(err["loc"]))}
