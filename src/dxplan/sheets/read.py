"""Read a filled-in sheet back: an xlsx workbook (openpyxl) or a CSV file (the csv module).

CSV is read as UTF-8 (with or without BOM) and, when that fails, as Shift_JIS (cp932), the
encoding Excel on Japanese Windows saves "CSV (コンマ区切り)" in; a tab-separated file
("Unicode テキスト") is recognised by its header line. Every table comes back as its header
values and its data rows with their 1-based row numbers, so messages can point at a cell.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxplan.i18n import N_, UserError
from .cells import typed_value


class SheetReadError(UserError):
    """The file is not a sheet dxplan can read (missing, not xlsx/csv, not decodable): a usage error (exit 2); the message says why."""


@dataclass
class Table:
    """One worksheet (or the CSV file): its name, header cells (row 1) and data rows ``(row number, cells)``.

    ``encoding``: ``cp932`` for a CSV file saved as Shift_JIS (characters outside cp932 then read
    as ``?``, as Excel writes them), else ``utf-8``.
    """

    name: str
    header: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str = "utf-8"


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_xlsx(path: Path) -> list[Table]:
    """Every worksheet of an xlsx file, cell values as stored (formulas as their cached values), a number
    in a percent-formatted cell as the percent it shows (:func:`dxplan.sheets.cells.typed_value`: 0.8 → 80)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SheetReadError(N_("{file}: not an Excel workbook dxplan can read ({reason})"), {"file": str(path), "reason": str(exc)}) from None
    tables = []
    for ws in wb.worksheets:
        values = [[typed_value(c.value, c.number_format) for c in r] for r in ws.iter_rows()]
        if not values:
            continue
        table = Table(ws.title, values[0])
        table.rows = [(i, row) for i, row in enumerate(values[1:], start=2) if not _blank(row)]
        tables.append(table)
    return tables


def _decode(raw: bytes) -> tuple[str, str]:
    """CSV bytes as ``(text, encoding)``: UTF-8 (BOM optional) first, else cp932 (Shift_JIS as Excel
    writes it). Raises :class:`SheetReadError` when neither fits."""
    for enc in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(enc), "cp932" if enc == "cp932" else "utf-8"
        except UnicodeDecodeError:
            continue
    raise SheetReadError(N_("the CSV file is neither UTF-8 nor Shift_JIS (cp932)"))


def read_csv(path: Path) -> list[Table]:
    """The CSV file as one table named after the file; empty lines are skipped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SheetReadError(N_("{file}: cannot read ({reason})"), {"file": str(path), "reason": exc.strerror or str(exc)}) from None
    text, encoding = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not records:
        return []
    table = Table(path.name, list(records[0]), encoding=encoding)
    table.rows = [(i, list(r)) for i, r in enumerate(records[1:], start=2) if not _blank(list(r))]
    return [table]


def read_tables(path: Path) -> list[Table]:
    """The tables of ``path`` by its suffix: ``.xlsx``/``.xlsm`` through openpyxl, ``.csv``/``.txt``/``.tsv`` as CSV.

    Raises :class:`SheetReadError` for a missing file or another suffix.
    """
    path = Path(path)
    if not path.is_file():
        raise SheetReadError(N_("{file}: no such file"), {"file": str(path)})
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path)
    raise SheetReadError(N_("{file}: give an .xlsx or .csv file exported by dxplan export"), {"file": str(path)})
