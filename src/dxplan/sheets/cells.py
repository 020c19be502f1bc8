"""Values in and out of Excel cells: what a workbook cannot hold, and what a typed cell means.

- :func:`excel_value`: a value as the xlsx writer puts it in a cell. Text keeps every character
  Excel can hold; the control characters it cannot (NUL … BS, VT, FF, SO … US: openpyxl's
  ``ILLEGAL_CHARACTERS_RE``) are replaced by their visible pictures of the Unicode block
  "Control Pictures" (U+2400 + code: BEL → ␇, ESC → ␛, FF → ␌), so the clerk sees where they were
  and the export never fails. A number Excel cannot store as a double (an integer beyond
  ±1.8e308, infinity, NaN) is written as its text, never a crash; the import reads such a text as
  the plan's value unchanged (:func:`same_cell`).
- :func:`typed_value`: a cell as read back. A number in a cell whose number format is a percent
  (``0%``, ``0.0%``: the clerk typed ``80%``, Excel stores ``0.8``) is read as the percent it shows
  (80), computed in decimal so 0.8 gives exactly 80.
- :func:`same_cell`: whether two cell values say the same (text stripped and with control
  characters as their pictures; numbers compared as numbers, so ``"50"`` from a CSV equals 50).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from dxplan.files.fmt import parse_number

#: The characters an xlsx cell cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``: C0 controls but tab, LF and CR).
EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_picture(char: str) -> str:
    """The visible stand-in of a C0 control character: U+2400 + its code (NUL → ␀, ESC → ␛)."""
    return chr(0x2400 + ord(char))


def excel_text(text: str) -> str:
    """``text`` with every character Excel cannot hold replaced by its control picture (:func:`control_picture`)."""
    return EXCEL_ILLEGAL.sub(lambda m: control_picture(m.group()), text)


def excel_value(value: Any) -> Any:
    """``value`` as an xlsx cell can hold it: text through :func:`excel_text`; a number Excel cannot
    store as a double (too large, infinite, NaN) as its text; anything else unchanged."""
    if isinstance(value, str):
        return excel_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            return _number_text(value)
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _number_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # beyond Python's int-to-text digit limit: every digit kept, in scientific form
        mantissa, exponent = f"{Decimal(value):E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.') if '.' in mantissa else mantissa}E{exponent}"


def typed_value(value: Any, number_format: str | None) -> Any:
    """A cell's value as the clerk meant it: a number in a percent-formatted cell (``0%``) times 100
    (0.8 → 80, 0.125 → 12.5), computed in decimal; everything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not number_format or "%" not in number_format:
        return value
    try:
        scaled = Decimal(repr(value)) * 100
    except InvalidOperation:
        return value
    if not scaled.is_finite():
        return value
    return int(scaled) if scaled == scaled.to_integral_value() else float(scaled)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            return None
    if isinstance(value, str):
        return parse_number(value, float)
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        text = str(value)
    except ValueError:
        return repr(value)
    return excel_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def same_cell(a: Any, b: Any) -> bool:
    """Whether cell values ``a`` and ``b`` say the same: both empty, equal as numbers (text read as a
    number the way an import reads it), or equal as text once stripped and with control characters
    as their pictures."""
    if type(a) is type(b) and a == b:
        return True
    ta, tb = _text(a), _text(b)
    if ta == tb:
        return True
    if not ta or not tb:
        return False
    na, nb = _number(a), _number(b)
    return na is not None and nb is not None and na == nb
