"""Read a filled-in sheet back: an xlsx workbook (openpyxl) or a CSV file (the csv module), within bounds.

CSV is read as UTF-16 when it starts with a UTF-16 byte-order mark (Excel's 「Unicode テキスト」,
tab-separated), else as UTF-8 (with or without BOM) and, when that fails, as Shift_JIS (cp932), the
encoding Excel on Japanese Windows saves "CSV (コンマ区切り)" in; a tab-separated file is recognised
by its header line. A CSV cell that :mod:`dxplan.sheets.flat` neutralised against formula
injection (``'=1+1``) is read back without the apostrophe it added (:func:`unguard_cell`).
Every table comes back as its header values and its data rows with their 1-based row numbers,
so messages can point at a cell.

Bounds (a hostile or damaged file costs little and never ends in a traceback): the file is at
most :data:`MAX_FILE_BYTES`; an xlsx file must be a zip archive whose entries declare at most
:data:`MAX_UNPACKED_BYTES` together, none compressed more than :data:`MAX_RATIO` times (entries
over 1 MiB), and at most :data:`MAX_SHARED_STRINGS` shared strings — all checked with
:mod:`zipfile` before openpyxl opens the file (zipfile never inflates an entry past its declared
size); a workbook holds at most :data:`MAX_SHEETS` worksheets, a sheet at most :data:`MAX_ROWS` rows (the sheet of exported values :data:`BASE_CELLS_PER_ROW` times that) and :data:`MAX_COLUMNS` columns (read row by
row in openpyxl's read-only mode, so a lone cell at XFD1048576 allocates no grid); a cell holds
at most :data:`MAX_CELL_CHARS` characters (csv's own field limit). An exceeded bound raises
:class:`SheetTooLarge`, a file that is not what its name says :class:`SheetDamaged` (both exit 1).

Cells that would change the plan silently are not errors of reading but are kept on the table
(:attr:`Table.problems`, each by row and column) for :mod:`dxplan.sheets.check` to report: a formula
saved without its computed value (openpyxl's ``data_only`` reads it as empty; the formula is read
too, from the same file without ``data_only``) and a merged cell range.
"""

from __future__ import annotations

import contextlib
import csv
import io
import struct
import zipfile
import zlib
from functools import partial
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from dxplan.i18n import N_, Text, UserError
from dxplan.problems import EXIT_PROBLEMS
from .cells import typed_value

#: Largest sheet file read, in bytes (xlsx or CSV).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest total of an xlsx file's entries, uncompressed, in bytes (their declared sizes).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: Largest compression ratio (uncompressed / compressed) of an xlsx entry over 1 MiB; dxplan's
#: own exports compress about 8 times.
MAX_RATIO = 100
#: Most shared strings an xlsx file may hold.
MAX_SHARED_STRINGS = 200_000
#: Most worksheets an xlsx file may hold (an export has one per fiscal year and kind of row).
MAX_SHEETS = 200
#: Most rows (header included) and columns a sheet may hold.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
#: The very hidden sheet of exported values an xlsx export carries (:mod:`dxplan.sheets.base`): one row per editable
#: cell, so up to :data:`BASE_CELLS_PER_ROW` rows per row of the visible sheets.
BASE_SHEET = "dxplan_base"
#: The most editable cells of one exported row (an indicator row: actual, kind, source, grade).
BASE_CELLS_PER_ROW = 4
#: Longest cell, in characters: the csv module's default field limit (Excel's own limit,
#: 32,767, is checked against the plan by :mod:`dxplan.sheets.check`).
MAX_CELL_CHARS = 131_072

#: The first characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The mark :mod:`dxplan.sheets.flat` puts before such a cell (and before a cell starting with it).
GUARD = "'"

_MIB = 1024 * 1024
#: What zipfile and zlib raise for a damaged or unsupported archive (a version or compression it does
#: not know: NotImplementedError; an encrypted entry: RuntimeError).
_ZIP_FAULTS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, zlib.error, struct.error, OSError, EOFError, ValueError)
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class SheetReadError(UserError):
    """The file is not a sheet dxplan can read (missing, not xlsx/csv, not decodable): a usage error (exit 2); the message says why."""


class SheetDamaged(SheetReadError):
    """The file has a sheet's name but not a sheet's content (not a zip archive, malformed XML, a
    damaged CSV): exit 1, nothing read; the message names the file and the reason."""

    exit_code = EXIT_PROBLEMS


class SheetTooLarge(SheetReadError):
    """The file exceeds one of the module's bounds (size, ratio, shared strings, rows, columns, cell
    length): exit 1, nothing read; the message names the file (and sheet!cell where there is one)."""

    exit_code = EXIT_PROBLEMS


@dataclass
class Table:
    """One worksheet (or the CSV file): its name, header cells (row 1) and data rows ``(row number, cells)``.

    ``encoding``: ``cp932`` for a CSV file saved as Shift_JIS (characters outside cp932 then read
    as ``?``, as Excel writes them), ``utf-16`` for Excel's 「Unicode テキスト」, else ``utf-8``.
    ``problems``: cells whose value cannot be trusted, as ``(row, 0-based column, message)``.
    """

    name: str
    header: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str = "utf-8"
    problems: list[tuple[int, int, Text]] = field(default_factory=list)


def _blank(values: list[Any]) -> bool:
    if values.count(None) == len(values):
        return True
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _cell_name(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row}"


def _file_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SheetReadError(N_("{file}: cannot read ({reason})"), {"file": str(path), "reason": exc.strerror or str(exc)}) from None
    if size > MAX_FILE_BYTES:
        raise SheetTooLarge(N_("{file}: {size} bytes; dxplan reads sheets of at most {limit} bytes"),
                            {"file": str(path), "size": size, "limit": MAX_FILE_BYTES})


def _damaged(path: Path, reason: object) -> SheetDamaged:
    return SheetDamaged(N_("{file}: not an Excel workbook dxplan can read ({reason})"), {"file": str(path), "reason": str(reason) or type(reason).__name__})


def _count_shared_strings(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Count the ``si`` elements of a shared-strings part, stopping past the bound; raises SheetTooLarge or SheetDamaged."""
    n = 0
    try:
        with archive.open(info) as stream:
            for _, elem in ElementTree.iterparse(stream, events=("end",)):
                if elem.tag == f"{_MAIN_NS}si":
                    n += 1
                    if n > MAX_SHARED_STRINGS:
                        raise SheetTooLarge(N_("{file}: more than {limit} shared strings; dxplan reads at most {limit}"),
                                            {"file": str(path), "limit": MAX_SHARED_STRINGS})
                    elem.clear()
    except (ElementTree.ParseError, *_ZIP_FAULTS) as exc:
        raise _damaged(path, exc) from None


def check_archive(path: Path) -> None:
    """Check the xlsx file ``path`` as a zip archive before openpyxl opens it (see the module docstring).

    Raises :class:`SheetDamaged` (not a zip archive, a damaged entry) or :class:`SheetTooLarge`.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > _MIB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise SheetTooLarge(
                        N_("{file}: the entry {entry} unpacks to {size} bytes from {packed} (more than {ratio} times); a sheet does not compress like that"),
                        {"file": str(path), "entry": info.filename, "size": info.file_size, "packed": info.compress_size, "ratio": MAX_RATIO})
            if total > MAX_UNPACKED_BYTES:
                raise SheetTooLarge(N_("{file}: unpacks to {size} bytes; dxplan reads workbooks of at most {limit} bytes unpacked"),
                                    {"file": str(path), "size": total, "limit": MAX_UNPACKED_BYTES})
            for info in infos:
                if info.filename.lower().endswith("sharedstrings.xml"):
                    _count_shared_strings(path, archive, info)
    except _ZIP_FAULTS as exc:
        raise _damaged(path, exc) from None


@dataclass
class _Scan:
    """What one pass over a worksheet's XML finds that openpyxl's read-only mode does not tell:
    its merged ranges (``ref`` of every ``mergeCell``) and whether any cell holds a formula."""

    merged: list[str] = field(default_factory=list)
    formulas: bool = False


def _scan(path: Path, archive: zipfile.ZipFile, part: str, sheet: str) -> _Scan:
    """One pass over the worksheet part ``part`` (before openpyxl reads its cells): merged ranges and formulas (:class:`_Scan`).

    Raises :class:`SheetTooLarge` for a cell holding a value past row :func:`row_bound` or column
    :data:`MAX_COLUMNS`, so the cells read afterwards never reach past them; :class:`SheetDamaged` for malformed XML.
    """
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    found = _Scan()
    limit = row_bound(sheet)
    cell, formula, merge, row = (f"{_MAIN_NS}{tag}" for tag in ("c", "f", "mergeCell", "row"))
    try:
        with archive.open(part.lstrip("/")) as stream:
            for _, elem in ElementTree.iterparse(stream, events=("end",)):
                tag = elem.tag
                if tag == cell and len(elem) and elem.get("r"):
                    letters, number = coordinate_from_string(elem.get("r") or "")
                    if number > limit:  # as the values pass would say on reaching that row
                        raise SheetTooLarge(N_("{file}: sheet {sheet} holds more than {limit} rows; dxplan reads at most {limit}"),
                                            {"file": str(path), "sheet": sheet, "limit": limit})
                    if column_index_from_string(letters) > MAX_COLUMNS:
                        raise SheetTooLarge(N_("{file}: {sheet}!{cell}: a value past column {limit}; dxplan reads at most {limit} columns"),
                                            {"file": str(path), "sheet": sheet, "cell": elem.get("r"), "limit": MAX_COLUMNS})
                elif tag == formula:
                    found.formulas = True
                elif tag == merge:
                    found.merged.append(elem.get("ref") or "")
                elif tag == row:
                    elem.clear()
    except (ElementTree.ParseError, KeyError, *_ZIP_FAULTS) as exc:
        raise _damaged(path, exc) from None
    return found


def row_bound(title: str) -> int:
    """The most rows (header included) dxplan reads of the worksheet ``title``: :data:`MAX_ROWS`, and for the
    sheet of exported values (:data:`BASE_SHEET`) :data:`BASE_CELLS_PER_ROW` times that, so that every sheet
    an export of :data:`MAX_ROWS` rows writes can be read back."""
    return MAX_ROWS * BASE_CELLS_PER_ROW if title == BASE_SHEET else MAX_ROWS


def _cells(ws: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of the read-only worksheet ``ws`` from row 1, at most :func:`row_bound` + 1 of them, each as
    far as its last cell and at most :data:`MAX_COLUMNS` cells (:func:`_scan` has refused a sheet with a
    value past that column). Gaps between rows are empty tuples. The declared dimension is ignored (a
    tampered one would hide rows), and no row is padded to a width: a row of three cells is three cells.
    """
    ws.reset_dimensions()
    limit = row_bound(ws.title)
    for n, row in enumerate(ws.iter_rows(min_row=1), start=1):
        yield tuple(row[:MAX_COLUMNS])
        if n > limit:
            return


def _rows(path: Path, ws: Any) -> Iterator[list[Any]]:
    """The rows of the read-only worksheet ``ws`` from row 1 as lists of values (:func:`_cells`), at most :func:`row_bound` of them;
    a number in a percent-formatted cell as the percent it shows (:func:`dxplan.sheets.cells.typed_value`: 0.8 → 80).

    Raises :class:`SheetTooLarge` at the first row past the bound.
    """
    from openpyxl.cell.read_only import EMPTY_CELL

    limit = row_bound(ws.title)
    for n, row in enumerate(_cells(ws), start=1):
        if n > limit:
            raise SheetTooLarge(N_("{file}: sheet {sheet} holds more than {limit} rows; dxplan reads at most {limit}"),
                                {"file": str(path), "sheet": ws.title, "limit": limit})
        values = [None if c is EMPTY_CELL else typed_value(c.value, c.number_format) for c in row]
        for c, v in enumerate(values):
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                raise SheetTooLarge(N_("{file}: {sheet}!{cell}: {n} characters; dxplan reads cells of at most {limit}"),
                                    {"file": str(path), "sheet": ws.title, "cell": _cell_name(n, c), "n": len(v), "limit": MAX_CELL_CHARS})
        yield values


def _formulas(ws: Any) -> Iterator[list[bool]]:
    """Per row of the read-only worksheet ``ws`` (opened without ``data_only``), which cells hold a formula."""
    for row in _cells(ws):
        yield [getattr(c, "data_type", None) == "f" for c in row]


def _sheet(path: Path, archive: zipfile.ZipFile, ws: Any, formulas: Callable[[], Any]) -> Table | None:
    """The table of worksheet ``ws`` (None when it is empty); ``formulas()`` gives the same worksheet opened without
    ``data_only``, asked for only when the sheet holds a formula."""
    table: Table | None = None
    part = getattr(ws, "_worksheet_path", None)
    scan = _scan(path, archive, part, ws.title) if part is not None else _Scan()
    found = _formulas(formulas()) if scan.formulas or part is None else iter(())
    for number, values in enumerate(_rows(path, ws), start=1):
        is_formula = next(found, [])
        problems = [(number, c, Text("a formula saved without its value (the file was not saved by Excel after calculating); type the value instead"))
                    for c, f in enumerate(is_formula) if f and c < len(values) and values[c] is None]
        if table is None:
            table = Table(ws.title, values)
        elif not _blank(values):
            table.rows.append((number, values))
        if table is not None:
            table.problems += problems
    if scan.merged:
        from openpyxl.utils.cell import range_boundaries

        for ref in scan.merged:
            try:
                col, row, _, _ = range_boundaries(ref)
            except (ValueError, TypeError):
                col, row = 1, 1
            if table is None:
                table = Table(ws.title, [])
            table.problems.append((row or 1, (col or 1) - 1, Text("merged cells ({range}): unmerge them; every cell of the sheet holds its own value", range=ref)))
    return table


def read_xlsx(path: Path) -> list[Table]:
    """Every non-empty worksheet of an xlsx file, cell values as stored (formulas as their cached values), a number
    in a percent-formatted cell as the percent it shows (:func:`dxplan.sheets.cells.typed_value`: 0.8 → 80).

    Each worksheet's XML is first scanned once (:func:`_scan`: the column bound, merged cells, formulas);
    openpyxl then reads its values, and reads it again for its formulas only when it holds one.
    Raises :class:`SheetDamaged` or :class:`SheetTooLarge` (see the module docstring).
    """
    from openpyxl import load_workbook

    _file_size(path)
    check_archive(path)
    try:
        with contextlib.ExitStack() as stack:
            wb = load_workbook(path, read_only=True, data_only=True)
            stack.callback(wb.close)
            if len(wb.worksheets) > MAX_SHEETS:
                raise SheetTooLarge(N_("{file}: {n} worksheets; dxplan reads workbooks of at most {limit}"),
                                    {"file": str(path), "n": len(wb.worksheets), "limit": MAX_SHEETS})
            opened: list[Any] = []

            def with_formulas(i: int) -> Any:
                if not opened:
                    wf = load_workbook(path, read_only=True, data_only=False)
                    stack.callback(wf.close)
                    if len(wf.worksheets) != len(wb.worksheets):
                        raise SheetDamaged(N_("{file}: not an Excel workbook dxplan can read ({reason})"), {"file": str(path), "reason": "worksheets"})
                    opened.append(wf)
                return opened[0].worksheets[i]

            archive = stack.enter_context(zipfile.ZipFile(path))
            return [t for i, ws in enumerate(wb.worksheets) if (t := _sheet(path, archive, ws, partial(with_formulas, i))) is not None]
    except (SheetTooLarge, SheetDamaged):
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl on a hostile file raises whatever its parsers meet (KeyError, TypeError, ParseError …)
        raise _damaged(path, exc) from None


def _decode(raw: bytes) -> tuple[str, str]:
    """CSV bytes as ``(text, encoding)``: UTF-16 with its BOM, else UTF-8 (BOM optional), else cp932
    (Shift_JIS as Excel writes it). Raises :class:`SheetReadError` when none fits."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        with contextlib.suppress(UnicodeDecodeError):  # else not UTF-16 after all: the others are tried
            return raw.decode("utf-16"), "utf-16"
    for enc in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(enc), "cp932" if enc == "cp932" else "utf-8"
        except UnicodeDecodeError:
            continue
    raise SheetReadError(N_("the CSV file is neither UTF-8 nor Shift_JIS (cp932)"))


def unguard_cell(value: str) -> str:
    """A CSV cell without the apostrophe :func:`dxplan.sheets.flat.guard_cell` put before it: ``'=1+1`` → ``=1+1``,
    ``''x`` → ``'x``; any other cell as it is (``'x`` stays ``'x``: dxplan never writes it)."""
    if value.startswith(GUARD) and value[1:2] and (value[1] in FORMULA_STARTS or value[1] == GUARD):
        return value[1:]
    return value


def read_csv(path: Path) -> list[Table]:
    """The CSV file as one table named after the file; empty lines are skipped.

    Raises :class:`SheetTooLarge` (file size, rows, a field over :data:`MAX_CELL_CHARS`),
    :class:`SheetDamaged` (malformed CSV) or :class:`SheetReadError` (not decodable).
    """
    _file_size(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SheetReadError(N_("{file}: cannot read ({reason})"), {"file": str(path), "reason": exc.strerror or str(exc)}) from None
    text, encoding = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(records) >= MAX_ROWS:
                raise SheetTooLarge(N_("{file}: more than {limit} lines; dxplan reads at most {limit}"), {"file": str(path), "limit": MAX_ROWS})
            if len(record) > MAX_COLUMNS:
                raise SheetTooLarge(N_("{file}: line {line} has {n} fields; dxplan reads at most {limit}"),
                                    {"file": str(path), "line": reader.line_num, "n": len(record), "limit": MAX_COLUMNS})
            if any(len(v) > MAX_CELL_CHARS for v in record):  # csv's own limit is process-wide: another library may have raised it
                raise csv.Error("field larger than field limit")
            records.append([unguard_cell(v) for v in record])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SheetTooLarge(N_("{file}: line {line}: a field over {limit} characters; dxplan reads cells of at most {limit}"),
                                {"file": str(path), "line": reader.line_num, "limit": MAX_CELL_CHARS}) from None
        raise SheetDamaged(N_("{file}: line {line}: not CSV dxplan can read ({reason})"),
                           {"file": str(path), "line": reader.line_num, "reason": str(exc)}) from None
    if not records:
        return []
    table = Table(path.name, list(records[0]), encoding=encoding)
    table.rows = [(i, list(r)) for i, r in enumerate(records[1:], start=2) if not _blank(list(r))]
    return [table]


def read_tables(path: Path) -> list[Table]:
    """The tables of ``path`` by its suffix: ``.xlsx``/``.xlsm`` through openpyxl, ``.csv``/``.txt``/``.tsv`` as CSV.

    Raises :class:`SheetReadError` for a missing file or another suffix (exit 2),
    :class:`SheetDamaged` or :class:`SheetTooLarge` for a file past the bounds or not what its name says (exit 1).
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
