"""Shared building blocks of the plan schema: the strict base model, fiscal years, percents and helpers.

Split out of :mod:`dxplan.model.schema` so that :mod:`dxplan.model.indicators` can use them without an
import cycle; :mod:`dxplan.model.schema` re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import types
import typing
from typing import Annotated, Any, Literal, Union

from decimal import Decimal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)

from pydantic_core import PydanticCustomError

from dxplan.numbers import WrittenFloat, written_decimals
from dxplan.fiscal import FiscalYearError, fiscal_year_of_month, parse_era_date, parse_fiscal_year, parse_year_month


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

NUMBER_LIMIT = 10**15
"""The largest magnitude of any number a plan holds (docs/domain.md, "Numbers"): |x| ≤ 10^15."""

NUMBER_DECIMALS = 6
"""The most decimals any number a plan holds may be written with (docs/domain.md, "Numbers"): 0.000001."""


def _number_error(value: object, problem: str) -> PydanticCustomError:
    return PydanticCustomError(
        "number_range",
        "{problem}: a number must be finite, at most {limit} in magnitude and written with at most {decimals} decimals",
        {"problem": problem, "limit": "10^15", "decimals": NUMBER_DECIMALS, "value": str(value)[:12], "digits": len(str(value))},
    )


def _plan_int(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """An integer checked before the type converts it (a 400-digit integer is refused here, not turned into a float);
    a float keeps the decimals its source text was written with (:class:`dxplan.numbers.WrittenFloat`: ``85.0`` → 1,
    ``3.10`` → 2, ``100`` → 0), which pydantic's float conversion would drop.

    A wrap validator rather than a before validator: :mod:`dxplan.files.fmt` reads a before validator as a
    field with forms of its own (a fiscal year) and leaves it alone, where these are plain numbers."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > NUMBER_LIMIT:
        raise _number_error(value, "too_large")
    result = handler(value)
    if not isinstance(result, float) or isinstance(value, bool):
        return result
    decimals = getattr(value, "decimals", None)
    if decimals is None and isinstance(value, int):
        decimals = 0
    elif decimals is None and isinstance(value, str):
        decimals = written_decimals(value)
    return result if decimals is None else WrittenFloat(result, decimals)


def _plan_float(value: float) -> float:
    """A float checked against the policy (:data:`PlanNumber`); ``-0.0`` normalised to ``0.0``."""
    if not math.isfinite(value):
        raise _number_error(value, "not_finite")
    if abs(value) > NUMBER_LIMIT:
        raise _number_error(value, "too_large")
    if value == 0:  # -0.0 prints as "-0" and sorts apart: the one normalisation of a number we make
        return WrittenFloat(0.0, value.decimals) if isinstance(value, WrittenFloat) else 0.0
    exponent = Decimal(repr(value)).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -NUMBER_DECIMALS:
        raise _number_error(value, "too_precise")
    return value


_NUMBER_DOC = "a number: finite, |x| ≤ 10^15, at most 6 decimals (-0.0 is read as 0)"

PlanNumber = Annotated[
    float,
    WrapValidator(_plan_int),
    AfterValidator(_plan_float),
    WithJsonSchema({"type": "number", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT, "description": _NUMBER_DOC}),
]
"""Every non-integer number read from a plan (targets, baselines, actuals, effects, bounds), by one policy
(docs/domain.md, "Numbers"): finite, |x| ≤ :data:`NUMBER_LIMIT` (10^15), at most :data:`NUMBER_DECIMALS` (6)
decimals as written, so a subnormal such as ``1e-320`` is refused; ``-0.0`` is normalised to ``0.0`` (a computed
normalisation). Anything else is a ``number_range`` error (lint rule ``number-range``, positioned at the value).
With these bounds every rate the core forms (a difference of at least 10^-6 against at most 2×10^15) has at most
24 digits before the point, so :func:`dxplan.score.rates.round1` can always round it."""

PlanInt = Annotated[
    int,
    WrapValidator(_plan_int),
    WithJsonSchema({"type": "integer", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT}),
]
"""Every integer read from a plan (numbers, priorities, counts): |n| ≤ 10^15, by the policy of :data:`PlanNumber`."""

Percent = Annotated[float, Field(ge=0, le=100, description="percent, 0–100"), AfterValidator(_plan_float)]
"""A percent in 0–100 (not a fraction), with at most 6 decimals (:data:`PlanNumber`)."""

Text = Annotated[str, Field(min_length=1)]


PROVENANCE_KEY = "x-provenance"
"""The JSON Schema keyword (and ``json_schema_extra`` key) that declares where a field's words come from."""

Provenance = Literal["source", "computed", "annotation", "label"]
"""Where a field's value comes from, declared once per field:

- ``source`` (the default): the municipality's words, transcribed verbatim; reports show all of them;
- ``computed``: a value we computed or normalised (ids, references to other nodes, units, numeric specs,
  settings, look-up spellings); reports show it marked as ours or use it without printing it;
- ``annotation``: the transcriber's commentary and provenance (seed files, locations, notes in our words);
  reports never print it outside ``--audit``;
- ``label``: the plan's own heading for another field (``Plan.labels``); shown as that field's heading
  wherever the field is shown.
"""


def empty_list(description: str | None = None, provenance: Provenance | None = None) -> Any:
    """A list field's default: a new empty list for every object, shown as ``"default": []`` in the JSON Schema.

    ``= []`` would do the same, but pydantic deep-copies a mutable default each time an
    object is validated without the field (about 5 % of loading a large corpus);
    ``list()`` builds it directly. A field left out is still absent from ``model_fields_set``.
    ``provenance``: the field's :data:`Provenance` when it is not ``source``.
    """
    extra: dict[str, Any] = {"default": []}
    if provenance is not None:
        extra[PROVENANCE_KEY] = provenance
    return Field(default_factory=list, description=description, json_schema_extra=extra)


def computed(default: Any = None, description: str | None = None) -> Any:
    """A field whose value is ours, computed or normalised (an id, a reference, a unit, a setting): ``Field`` with that provenance."""
    return Field(default=default, description=description, json_schema_extra={PROVENANCE_KEY: "computed"})


def annotation(default: Any = None, description: str | None = None) -> Any:
    """A field holding the transcriber's annotation (never printed outside ``--audit``): ``Field`` with that provenance."""
    return Field(default=default, description=description, json_schema_extra={PROVENANCE_KEY: "annotation"})


def provenance_of(model: type[BaseModel], name: str) -> Provenance:
    """The declared :data:`Provenance` of field ``name`` of ``model``.

    Undeclared fields are ``source``, except those typed as a ``Literal`` or an ``Enum`` (the schema's own
    vocabulary, e.g. ``kind``, ``state``), which are ``computed``. Raises KeyError for an unknown field.
    """
    info = model.model_fields[name]
    extra = info.json_schema_extra
    if isinstance(extra, dict) and PROVENANCE_KEY in extra:
        return typing.cast(Provenance, extra[PROVENANCE_KEY])
    ann, _ = split_annotated(info.annotation)
    for opt in union_options(ann):
        opt, _ = split_annotated(opt)
        inner = typing.get_args(opt)[0] if typing.get_origin(opt) is list and typing.get_args(opt) else opt
        if typing.get_origin(inner) is Literal or (isinstance(inner, type) and issubclass(inner, enum.Enum)):
            return "computed"
    return "source"


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


def _era_or_date(value: object) -> object:
    """A date written in era form (令和7年2月10日) read as its date; anything else left to the date type."""
    return parse_era_date(value) if isinstance(value, str) and value.lstrip()[:2] in ("令和", "平成") else value


EraDate = Annotated[
    dt.date,
    BeforeValidator(_era_or_date),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "pattern": r"^\s*(令和|平成)\s*([0-9０-９]{1,2}|元)\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日\s*$"},
        ],
        "description": "a date: 2025-02-10 or 令和7年2月10日",
    }),
]
"""A date as ``2025-02-10`` or in era form as the plans write it, ``令和7年2月10日`` (:func:`dxplan.fiscal.parse_era_date`);
every date field of the schema has this type."""


def _month(value: object) -> str:
    year, month = parse_year_month(value)
    return f"{year:04d}-{month:02d}"


YearMonth = Annotated[str, BeforeValidator(_month)]
"""A month, ``2023-01`` (also ``2023年1月``, ``令和5年1月``), held as ``YYYY-MM``."""


class PlanPeriod(Strict):
    """A plan period by month as the source writes it (2023年1月〜2025年3月): ``start`` and ``end`` months,
    inclusive. The plan's fiscal years are those holding them (2023-01 → 令和4年度, 2025-03 → 令和6年度)."""

    start: YearMonth = computed(..., description="the first month, normalised to YYYY-MM (the plan prints the period as fiscal years)")
    end: YearMonth = computed(..., description="the last month, normalised to YYYY-MM")

    @property
    def fiscal_years(self) -> tuple[int, int]:
        """(first, last) fiscal year of the period."""
        (ys, ms), (ye, me) = parse_year_month(self.start), parse_year_month(self.end)
        return fiscal_year_of_month(ys, ms), fiscal_year_of_month(ye, me)


MUNICIPALITY_CODE_WEIGHTS = (6, 5, 4, 3, 2)
"""Weights of the first five digits of a 全国地方公共団体コード in its check digit (総務省, JIS X 0402)."""


def municipality_check_digit(first_five: str) -> int:
    """The check digit of a 全国地方公共団体コード whose first five digits are ``first_five`` (``"13101"`` → 6).

    The rule of 総務省's 全国地方公共団体コード (JIS X 0402): the digits weighted 6, 5, 4, 3, 2 and summed;
    the check digit is (11 − sum mod 11) mod 10 (a remainder of 0 gives 1, of 1 gives 0). Known codes:
    千代田区 131016, 札幌市 011002. Raises ValueError when ``first_five`` is not five ASCII digits.
    """
    if len(first_five) != 5 or not first_five.isascii() or not first_five.isdigit():
        raise ValueError(f"not five digits: {first_five!r}")
    total = sum(int(d) * w for d, w in zip(first_five, MUNICIPALITY_CODE_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def _municipality_code(value: object) -> object:
    """A code read from YAML as a number (``402281``) taken as its digits; a bool or a float stays, for the type error."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _check_municipality_code(code: str) -> str:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise PydanticCustomError("municipality_code", "not six digits: {code}", {"code": code, "expected": None})
    expected = municipality_check_digit(code[:5])
    if int(code[5]) != expected:
        raise PydanticCustomError("municipality_code", "wrong check digit: {code}", {"code": code, "expected": f"{code[:5]}{expected}"})
    return code


MunicipalityCode = Annotated[
    str,
    BeforeValidator(_municipality_code),
    AfterValidator(_check_municipality_code),
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^\d{6}$", "description": "全国地方公共団体コード: six digits, the last a check digit"}),
]
"""A 全国地方公共団体コード (6 digits, the sixth a check digit: :func:`municipality_check_digit`), held as its digits."""
