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
size); a workbook holds at most :data:`MAX_SHEETS` worksheets, a sheet at most :data:`MAX_ROWS` rows
(the sheet of exported values :data:`BASE_CELLS_PER_ROW` times that) and :data:`MAX_COLUMNS` columns
(read row by row by openpyxl's worksheet parser, each row as far as its last cell, so a lone cell at
XFD1048576 allocates no grid); a cell holds at most :data:`MAX_CELL_CHARS` characters (csv's own
field limit). An exceeded bound raises :class:`SheetTooLarge`, a file that is not what its name
says :class:`SheetDamaged` (both exit 1).

Cells that would change the plan silently are not errors of reading but are kept on the table
(:attr:`Table.problems`, each by row and column) for :mod:`dxplan.sheets.check` to report: a formula
saved without its computed value (openpyxl's ``data_only`` reads it as empty; the same pass notes
the formula) and a merged cell range.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import struct
import zipfile
import zlib
from collections.abc import Generator, Iterator
from functools import cache
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
#: The very hidden sheet of exported values an xlsx export carries (:mod:`dxplan.sheets.base`), and its A1. Exports
#: before the JSON base wrote one row per editable cell there, so up to :data:`BASE_CELLS_PER_ROW` rows per row of the
#: visible sheets.
BASE_SHEET = "dxplan_base"
BASE_HEADER = "dxplan:base"
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
    ``rows`` is a list, except in a table of :func:`stream_tables`: an iterator over the sheet as it is
    read, to be gone through once; its ``problems`` are all there once it has been.
    """

    name: str
    header: list[Any]
    rows: list[tuple[int, list[Any]]] | Iterator[tuple[int, list[Any]]] = field(default_factory=list)
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


def row_bound(title: str) -> int:
    """The most rows (header included) dxplan reads of the worksheet ``title``: :data:`MAX_ROWS`, and for the
    sheet of exported values (:data:`BASE_SHEET`) :data:`BASE_CELLS_PER_ROW` times that, so that a base sheet
    of one row per editable cell (as exports before the JSON base wrote them) of :data:`MAX_ROWS` rows can be read back."""
    return MAX_ROWS * BASE_CELLS_PER_ROW if title == BASE_SHEET else MAX_ROWS


@cache
def _parser_class() -> type:
    """openpyxl's worksheet parser (the one its read-only worksheets stream rows with), with two additions:

    - each cell dict says whether the cell holds a formula without a saved value (``"formula": True``):
      openpyxl's ``data_only`` mode reads such a cell as empty and says nothing else about it;
    - an inline string of one plain, non-empty text run (``<c t="inlineStr"><is><t>text</t></is></c>``: every
      text cell openpyxl writes, so every text cell of an export) is handed to openpyxl's parser as the string
      value it is (``<c t="str"><v>text</v></c>``), which it reads as the same text (its generic reading of
      ``<is>``, for rich text and phonetic runs, costs more than the rest of the cell). Any other inline string
      (runs, phonetic guides, an empty text) is read by openpyxl's own way.
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, VALUE_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag = f"{{{SHEET_MAIN_NS}}}t"

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") == "inlineStr" and len(element) == 1:
                inline = element[0]
                if inline.tag == INLINE_STRING and len(inline) == 1 and inline[0].tag == text_tag and inline[0].text:
                    element.set("t", "str")
                    inline.tag, inline.text = VALUE_TAG, inline[0].text
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["formula"] = True
            return cell

    return _Parser


def _rows(path: Path, ws: Any, merged: list[str]) -> Generator[tuple[int, list[Any], list[int]], None, None]:
    """The rows of the read-only worksheet ``ws`` as ``(row number, values, columns of formulas without a value)``,
    in one pass of openpyxl's parser over the worksheet's XML (no grid: a row of three cells is three values;
    the declared dimension is ignored, so a tampered one hides no row). Values as stored (formulas as their
    saved values); a number in a percent-formatted cell as the percent it shows
    (:func:`dxplan.sheets.cells.typed_value`: 0.8 → 80); 0-based formula columns. Once every row is read, the
    sheet's merged ranges (``K2:K3``) are added to ``merged``.

    Raises :class:`SheetTooLarge` at the first row past :func:`row_bound`, a value past column
    :data:`MAX_COLUMNS` or a cell over :data:`MAX_CELL_CHARS` characters, before anything of that row is kept;
    :class:`SheetDamaged` for whatever openpyxl's parser meets in a damaged or hostile file.
    """
    try:
        yield from _parsed_rows(path, ws, merged)
    except (SheetTooLarge, SheetDamaged):
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl on a hostile file raises whatever its parsers meet (KeyError, TypeError, ParseError …)
        raise _damaged(path, exc) from None


def _parsed_rows(path: Path, ws: Any, merged: list[str]) -> Iterator[tuple[int, list[Any], list[int]]]:
    from openpyxl.cell.read_only import ReadOnlyCell

    limit = row_bound(ws.title)
    wb = ws.parent
    formats: dict[Any, str | None] = {}
    with ws._get_source() as source:
        parser = _parser_class()(source, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for number, cells in parser.parse():
            if number > limit:
                raise SheetTooLarge(N_("{file}: sheet {sheet} holds more than {limit} rows; dxplan reads at most {limit}"),
                                    {"file": str(path), "sheet": ws.title, "limit": limit})
            width = 0
            for c in cells:
                if c["column"] > MAX_COLUMNS:
                    if c["value"] is not None or "formula" in c:
                        raise SheetTooLarge(N_("{file}: {sheet}!{cell}: a value past column {limit}; dxplan reads at most {limit} columns"),
                                            {"file": str(path), "sheet": ws.title, "cell": _cell_name(number, c["column"] - 1), "limit": MAX_COLUMNS})
                elif c["column"] > width:
                    width = c["column"]
            values: list[Any] = [None] * width
            formulas = []
            for c in cells:
                col, value = c["column"] - 1, c["value"]
                if col >= width:
                    continue
                if isinstance(value, str):
                    if len(value) > MAX_CELL_CHARS:
                        raise SheetTooLarge(N_("{file}: {sheet}!{cell}: {n} characters; dxplan reads cells of at most {limit}"),
                                            {"file": str(path), "sheet": ws.title, "cell": _cell_name(number, col), "n": len(value), "limit": MAX_CELL_CHARS})
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    style = c["style_id"]
                    if style not in formats:  # openpyxl's own reading of a style's number format, once per style
                        formats[style] = ReadOnlyCell(ws, number, c["column"], None, "n", style).number_format
                    value = typed_value(value, formats[style])
                elif "formula" in c:
                    formulas.append(col)
                values[col] = value
            yield number, values, formulas
    if parser.merged_cells is not None:
        merged += [m.coord for m in parser.merged_cells.mergeCell]


_FORMULA_WITHOUT_VALUE = N_("a formula saved without its value (the file was not saved by Excel after calculating); type the value instead")


def _table(path: Path, ws: Any) -> Table | None:
    """The table of the read-only worksheet ``ws`` (None when it holds no row and no merged range), its ``rows`` an
    iterator over the sheet (:func:`_rows`) as it is read: row 1 is the header (empty when the sheet has no row 1),
    every later row that is not blank a data row. What :func:`_rows` finds untrustworthy (a formula without its
    value) goes to :attr:`Table.problems` as its row is read, the merged ranges once every row has been."""
    merged: list[str] = []
    rows = _rows(path, ws, merged)
    first = next(rows, None)
    if first is None and not merged:
        return None
    table = Table(ws.title, first[1] if first is not None and first[0] == 1 else [])
    table.rows = _data_rows(table, first, rows, merged)
    return table


def _data_rows(table: Table, first: tuple[int, list[Any], list[int]] | None, rows: Iterator[tuple[int, list[Any], list[int]]],
               merged: list[str]) -> Iterator[tuple[int, list[Any]]]:
    """The data rows of ``table`` from its sheet's ``rows`` (``first`` already read), its problems added as they are met."""
    for number, values, formulas in itertools.chain([first] if first is not None else [], rows):
        table.problems += [(number, c, Text(_FORMULA_WITHOUT_VALUE)) for c in formulas]
        if number > 1 and not _blank(values):
            yield number, values
    if merged:
        from openpyxl.utils.cell import range_boundaries

        for ref in merged:
            try:
                col, row, _, _ = range_boundaries(ref)
            except (ValueError, TypeError):
                col, row = 1, 1
            table.problems.append((row or 1, (col or 1) - 1, Text("merged cells ({range}): unmerge them; every cell of the sheet holds its own value", range=ref)))


@contextlib.contextmanager
def _workbook(path: Path) -> Iterator[Any]:
    """The xlsx file ``path`` opened by openpyxl in read-only mode, after :func:`check_archive`, closed on leaving.

    Raises :class:`SheetDamaged` or :class:`SheetTooLarge` (see the module docstring); a fault of openpyxl's
    while the workbook is open becomes :class:`SheetDamaged` too.
    """
    from openpyxl import load_workbook

    _file_size(path)
    check_archive(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl on a hostile file raises whatever its parsers meet
        raise _damaged(path, exc) from None
    try:
        if len(wb.worksheets) > MAX_SHEETS:
            raise SheetTooLarge(N_("{file}: {n} worksheets; dxplan reads workbooks of at most {limit}"),
                                {"file": str(path), "n": len(wb.worksheets), "limit": MAX_SHEETS})
        yield wb
    finally:
        wb.close()


def read_xlsx(path: Path) -> list[Table]:
    """Every non-empty worksheet of an xlsx file in workbook order, every row read (see :func:`stream_tables`).

    Raises :class:`SheetDamaged` or :class:`SheetTooLarge` (see the module docstring).
    """
    tables = []
    with _workbook(path) as wb:
        for ws in wb.worksheets:
            table = _table(path, ws)
            if table is not None:
                table.rows = list(table.rows)
                tables.append(table)
    return tables


def _is_base(path: Path, ws: Any) -> bool:
    """Whether the worksheet ``ws``'s A1 is :data:`BASE_HEADER` (its first row read, the rest left)."""
    rows = _rows(path, ws, [])
    try:
        first = next(rows, None)
    finally:
        rows.close()
    return first is not None and first[0] == 1 and bool(first[1]) and first[1][0] == BASE_HEADER


def stream_tables(path: Path) -> Iterator[Table]:
    """The non-empty worksheets of an xlsx file as tables whose rows are read as the caller goes through them,
    so a sheet of 50,000 rows is never held whole: first the sheets of exported values (A1 :data:`BASE_HEADER`,
    :mod:`dxplan.sheets.base`), then the others in workbook order. A table's rows left unread when the caller asks
    for the next table are read then (every bound is checked, every sheet read to its end).

    Cell values as stored (formulas as their cached values), a number in a percent-formatted cell as the
    percent it shows (:func:`dxplan.sheets.cells.typed_value`: 0.8 → 80): openpyxl's parser, in read-only
    mode, reads each worksheet once (:func:`_rows`; the first row of each twice, to find the base sheets).
    Raises :class:`SheetDamaged` or :class:`SheetTooLarge` (see the module docstring), also while the rows are read.
    """
    with _workbook(path) as wb:
        base = [_is_base(path, ws) for ws in wb.worksheets]
        order = [ws for ws, b in zip(wb.worksheets, base, strict=True) if b] + [ws for ws, b in zip(wb.worksheets, base, strict=True) if not b]
        for ws in order:
            table = _table(path, ws)
            if table is None:
                continue
            yield table
            for _ in table.rows:  # what the caller left: still read, for its bounds
                pass


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


def each_table(path: Path) -> Iterator[Table]:
    """The tables of ``path`` as :func:`read_tables` gives them, but an xlsx file's as :func:`stream_tables` reads them
    (the sheets of exported values first, each sheet's rows read as the caller goes through them): for
    :func:`dxplan.sheets.check.check_sheet`, so that a large sheet is never held whole. Raises as :func:`read_tables`
    does, when the caller gets to the table or row concerned.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from stream_tables(path)
    else:
        yield from read_tables(path)
