"""The values a sheet was exported with (its **base**), carried in the sheet for the three-way import.

Every exported row carries the value each of its editable cells had at export (task rows:
``result``, ``status``, ``progress``; indicator rows: ``actual``, ``actual_kind``,
``actual_source`` and ``grade``; action grade rows: ``grade``), exactly as the visible cell was
written:

- **xlsx**: a worksheet of its own, ``dxplan_base``, after every other sheet, *very hidden*
  (``sheet_state="veryHidden"``: Excel's 再表示 does not list it) and protected. Row 1 holds
  ``dxplan:base``, ``field``, ``value``; then one row per editable cell: the row key, the field and
  the exported value (typed as the visible cell: text, number or empty).
- **CSV**: one more column at the right end, headed ``dxplan:base``, holding per row a JSON object
  ``{"result": "…", "status": "進捗中", "progress": 50}`` (a CSV has no hidden column; the header
  says what it is, and editing it is as if the row had been exported with those values).
- **JSON** (``schema_version`` 4): each task, indicator and grade row has a ``base`` object of the
  same shape, for tools that edit the JSON and hand it back.

At import (:mod:`dxplan.sheets.check`), each editable cell is merged three ways by :func:`merge`:
the sheet's value ``S``, the exported value ``B`` (the base) and what the plan holds now ``P``:

- ``S`` equals ``B`` (the clerk left the cell alone): the plan's ``P`` stands, even when the plan
  changed since the export — an untouched stale cell never overwrites a newer value;
- ``S`` differs from ``B`` and ``P`` equals ``B`` (only the sheet changed), or ``S`` equals ``P``:
  the sheet's value is taken;
- ``S``, ``B`` and ``P`` all differ (changed in both since the export): a **conflict**, reported by
  sheet!cell with both values; nothing is written (exit 1) unless the import says which side wins:
  ``--theirs`` takes the sheet's value, ``--ours`` keeps the plan's.

Values are compared by :func:`dxplan.sheets.cells.same_cell` (numbers as numbers, text stripped).
A sheet without a base (exported by dxplan before the base existed) is imported as before —
every cell different from the plan is an edit — with a warning that it cannot be checked for
conflicts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from .cells import same_cell
from .grades import GradeRow
from .indicators import IndicatorRow
from .read import Table
from .rows import EDITABLE, SheetRow, cell_text

#: The header that marks the very hidden xlsx worksheet holding the base (its A1; the sheet's name,
#: :data:`dxplan.sheets.read.BASE_SHEET`, is declared with the reader's bounds) and the CSV's base column.
BASE_HEADER = "dxplan:base"

#: Which side wins a conflict: ``theirs`` the sheet's value, ``ours`` the plan's; None reports it.
Prefer = Literal["theirs", "ours"] | None

_INDICATOR_EDITABLE = ("actual", "actual_kind", "actual_source", "grade")


def editable_fields(row: SheetRow | IndicatorRow | GradeRow) -> tuple[str, ...]:
    """The fields of ``row``'s editable cells, by the kind of row (see the module docstring)."""
    if isinstance(row, SheetRow):
        return EDITABLE
    if isinstance(row, GradeRow):
        return ("grade",)
    return tuple(f for f in _INDICATOR_EDITABLE if f in row.values)


def base_of(row: SheetRow | IndicatorRow | GradeRow) -> dict[str, Any]:
    """The base of one row: editable field → the value its cell is exported with."""
    return {f: row.values.get(f) for f in editable_fields(row)}


def base_rows(rows: list[Any]) -> list[list[Any]]:
    """The rows of the xlsx base sheet: ``[key, field, value]`` per editable cell of ``rows``."""
    return [[r.key, f, v] for r in rows for f, v in base_of(r).items()]


def base_json(row: SheetRow | IndicatorRow | GradeRow) -> str:
    """The CSV base cell of ``row``: its base as a JSON object (Japanese kept as written)."""
    return json.dumps(base_of(row), ensure_ascii=False)


@dataclass
class Base:
    """The bases a sheet carries: row key → field → exported value; ``bad`` counts base cells that
    could not be read (an edited CSV base cell), whose rows import without a base."""

    values: dict[str, dict[str, Any]]
    bad: int = 0

    def of(self, key: str) -> dict[str, Any] | None:
        """The base of the row ``key``, None when the sheet carries none for it."""
        return self.values.get(key)


def is_base_table(table: Table) -> bool:
    """Whether ``table`` is the xlsx base sheet (its A1 is :data:`BASE_HEADER`)."""
    return bool(table.header) and cell_text(table.header[0]) == BASE_HEADER


def read_base_table(table: Table, base: Base) -> None:
    """Add the xlsx base sheet ``table``'s ``[key, field, value]`` rows to ``base``."""
    for _, cells in table.rows:
        key, name = (cell_text(c) for c in (cells + [None, None])[:2])
        if key is None or name is None:
            base.bad += 1
            continue
        base.values.setdefault(key.strip(), {})[name.strip()] = cells[2] if len(cells) > 2 else None


def base_column(header: list[Any]) -> int | None:
    """The 0-based position of a CSV table's base column, None when it has none."""
    return next((i for i, h in enumerate(header) if cell_text(h) == BASE_HEADER), None)


def read_base_cell(key: str, cell: Any, base: Base) -> None:
    """Add a CSV row's base cell (JSON object) to ``base`` under ``key``; one that does not read counts in ``bad``."""
    text = cell_text(cell)
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        base.bad += 1
        return
    base.values[key] = data


def merge(sheet: Any, base: Any, plan: Any, prefer: Prefer) -> tuple[Any, bool]:
    """The value an editable cell asks for, merged three ways (see the module docstring):
    ``(value, conflict)``. ``sheet``: the cell as read; ``base``: as exported; ``plan``: as the plan
    shows it now. ``conflict`` is True only when all three differ and ``prefer`` is None (then
    ``value`` is the plan's, so the cell asks for no edit)."""
    if same_cell(sheet, base):
        return plan, False
    if same_cell(plan, base) or same_cell(sheet, plan):
        return sheet, False
    if prefer == "theirs":
        return sheet, False
    return plan, prefer is None
