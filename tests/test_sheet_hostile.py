"""Hostile and damaged sheets at import: a message naming the file or sheet!cell, exit 1, no file of the plan changed.

Real workbooks made by ``dxplan export`` and openpyxl, real zip archives, real plan folders copied
from plans/; the bounds of :mod:`dxplan.sheets.read` are tripped with small files (a zip entry of
zeros compresses a thousand times; a lone cell far away costs bytes, not memory).
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString
from typer.testing import CliRunner

from conftest import PLANS
from dxplan.cli import app
from dxplan.sheets import read
from dxplan.sheets.flat import guard_cell, visible_controls
from dxplan.sheets.names import export_name, safe_part
from fuzz.sheets import BUILDERS


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def kama(tmp_path: Path) -> Path:
    shutil.copytree(PLANS / "kama", tmp_path / "kama")
    return tmp_path / "kama"


def digests(root: Path) -> dict[str, str]:
    """Every file of the plan folder (hidden ones too) by relative path → sha256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def export(kama: Path, sheet: Path, *args: str) -> Path:
    code, _, err = run("export", kama, "-d", "総務課", "-o", sheet, *args)
    assert code == 0, err
    return sheet


def refused(kama: Path, sheet: Path) -> str:
    """Import ``sheet`` in English; assert exit 1, no traceback and no file of the plan changed; return stderr."""
    before = digests(kama)
    code, out, err = run("import", sheet, kama, "--lang", "en")
    assert code == 1, (code, out, err)
    assert "Traceback" not in out + err
    assert digests(kama) == before
    return err


def set_results(action_file: Path, results: dict[int, str]) -> None:
    """Set ``result`` of the tasks at the given 0-based positions (ruamel round trip)."""
    y = YAML()
    y.width = 4096
    data = y.load(action_file.read_text(encoding="utf-8"))
    for i, text in results.items():
        data["tasks"][i]["result"] = text
    out = io.StringIO()
    y.dump(data, out)
    action_file.write_text(out.getvalue(), encoding="utf-8")


def rezip(src: Path, dst: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, (replace or {}).get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


# --------------------------------------------------------------------------- files that are not sheets


def test_not_a_zip_file(kama, tmp_path):
    sheet = tmp_path / "fake.xlsx"
    sheet.write_bytes(b"just text, not a workbook\n" * 10)
    err = refused(kama, sheet)
    assert f"{sheet}: not an Excel workbook dxplan can read (File is not a zip file)" in err


def test_malformed_xml_in_a_worksheet(kama, tmp_path):
    good = export(kama, tmp_path / "good.xlsx")
    sheet = rezip(good, tmp_path / "bad.xlsx", replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c"})
    err = refused(kama, sheet)
    assert f"{sheet}: not an Excel workbook dxplan can read" in err


def test_tampered_local_header(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.xlsx")
    raw = bytearray(sheet.read_bytes())
    with zipfile.ZipFile(sheet) as z:
        offset = z.getinfo("xl/worksheets/sheet1.xml").header_offset
    raw[offset:offset + 4] = b"XXXX"  # the central directory still lists the entry
    sheet.write_bytes(bytes(raw))
    err = refused(kama, sheet)
    assert "not an Excel workbook dxplan can read (Bad magic number for file header)" in err


# --------------------------------------------------------------------------- bounds


def test_lone_cell_at_xfd1048576_is_refused_without_allocating_the_grid(kama, tmp_path):
    sheet = tmp_path / "far.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "行キー"
    ws["XFD1048576"] = "x"
    wb.save(sheet)
    assert sheet.stat().st_size < 10_000
    err = refused(kama, sheet)
    assert f"{sheet}: sheet Sheet holds more than {read.MAX_ROWS} rows; dxplan reads at most {read.MAX_ROWS}" in err


def test_a_value_past_the_column_bound(kama, tmp_path):
    sheet = tmp_path / "wide.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "行キー"
    ws["ZZ2"] = "hidden far right"
    wb.save(sheet)
    err = refused(kama, sheet)
    assert f"{sheet}: Sheet!ZZ2: a value past column {read.MAX_COLUMNS}" in err


def test_zip_bomb_entry_is_refused_by_its_ratio(kama, tmp_path):
    good = export(kama, tmp_path / "good.xlsx")
    sheet = rezip(good, tmp_path / "bomb.xlsx", add={"xl/media/zeros.bin": bytes(2 * 1024 * 1024)})
    assert sheet.stat().st_size < 100_000
    err = refused(kama, sheet)
    assert "the entry xl/media/zeros.bin unpacks to 2097152 bytes from" in err
    assert f"(more than {read.MAX_RATIO} times)" in err


def test_total_unpacked_size_and_shared_strings_are_bounded(kama, tmp_path, monkeypatch):
    sheet = export(kama, tmp_path / "somu.xlsx")
    with zipfile.ZipFile(sheet) as z:
        unpacked = sum(i.file_size for i in z.infolist())
    monkeypatch.setattr(read, "MAX_UNPACKED_BYTES", unpacked - 1)
    err = refused(kama, sheet)
    assert f"unpacks to {unpacked} bytes; dxplan reads workbooks of at most {unpacked - 1} bytes unpacked" in err
    monkeypatch.setattr(read, "MAX_UNPACKED_BYTES", 10 ** 9)
    strings = b"".join(b"<si><t>%d</t></si>" % i for i in range(30))
    shared = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="30" uniqueCount="30">' + strings + b"</sst>"
    sheet = rezip(sheet, tmp_path / "shared.xlsx", add={"xl/sharedStrings.xml": shared})
    monkeypatch.setattr(read, "MAX_SHARED_STRINGS", 20)
    err = refused(kama, sheet)
    assert "more than 20 shared strings; dxplan reads at most 20" in err


def test_csv_field_over_the_limit(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.csv", "-f", "csv")
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
    rows[1][9] = "長" * (read.MAX_CELL_CHARS + 1)
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    err = refused(kama, sheet)
    assert f"{sheet}: line 2: a field over {read.MAX_CELL_CHARS} characters" in err


# --------------------------------------------------------------------------- cells that would change data silently


def test_formula_without_cached_value(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.xlsx")
    wb = load_workbook(sheet)
    wb["令和6年度"]["L2"] = "=40+2"  # openpyxl stores the formula, no computed value
    wb.save(sheet)
    err = refused(kama, sheet)
    assert "令和6年度!L2 (進捗率(%)): a formula saved without its value" in err


def test_merged_cells_in_the_data_area(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.xlsx")
    wb = load_workbook(sheet)
    wb["令和6年度"].merge_cells("K2:K3")
    wb.save(sheet)
    err = refused(kama, sheet)
    assert "令和6年度!K2 (進捗状況): merged cells (K2:K3): unmerge them" in err


def test_duplicated_and_renamed_status_column(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.xlsx")
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    assert ws["K1"].value == "進捗状況"
    ws["N1"] = "進捗状況"
    ws["N2"] = "完了"
    wb.save(sheet)
    err = refused(kama, sheet)
    assert "令和6年度!N1 (進捗状況): column given twice (first in column K); delete one of them" in err
    wb = load_workbook(sheet)
    wb["令和6年度"]["N1"] = None
    wb["令和6年度"]["K1"] = "進捗"
    wb.save(sheet)
    err = refused(kama, sheet)
    assert "令和6年度!1 (進捗状況): column missing (deleted or renamed)" in err


def test_row_of_another_department(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.xlsx")
    other = tmp_path / "digital.xlsx"
    assert run("export", kama, "-d", "デジタル戦略課", "-o", other)[0] == 0
    copied = [c.value for c in next(load_workbook(other)["令和6年度"].iter_rows(min_row=2, max_row=2))]
    copied[10] = "完了" if copied[10] != "完了" else "進捗中"
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    ws.append(copied)
    wb.save(sheet)
    err = refused(kama, sheet)
    assert f"令和6年度!A{ws.max_row} (行キー): row key '{copied[0]}' is not a row of this sheet (department '総務課'" in err


def test_text_cut_to_the_excel_cell_limit_is_refused(kama, tmp_path):
    long_text = "\n".join(["長い実施内容。" * 14] * 400)[:34_004]  # lines under the loader's line limit
    assert len(long_text) == 34_004
    set_results(kama / "actions" / "40.yaml", {2: LiteralScalarString(long_text)})
    sheet = export(kama, tmp_path / "somu.xlsx")
    assert load_workbook(sheet)["令和6年度"]["J2"].value == long_text[:32_767]  # a cell holds no more (openpyxl cuts as Excel does)
    err = refused(kama, sheet)  # an unedited round trip would write the cut text
    assert "令和6年度!J2 (実施 (年度末見込)): 32767 characters, as many as an Excel cell holds, where the plan has 34004" in err
    csv_sheet = export(kama, tmp_path / "somu.csv", "-f", "csv")  # CSV holds the whole text
    code, out, err = run("import", csv_sheet, kama, "--lang", "en")
    assert code == 0 and "nothing to change" in out, err


# --------------------------------------------------------------------------- CSV


def test_utf16_tab_separated_csv_imports(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.csv", "-f", "csv")
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[1][0] == "kama/40#3|2024|総務課" and rows[1][10] == "進捗中"
    rows[1][10] = "完了"
    text = io.StringIO(newline="")
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows(rows)
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes(text.getvalue().encode("utf-16"))  # Excel's 「Unicode テキスト」: BOM FF FE
    assert utf16.read_bytes()[:2] == b"\xff\xfe"
    code, out, err = run("import", utf16, kama, "--lang", "en")
    assert code == 0, err
    assert "1 field(s) changed in 1 file(s)" in out
    tasks = YAML(typ="safe").load((kama / "actions" / "40.yaml").read_text(encoding="utf-8"))["tasks"]
    assert tasks[2]["status"] == "完了"


def test_csv_formulas_are_guarded_and_restored(kama, tmp_path):
    texts = ["=1+1", "+A1", "-2+3", "@SUM(1)", "'quoted", "\x1b[2J\x07bell", "\tTabbed"]
    # 総務課's rows: 40#3, 40#6, 40#9, 43#2, 43#4, 43#6, 45#2 … (action file, 0-based task)
    places = [("40", 2), ("40", 5), ("40", 8), ("43", 1), ("43", 3), ("43", 5), ("45", 1)]
    for name in ("40", "43", "45"):
        set_results(kama / "actions" / f"{name}.yaml", {i: text for (n, i), text in zip(places, texts, strict=True) if n == name})
    before = digests(kama)
    sheet = export(kama, tmp_path / "somu.csv", "-f", "csv")
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
    results = [r[9] for r in rows[1:8]]
    assert results == ["'=1+1", "'+A1", "'-2+3", "'@SUM(1)", "''quoted", "␛[2J␇bell", "'\tTabbed"]
    assert b"\x1b" not in sheet.read_bytes() and b"\x07" not in sheet.read_bytes()
    code, out, err = run("import", sheet, kama, "--lang", "en")
    assert code == 0 and "nothing to change" in out, err
    assert digests(kama) == before


def test_guard_cell_and_visible_controls():
    assert [guard_cell(v) for v in ("=1+1", "+A1", "-2+3", "@SUM(1)", "\tx", "\rx", "'x", "ok", -5, None)] == [
        "'=1+1", "'+A1", "'-2+3", "'@SUM(1)", "'\tx", "'\rx", "''x", "ok", -5, None]
    assert [read.unguard_cell(v) for v in ("'=1+1", "''x", "'x", "x")] == ["=1+1", "'x", "'x", "x"]
    assert visible_controls("a\x00b\x1bc\x7fd\ne\tf") == "a␀b␛c␡d\ne\tf"


# --------------------------------------------------------------------------- output names


@pytest.mark.parametrize(("department", "expected"), [
    ("CON", "kama-CON_.xlsx"),
    ("nul.txt", "kama-nul.txt_.xlsx"),
    ("com1", "kama-com1_.xlsx"),
    (".hidden", "kama-hidden.xlsx"),
    ("-rf", "kama-rf.xlsx"),
    ("../../etc/x", "kama-_.._etc_x.xlsx"),
    ("a\\b", "kama-a_b.xlsx"),
    ("課\x1b[2J", "kama-課_[2J.xlsx"),
    ("...", "kama-_.xlsx"),
    ("総務課", "kama-総務課.xlsx"),
])
def test_export_name_per_case(department, expected):
    assert export_name("kama", department, "xlsx") == expected


def test_export_name_of_a_hostile_plan_id():
    assert export_name("-rf", None, "csv") == "rf.csv"
    assert export_name(".git", "CON", "json") == "git-CON_.json"
    assert len(safe_part("課" * 500)) == 60


def test_export_d_writes_the_safe_name(kama, tmp_path, monkeypatch):
    text = (kama / "plan.yaml").read_text(encoding="utf-8")
    text = text.replace("departments:\n", "departments:\n  - name: CON\n  - name: .hidden\n  - name: -rf\n", 1)
    (kama / "plan.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    for dept in ("CON", ".hidden", "-rf"):
        code, _, err = run("export", kama, "-d", dept)
        assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["kama-CON_.xlsx", "kama-hidden.xlsx", "kama-rf.xlsx"]


# --------------------------------------------------------------------------- the fuzz campaign's hostile sheets


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_hostile_sheet_builder_is_refused(kama, tmp_path, name):
    suffix, build = BUILDERS[name]
    exported = export(kama, tmp_path / f"somu.{suffix}", *(["-f", "csv"] if suffix == "csv" else []))
    hostile = build(exported, tmp_path / f"hostile-{name}.{suffix}")
    err = refused(kama, hostile)
    assert f"{hostile}:" in err, err  # every message names the file (and sheet!cell where there is one)


def test_too_many_worksheets(kama, tmp_path, monkeypatch):
    sheet = export(kama, tmp_path / "somu.xlsx")
    monkeypatch.setattr(read, "MAX_SHEETS", 2)
    err = refused(kama, sheet)
    assert f"{sheet}: 4 worksheets; dxplan reads workbooks of at most 2" in err  # three fiscal years and the base sheet


def test_a_tampered_dimension_hides_no_row(kama, tmp_path):
    sheet = export(kama, tmp_path / "somu.xlsx")
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    last = ws.max_row
    assert last >= 4 and ws[f"K{last}"].value == "完了"
    ws[f"K{last}"] = "進捗中"
    wb.save(sheet)
    with zipfile.ZipFile(sheet) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    assert f'<dimension ref="A1:M{last}" />'.encode() in xml
    tampered = rezip(sheet, tmp_path / "dim.xlsx", replace={"xl/worksheets/sheet1.xml": xml.replace(f'ref="A1:M{last}"'.encode(), b'ref="A1:B2"', 1)})
    code, out, err = run("import", tampered, kama, "--lang", "en")
    assert code == 0, err
    assert "1 field(s) changed in 1 file(s)" in out
