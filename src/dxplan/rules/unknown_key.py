"""A key the schema does not define (often a typo); unknown keys are never ignored.

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

import typing

from pydantic import BaseModel

from . import did_you_mean, field_path

ID = "unknown-key"
SEVERITY = "error"
MESSAGE = {
    "ja": "未知のキー「{key}」{where_ja}。{hint_ja}",
    "en": "unknown key '{key}'{where_en}.{hint_en}",
}


def matches(err: dict) -> bool:
    return err["type"] == "extra_forbidden"


def _model_at(model: type, loc: tuple) -> type | None:
    current: typing.Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: typing.Any) -> typing.Any:
    while True:
        args = typing.get_args(annotation)
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif args:
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if models:
                return models[0]
            inner = [a for a in args if a is not type(None)]
            if len(inner) == 1 and inner[0] is not annotation:
                annotation = inner[0]
            else:
                return annotation
        else:
            return annotation


def params(err: dict, model: type, doc) -> dict:
    loc = tuple(err["loc"])
    key = str(loc[-1])
    parent = _model_at(model, loc[:-1])
    choices = list(parent.model_fields) if parent else []
    hint_ja = did_you_mean(key, choices, "ja").strip() or "スキーマにないキーは使えません。"
    hint_en = did_you_mean(key, choices, "en") or " Keys outside the schema are not allowed."
    where = field_path(loc[:-1]) if len(loc) > 1 else ""
    return {
        "key": key,
        "where_ja": f"（{where} 内）" if where else "",
        "where_en": f" in {where}" if where else "",
        "hint_ja": hint_ja,
        "hint_en": hint_en,
    }
