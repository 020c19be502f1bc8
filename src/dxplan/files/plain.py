"""Typed results as plain data and back, for the results cache: dataclasses, models and enums of dxplan as tagged tuples.

The results cache (:mod:`dxplan.files.result_cache`) stores only plain data (its pickle may hold
dict, list, tuple, str, int, float, bool, None, date and datetime, nothing else). What a command
computes for a plan is typed — :class:`dxplan.status.counts.StatusResult`, its counts, the plan's
model inside it, :class:`dxplan.score.actions.ActionScore` with its rates and explanations — so
:func:`to_plain` writes it as plain data and :func:`from_plain` builds the same typed value again:
``from_plain(to_plain(x)) == x`` for every value :func:`to_plain` accepts.

A typed value becomes a tuple whose first item says what it is:

- ``("O", "module:Class", {name: value})``: an instance of a dataclass (its ``__dict__``);
- ``("M", "module:Class", {field: value}, [field set…])``: a pydantic model (its fields, and the
  fields set when it was validated, as pydantic keeps them);
- ``("E", "module:Class", value)``: a member of an enum;
- ``("T", [items])``: a tuple; ``("D", [(key, value)…])``: a dict with a key that is not a string;
- ``("P", text)``: a path; ``("N", text)``: a :class:`decimal.Decimal`.

Only classes defined in dxplan's own modules are written or built, and only dataclasses, pydantic
models and enums among them: an entry names a class, never code to run. Building one sets its
attributes directly (no ``__init__``, no validator runs): the values were checked when the result was
computed, and the entry's digest says they are the bytes that were stored. A value of any other type
makes :func:`to_plain` raise :class:`TypeError` (the caller then stores nothing); an entry that names
another class, or is not of this shape, makes :func:`from_plain` raise :class:`ValueError` (the
caller treats it as a corrupt entry and computes the result again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from dxplan.numbers import WrittenFloat

__all__ = ["to_plain", "from_plain"]

_PLAIN = (str, int, float, bool, type(None), dt.date)  # the types the cache's pickle holds (their subclasses are checked)
_EXACT = {str, int, float, bool, type(None), dt.date, dt.datetime, WrittenFloat}
_CLASSES: dict[str, tuple[str, type]] = {}


def _name(cls: type) -> str:
    if not cls.__module__.startswith("dxplan."):
        raise TypeError(f"{cls.__module__}.{cls.__qualname__} is not a dxplan class")
    return f"{cls.__module__}:{cls.__qualname__}"


def to_plain(value: Any) -> Any:
    """``value`` as plain data (see the module docstring). Raises TypeError for a value of another type."""
    if type(value) in _EXACT:
        return value
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        if all(type(k) is str for k in value):
            return {k: to_plain(v) for k, v in value.items()}
        return ("D", [(to_plain(k), to_plain(v)) for k, v in value.items()])
    if isinstance(value, tuple):
        return ("T", [to_plain(v) for v in value])
    if isinstance(value, enum.Enum):
        return ("E", _name(type(value)), value.value)
    if isinstance(value, PurePath):
        return ("P", str(value))
    if isinstance(value, Decimal):
        return ("N", str(value))
    cls = type(value)
    fields_set = getattr(value, "__pydantic_fields_set__", None)
    if fields_set is not None:
        if getattr(value, "__pydantic_private__", None) or getattr(value, "__pydantic_extra__", None):
            raise TypeError(f"{cls.__qualname__}: a model with private or extra values")
        return ("M", _name(cls), {k: to_plain(v) for k, v in value.__dict__.items()}, sorted(fields_set))
    if dataclasses.is_dataclass(cls) and hasattr(value, "__dict__"):
        return ("O", _name(cls), {k: to_plain(v) for k, v in vars(value).items()})
    raise TypeError(f"{cls.__module__}.{cls.__qualname__} is not plain data")


def _class(name: Any, kind: str) -> type:
    """The dxplan class ``module:Qualname`` named by an entry, of ``kind`` O (dataclass), M (model) or E (enum)."""
    found = _CLASSES.get(name)
    if found is not None and found[0] == kind:
        return found[1]
    if not isinstance(name, str) or not name.startswith("dxplan.") or name.count(":") != 1:
        raise ValueError(f"not a dxplan class: {name!r}")
    module, _, qualname = name.partition(":")
    try:
        cls: Any = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError):
        raise ValueError(f"no class {name}") from None
    ok = isinstance(cls, type) and (
        (kind == "O" and dataclasses.is_dataclass(cls))
        or (kind == "M" and hasattr(cls, "model_fields"))
        or (kind == "E" and issubclass(cls, enum.Enum))
    )
    if not ok:
        raise ValueError(f"{name} is not a {kind} class")
    _CLASSES[name] = (kind, cls)
    return cls


def from_plain(data: Any) -> Any:
    """The typed value :func:`to_plain` wrote as ``data``. Raises ValueError for data not of that shape."""
    if isinstance(data, _PLAIN):
        return data
    if isinstance(data, list):
        return [from_plain(v) for v in data]
    if isinstance(data, dict):
        return {k: from_plain(v) for k, v in data.items()}
    if not isinstance(data, tuple) or not data:
        raise ValueError(f"not plain data: {type(data).__name__}")
    tag = data[0]
    try:
        if tag == "O":
            _, name, attrs = data
            obj: Any = object.__new__(_class(name, "O"))
            obj.__dict__.update({k: from_plain(v) for k, v in attrs.items()})
            return obj
        if tag == "M":
            _, name, attrs, fields_set = data
            cls: Any = _class(name, "M")
            obj = cls.__new__(cls)
            object.__setattr__(obj, "__dict__", {k: from_plain(v) for k, v in attrs.items()})
            object.__setattr__(obj, "__pydantic_fields_set__", set(fields_set))
            object.__setattr__(obj, "__pydantic_extra__", None)
            object.__setattr__(obj, "__pydantic_private__", None)
            return obj
        if tag == "E":
            _, name, value = data
            return _class(name, "E")(from_plain(value))
        if tag == "T":
            return tuple(from_plain(v) for v in data[1])
        if tag == "D":
            return {from_plain(k): from_plain(v) for k, v in data[1]}
        if tag == "P":
            return Path(data[1])
        if tag == "N":
            return Decimal(data[1])
    except (TypeError, AttributeError) as exc:  # a tuple of the wrong length or types
        raise ValueError(f"malformed {tag!r} entry: {exc}") from None
    raise ValueError(f"unknown tag {tag!r}")
