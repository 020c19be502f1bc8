"""A key the schema does not define (often a typo); unknown keys are never ignored.

Why: Unknown keys are never ignored: a misspelt key would otherwise drop its value without a word.

Fix: Correct the key (the message suggests the closest one) or remove it.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (3:1)::

    id: '1'
    title: 例
    categroy: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]
"""

from __future__ import annotations

from pydantic import BaseModel

from dxplan.i18n import N_, Text
from dxplan.model.schema import field_model
from dxplan.model.changes import field_path
from . import did_you_mean

ID = "unknown-key"
SEVERITY = "error"
MESSAGE = N_(
    "unknown key '{key}'{where}.{hint}"
)


def matches(err: dict) -> bool:
    return err["type"] == "extra_forbidden"


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class at a pydantic-style ``loc`` (list indexes skipped), or None."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current else None
        if info is None:
            return None
        current = field_model(info.annotation)
    return current


def params(err: dict, model: type, doc) -> dict:
    loc = tuple(err["loc"])
    key = str(loc[-1])
    parent = _model_at(model, loc[:-1])
    choices = list(parent.model_fields) if parent else []
    where = field_path(loc[:-1]) if len(loc) > 1 else ""
    return {
        "key": key,
        "where": Text(" in {where}", where=where) if where else "",
        "hint": did_you_mean(key, choices) or Text(" Keys outside the schema are not allowed."),
    }
