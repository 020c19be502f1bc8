"""Shared building blocks of the plan schema: the strict base model, fiscal years, percents and helpers.

Split out of :mod:`dxplan.model.schema` so that :mod:`dxplan.model.indicators` can use them without an
import cycle; :mod:`dxplan.model.schema` re-exports every name here.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from dxplan.fiscal import FiscalYearError, parse_fiscal_year


def _fy(value: object) -> int:
    try:
        return parse_fiscal_year(value)
    except FiscalYearError as exc:
        raise ValueError(str(exc)) from None


FiscalYear = Annotated[
    int,
    BeforeValidator(_fy),
    PlainSerializer(lambda v: v, return_type=int),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1900, "maximum": 2200},
                {"type": "string", "pattern": r"^\s*(\d{4}(年度)?|(令和|平成|[RrHh])\s*(\d{1,2}|元)\s*(年度)?)\s*$"},
            ],
            "description": "fiscal year: 2024, R6 or 令和6年度",
        }
    ),
]
"""A fiscal year, stored as the Western start year (令和6年度 → 2024)."""

Percent = Annotated[float, Field(ge=0, le=100, description="percent, 0–100")]
"""A percent in 0–100 (not a fraction)."""

Text = Annotated[str, Field(min_length=1)]


def empty_list(description: str | None = None) -> Any:
    """A list field's default: a new empty list for every object, shown as ``"default": []`` in the JSON Schema.

    ``= []`` would do the same, but pydantic deep-copies a mutable default each time an
    object is validated without the field (about 5 % of loading a large corpus);
    ``list()`` builds it directly. A field left out is still absent from ``model_fields_set``.
    """
    return Field(default_factory=list, description=description, json_schema_extra={"default": []})


class Strict(BaseModel):
    """Base for every schema model: unknown keys are errors, values are validated on assignment, NaN/infinity refused."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True, allow_inf_nan=False)


def split_annotated(ann: Any, metadata: list[Any] | None = None) -> tuple[Any, list[Any]]:
    """Strip ``Annotated`` from a field annotation: ``(inner type, metadata)``."""
    meta = list(metadata or [])
    while typing.get_origin(ann) is typing.Annotated:
        args = typing.get_args(ann)
        ann, meta = args[0], meta + list(args[1:])
    return ann, meta


def union_options(ann: Any) -> list[Any]:
    """The non-None members of a union annotation (``X | None`` → ``[X]``), or ``[ann]``."""
    origin = typing.get_origin(ann)
    if origin is Union or origin is types.UnionType:
        return [a for a in typing.get_args(ann) if a is not type(None)]
    return [ann]


def field_model(ann: Any) -> type[BaseModel] | None:
    """The model class a field holds, directly or as list items (``list[Task]`` → Task), or None."""
    ann, _ = split_annotated(ann)
    for opt in union_options(ann):
        opt, _ = split_annotated(opt)
        if isinstance(opt, type) and issubclass(opt, BaseModel):
            return opt
        if typing.get_origin(opt) is list and typing.get_args(opt):
            return field_model(typing.get_args(opt)[0])
    return None


NOTES_DOC = "the source's own notes (備考), verbatim as the source writes them; reports show these"
DISCREPANCIES_DOC = "where the source contradicts itself or a figure does not add up, in the transcriber's words; an annotation, not shown in reports"
TRANSCRIPTION_NOTES_DOC = "the transcriber's commentary (how a cell was read, what was left out and why, cross-references); an annotation, not shown in reports"
