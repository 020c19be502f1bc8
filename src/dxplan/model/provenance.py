"""Which words of a loaded plan are the municipality's and which are ours, read from the schema's declaration.

Every field of the schema declares its :data:`dxplan.model.base.Provenance` once (``Field(json_schema_extra=
{"x-provenance": …})`` through the helpers in :mod:`dxplan.model.base`; undeclared fields are ``source``).
A non-``source`` field makes its whole value that kind (``Plan.lint`` is ``computed`` down to its leaves);
a ``source`` field holding a model lets that model's fields declare their own.

:func:`strings` walks a plan or action and yields every string with its path and kind; :func:`source_strings`
and :func:`annotation_strings` pick one kind. Writers and tests use these to show every source string and
no annotation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .base import Provenance, provenance_of

Path = tuple[str | int, ...]
"""A location inside a model: field names and list indexes, e.g. ``("tasks", 2, "note")``."""


def strings(model: BaseModel, kind: Provenance = "source", path: Path = ()) -> Iterator[tuple[Path, Provenance, str]]:
    """Every string value in ``model`` (fields set or defaulted, lists walked), as ``(path, kind, text)``.

    ``kind`` is the provenance inherited from the enclosing field (``source`` at the top). Non-string
    scalars (numbers, dates, booleans) are skipped; dict values are walked with their keys as path parts.
    """
    for name in type(model).model_fields:
        own = provenance_of(type(model), name)
        here: Provenance = own if kind == "source" else kind
        yield from _value(getattr(model, name), here, (*path, name))


def _value(value: Any, kind: Provenance, path: Path) -> Iterator[tuple[Path, Provenance, str]]:
    if isinstance(value, BaseModel):
        yield from strings(value, kind, path)
    elif isinstance(value, str):
        if not hasattr(value, "value"):  # an Enum member is the schema's word, never the source's
            yield path, kind, value
        else:
            yield path, "computed", value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _value(item, kind, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _value(item, kind, (*path, str(key)))


def source_strings(model: BaseModel) -> Iterator[tuple[Path, str]]:
    """``(path, text)`` for every non-empty source string of ``model`` (the municipality's words, verbatim)."""
    for path, kind, text in strings(model):
        if kind == "source" and text.strip():
            yield path, text


def annotation_strings(model: BaseModel) -> Iterator[tuple[Path, str]]:
    """``(path, text)`` for every non-empty annotation string of ``model`` (the transcriber's words and provenance)."""
    for path, kind, text in strings(model):
        if kind == "annotation" and text.strip():
            yield path, text
