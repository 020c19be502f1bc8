"""Hostile sheets for ``dxplan import``: builders the fuzz campaign can draw from, one per kind of damage.

Each builder takes a sheet written by ``dxplan export`` (xlsx or CSV, as its name says) and the
path to write, and writes a hostile variant of it; every one must end in exit 1 with a message
naming the file or sheet!cell, no traceback and no file of the plan changed
(tests/test_sheet_hostile.py runs them all). Small on disk and in memory: the bounds of
:mod:`dxplan.sheets.read` are tripped by ratios and positions, not by size.

``BUILDERS`` maps a name to ``(suffix of the export it needs, builder)``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

Builder = Callable[[Path, Path], Path]


def _rezip(src: Path, dst: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, (replace or {}).get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def not_a_zip(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes()[100:2000])
    return dst


def malformed_xml(src: Path, dst: Path) -> Path:
    return _rezip(src, dst, replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c"})


def tampered_header(src: Path, dst: Path) -> Path:
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        offset = z.getinfo("xl/worksheets/sheet1.xml").header_offset
    raw[offset:offset + 4] = b"XXXX"
    dst.write_bytes(bytes(raw))
    return dst


def zip_bomb(src: Path, dst: Path) -> Path:
    return _rezip(src, dst, add={"xl/media/zeros.bin": bytes(2 * 1024 * 1024)})


def far_cell(src: Path, dst: Path) -> Path:
    wb = load_workbook(src)
    wb.worksheets[0]["XFD1048576"] = "x"
    wb.save(dst)
    return dst


def lone_far_cell(src: Path, dst: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "行キー"
    ws["XFD1048576"] = "x"
    wb.save(dst)
    return dst


def formula_without_value(src: Path, dst: Path) -> Path:
    wb = load_workbook(src)
    wb.worksheets[0]["L2"] = "=40+2"
    wb.save(dst)
    return dst


def merged_cells(src: Path, dst: Path) -> Path:
    wb = load_workbook(src)
    wb.worksheets[0].merge_cells("J2:K3")
    wb.save(dst)
    return dst


def duplicated_column(src: Path, dst: Path) -> Path:
    wb = load_workbook(src)
    ws = wb.worksheets[0]
    ws.cell(row=1, column=ws.max_column + 1, value=ws["K1"].value)
    wb.save(dst)
    return dst


def renamed_column(src: Path, dst: Path) -> Path:
    wb = load_workbook(src)
    ws = wb.worksheets[0]
    ws["K1"] = f"{ws['K1'].value}（旧）"
    wb.save(dst)
    return dst


def _csv_rows(src: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(src.read_bytes().decode("utf-8-sig"), newline="")))


def _write_csv(rows: list[list[str]], dst: Path) -> Path:
    with dst.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return dst


def csv_long_field(src: Path, dst: Path) -> Path:
    rows = _csv_rows(src)
    rows[1][9] = "長" * 131_073
    return _write_csv(rows, dst)


def csv_duplicated_column(src: Path, dst: Path) -> Path:
    rows = _csv_rows(src)
    for row in rows:
        row.append(row[10])
    return _write_csv(rows, dst)


def unknown_zip_version(src: Path, dst: Path) -> Path:
    """The central directory's "version needed to extract" of the first entry set to 13.6 (zipfile: NotImplementedError)."""
    raw = bytearray(src.read_bytes())
    at = raw.find(b"PK\x01\x02")
    raw[at + 6:at + 8] = (136).to_bytes(2, "little")
    dst.write_bytes(bytes(raw))
    return dst



BUILDERS: dict[str, tuple[str, Builder]] = {
    "not_a_zip": ("xlsx", not_a_zip),
    "malformed_xml": ("xlsx", malformed_xml),
    "tampered_header": ("xlsx", tampered_header),
    "unknown_zip_version": ("xlsx", unknown_zip_version),
    "zip_bomb": ("xlsx", zip_bomb),
    "far_cell": ("xlsx", far_cell),
    "lone_far_cell": ("xlsx", lone_far_cell),
    "formula_without_value": ("xlsx", formula_without_value),
    "merged_cells": ("xlsx", merged_cells),
    "duplicated_column": ("xlsx", duplicated_column),
    "renamed_column": ("xlsx", renamed_column),
    "csv_long_field": ("csv", csv_long_field),
    "csv_duplicated_column": ("csv", csv_duplicated_column),
}

