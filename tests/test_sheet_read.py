"""Reading a workbook back (:mod:`dxplan.sheets.read`): openpyxl's parser in one pass per sheet, inline strings,
percent cells, and sheets streamed row by row with the sheet of exported values first.

Real xlsx files written by openpyxl (and by ``dxplan export``); where a test needs cells openpyxl does not
write (inline strings with runs or phonetic guides, as other programs save them), the worksheet part of an
openpyxl file is replaced in its zip archive.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import PLANS
from dxplan.files.load import load_plan
from dxplan.sheets import read
from dxplan.sheets.check import check_sheet
from test_sheet_merge import export, run

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

#: Inline strings of every shape, row 1 (A1 …): a plain run (the shape openpyxl writes), spaces kept,
#: rich text runs, a phonetic guide (its reading is not the cell's text), an empty text, and a cell whose
#: plain run comes with a phonetic guide; row 2: a number in a percent-formatted cell and a plain number.
CELLS = (
    '<c r="A1" t="inlineStr"><is><t>計画どおり</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t xml:space="preserve">  前後に空白  </t></is></c>'
    '<c r="C1" t="inlineStr"><is><r><t>太字</t></r><r><rPr><b/></rPr><t>と普通</t></r></is></c>'
    '<c r="D1" t="inlineStr"><is><r><t>漢字</t></r><rPh sb="0" eb="2"><t>かんじ</t></rPh></is></c>'
    '<c r="E1" t="inlineStr"><is><t></t></is></c>'
    '<c r="F1" t="inlineStr"><is><t>読み</t><rPh sb="0" eb="2"><t>よみ</t></rPh></is></c>'
)


def workbook_with(tmp_path: Path, rows_xml: str, after: str = "") -> Path:
    """An openpyxl workbook whose first worksheet's sheetData is ``rows_xml``, followed by ``after`` (its styles:
    openpyxl's, with a percent format as style 1)."""
    src = tmp_path / "src.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "x"
    ws["A2"] = 0.5
    ws["A2"].number_format = "0%"
    wb.save(src)
    dst = tmp_path / "cells.xlsx"
    xml = f'<worksheet xmlns="{NS}"><sheetData>{rows_xml}</sheetData>{after}</worksheet>'.encode()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, xml if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info.filename))
    return dst


def test_inline_strings_of_every_shape_read_as_openpyxl_reads_them(tmp_path):
    sheet = workbook_with(tmp_path, f'<row r="1">{CELLS}</row><row r="2"><c r="A2" s="1"><v>0.8</v></c><c r="B2"><v>0.8</v></c></row>')
    (table,) = read.read_xlsx(sheet)
    expected = ["計画どおり", "  前後に空白  ", "太字と普通", "漢字", "", "読み"]
    assert table.header == expected
    assert table.rows == [(2, [80, 0.8])]  # 0.8 in a percent cell is the 80 % it shows
    reference = load_workbook(sheet)  # openpyxl's own full reading of the same cells
    assert [c.value for c in reference.active[1]] == expected


def test_a_streamed_sheet_gives_its_rows_as_read_and_its_problems_after_them(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>r{n}</t></is></c><c r="B{n}"><f>1+1</f></c></row>' for n in range(1, 5))
    sheet = workbook_with(tmp_path, rows, '<mergeCells count="1"><mergeCell ref="A3:A4"/></mergeCells>')
    (whole,) = read.read_xlsx(sheet)
    assert whole.header == ["r1", None] and whole.rows == [(2, ["r2", None]), (3, ["r3", None]), (4, ["r4", None])]  # B: no saved value
    stream = read.stream_tables(sheet)
    streamed = next(stream)
    assert streamed.header == ["r1", None] and not isinstance(streamed.rows, list)
    assert streamed.problems == []  # they come as the rows are gone through
    assert list(streamed.rows) == whole.rows
    # formulas without values B1:B4 as their rows were read, then the merged range A3:A4
    assert [(r, c) for r, c, _ in streamed.problems] == [(r, c) for r, c, _ in whole.problems] == [(1, 1), (2, 1), (3, 1), (4, 1), (3, 0)]
    assert "merged cells (A3:A4)" in streamed.problems[-1][2]("en")
    assert next(stream, None) is None


def test_an_export_streams_its_base_sheet_first_and_imports_as_read_whole(tmp_path):
    kama = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", kama)
    sheet = export(kama, "総務課", tmp_path / "somu.xlsx")
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    assert ws["K2"].value == "進捗中"
    ws["K2"] = "完了"
    wb.save(sheet)
    names = [t.name for t in read.stream_tables(sheet)]
    assert names == ["dxplan_base", "令和6年度", "令和7年度", "令和8年度"]
    assert [t.name for t in read.read_xlsx(sheet)] == ["令和6年度", "令和7年度", "令和8年度", "dxplan_base"]
    loaded = load_plan(kama)
    whole, streamed = check_sheet(loaded, read.read_xlsx(sheet)), check_sheet(loaded, read.each_table(sheet))
    assert [(e.row.key, e.field, e.before, e.after) for e in streamed.edits] == [("kama/40#3|2024|総務課", "status", "進捗中", "完了")]
    assert [(e.row.key, e.field, e.after) for e in whole.edits] == [(e.row.key, e.field, e.after) for e in streamed.edits]
    assert streamed.problems == whole.problems == [] and streamed.warnings == whole.warnings == []
    assert streamed.rows_read == whole.rows_read == 9  # 総務課: nine task rows over three years
    code, out, err = run("import", sheet, kama, "--lang", "en")
    assert code == 0 and "1 field(s) changed in 1 file(s)" in out, err


def test_a_bound_past_the_rows_a_caller_read_still_refuses_the_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_ROWS", 3)
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>r{n}</t></is></c></row>' for n in range(1, 6))
    sheet = workbook_with(tmp_path, rows)
    stream = read.stream_tables(sheet)
    assert next(stream).header == ["r1"]  # its rows left unread by the caller
    with pytest.raises(read.SheetTooLarge) as caught:
        next(stream)
    assert caught.value.message("en") == f"{sheet}: sheet Sheet holds more than 3 rows; dxplan reads at most 3"


def test_base_pieces_carry_any_text_through_an_xlsx_file_exactly(tmp_path, monkeypatch):
    from openpyxl.cell import WriteOnlyCell

    from dxplan.sheets import base
    from dxplan.sheets.rows import SheetRow

    monkeypatch.setattr(base, "PIECE_CHARS", 50)
    texts = ["計画どおり実施", "=1+1 で始まる", "DEL\x7f C1\x85 非文字\ufffe\uffff 孤立\ud800 ESC\x1b", "長" * 130, " 前後の空白 ", "改行\r\nあり"]
    rows = [SheetRow(f"p/{n}#1|2024|課", str(n), tmp_path / f"{n}.yaml", 0, 2024, False,
                     {"result": text, "status": "完了" if n % 2 else None, "progress": [50, 12.5, None][n % 3]})
            for n, text in enumerate(texts)]
    pieces = list(base.base_pieces(rows))
    assert len(pieces) > 10 and all(len(p) <= 50 for p in pieces[:-1])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("dxplan_base")
    ws.append(["dxplan:base", "json"])
    for n, piece in enumerate(pieces, start=1):
        cell = WriteOnlyCell(ws, piece)
        cell.data_type = "s"  # as xlsx.py writes a piece that starts with "="
        ws.append([n, cell])
    sheet = tmp_path / "base.xlsx"
    wb.save(sheet)
    (table,) = read.read_xlsx(sheet)
    found = base.Base({})
    base.read_base_table(table, found)
    assert found.bad == 0
    assert found.of("p/2#1|2024|課") == {"result": "DEL\x7f C1\x85 非文字\ufffe\uffff 孤立\ud800 ESC␛", "status": None, "progress": None}
    assert [found.of(r.key)["result"] for r in rows] == [*texts[:2], texts[2].replace("\x1b", "␛"), *texts[3:]]
    assert [found.of(r.key)["progress"] for r in rows] == [50, 12.5, None, 50, 12.5, None]
    assert list(base.base_pieces([])) == ["{}"]
