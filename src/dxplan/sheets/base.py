"""The values a sheet was exported with (its **base**), carried in the sheet for the three-way import.

Every exported row carries the value each of its editable cells had at export (task rows:
``result``, ``status``, ``progress``; indicator rows: ``actual``, ``actual_kind``,
``actual_source`` and ``grade``; action grade rows: ``grade``), exactly as the visible cell was
written:

- **xlsx**: a worksheet of its own, ``dxplan_base``, after every other sheet, *very hidden*
  (``sheet_state="veryHidden"``: Excel's 再表示 does not list it) and protected. Row 1 holds
  ``dxplan:base``, ``json``; then the bases of all rows as one JSON object
  (``{"<row key>": {"result": "…", "status": "進捗中", "progress": 50}, …}``, each value as the
  visible cell was written, :func:`dxplan.sheets.cells.excel_value`; characters a cell may not carry as
  ``\\u`` escapes) and cut into pieces of at most :data:`PIECE_CHARS`
  characters, one piece per row: its number (1, 2, …) and the piece (:func:`base_pieces`). A few
  hundred cells carry a 50,000-row sheet's base, where one row per editable cell took 150,000 rows
  that cost the import more than the visible sheets. Sheets exported before (row 1 ``dxplan:base``,
  ``field``, ``value``, then one row per editable cell: the row key, the field and the exported
  value) are read as they are (:func:`read_base_table`).
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
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .cells import excel_value, same_cell
from .grades import GradeRow
from .indicators import IndicatorRow
from .read import BASE_HEADER, Table
from .rows import EDITABLE, SheetRow, cell_text

# BASE_HEADER (imported from the reader, which reads the sheets it heads first) marks the very hidden xlsx
# worksheet holding the base (its A1) and the CSV's base column.
#: The xlsx base sheet's B1 when it carries the bases as JSON pieces (sheets exported before say ``field``).
BASE_FORMAT = "json"
#: The longest piece of the base's JSON text in one cell, in characters: at most twice as many UTF-16 units,
#: within the 32,767 an Excel cell holds.
PIECE_CHARS = 16_000

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


def base_pieces(rows: Iterable[Any]) -> Iterator[str]:
    """The pieces of the xlsx base sheet's JSON text, in order (see the module docstring): the bases of ``rows``
    by row key, each value through :func:`~dxplan.sheets.cells.excel_value` (as its visible cell was written),
    cut every :data:`PIECE_CHARS` characters; made as they are asked for (the whole text is never held). An empty
    list of rows gives one piece, ``{}``."""
    pending = ""
    for part in _base_parts(rows):
        pending += part
        while len(pending) >= PIECE_CHARS:
            yield pending[:PIECE_CHARS]
            pending = pending[PIECE_CHARS:]
    if pending:
        yield pending


#: Characters a JSON string may hold that an xlsx cell may not carry (surrogates, U+FFFE, U+FFFF: not XML characters)
#: or that a program saving the sheet might not keep (DEL and the C1 controls); written as ``\u`` escapes. JSON
#: itself escapes the C0 controls.
_ESCAPED = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _base_parts(rows: Iterable[Any]) -> Iterator[str]:
    """The base sheet's JSON text in parts: ``{``, then ``"key":{…}`` per row (comma-separated), then ``}``."""
    yield "{"
    for n, row in enumerate(rows):
        entry = json.dumps(row.key, ensure_ascii=False) + ":" + json.dumps(
            {f: excel_value(v) for f, v in base_of(row).items()}, ensure_ascii=False, separators=(",", ":"))
        yield ("," if n else "") + _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", entry)
    yield "}"


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
    """Add the bases the xlsx base sheet ``table`` carries to ``base``: its JSON pieces (header ``dxplan:base``, ``json``),
    or, in a sheet exported before those, its ``[key, field, value]`` rows.

    A JSON text that does not read back (pieces missing, out of order or edited) adds nothing and counts one in
    ``base.bad``, so every row imports without a base (with the warning that says so); so does a row whose base is
    not an object of plain values.
    """
    if len(table.header) > 1 and cell_text(table.header[1]) == BASE_FORMAT:
        _read_pieces(table, base)
        return
    for _, cells in table.rows:
        key, name = (cell_text(c) for c in (cells + [None, None])[:2])
        if key is None or name is None:
            base.bad += 1
            continue
        base.values.setdefault(key.strip(), {})[name.strip()] = cells[2] if len(cells) > 2 else None


def _read_pieces(table: Table, base: Base) -> None:
    """The JSON pieces of ``table`` (rows ``[n, piece]``, n = 1, 2, … in row order) joined and read into ``base``."""
    pieces = []
    for n, (_, cells) in enumerate(table.rows, start=1):
        number, piece = (cells + [None, None])[:2]
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if number != n or isinstance(number, bool) or not isinstance(piece, str):
            base.bad += 1
            return
        pieces.append(piece)
    try:
        data = json.loads("".join(pieces))
    except ValueError:
        data = None
    if not isinstance(data, dict):
        base.bad += 1
        return
    for key, fields in data.items():
        if isinstance(fields, dict) and all(isinstance(v, (str, int, float, bool)) or v is None for v in fields.values()):
            base.values[key] = fields
        else:
            base.bad += 1


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
