"""Numbers as a plan's text writes them: a float that keeps its written precision.

The one YAML reader (:mod:`dxplan.yamlread`) returns every float as a :class:`WrittenFloat`, and the schema's
number types (:data:`dxplan.model.base.PlanNumber`) keep it through validation, so writers print ``85.0`` as
85.0 and ``3.10`` as 3.10 (docs/domain.md, "Numbers"). A ground module: imports nothing of dxplan.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache


class WrittenFloat(float):
    """A float read from YAML text that keeps the precision the text wrote it with: ``decimals``, the digits
    after the point (``85.0`` → 1, ``3.10`` → 2, ``1e3`` → 0, ``1.5e-2`` → 3). Equal to and computed with as
    the float it is; arithmetic gives plain floats. Writers print a source number with ``decimals``
    (:func:`written_decimals`)."""

    __slots__ = ("decimals",)
    decimals: int

    def __new__(cls, value: float, decimals: int) -> WrittenFloat:
        obj = super().__new__(cls, value)
        obj.decimals = decimals
        return obj

    def __reduce__(self) -> tuple[type, tuple[float, int]]:
        return WrittenFloat, (float(self), self.decimals)


def written_decimals(text: str, max_chars: int = 4000) -> int | None:
    """The decimals a number's text is written with (``"85.0"`` → 1, ``"3.10"`` → 2, ``"1,200"`` → 0), None when the
    text is not a finite decimal number or is longer than ``max_chars`` (thousands commas and underscores are ignored)."""
    s = text.strip().replace("_", "").replace(",", "")
    if len(s) > max_chars:
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    exponent = d.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else None


@cache
def represent_written_floats() -> None:
    """Let ruamel.yaml write a :class:`WrittenFloat` as the float it is (data the reader built, dumped again);
    called by :func:`dxplan.yamlread.parse`, which has imported ruamel.yaml by then."""
    from ruamel.yaml.representer import Representer, RoundTripRepresenter, SafeRepresenter

    for cls in (SafeRepresenter, Representer, RoundTripRepresenter):
        cls.add_representer(WrittenFloat, SafeRepresenter.represent_float)
