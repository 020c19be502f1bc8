"""The fuzz surfaces beyond plan folders: mutated sheets through ``import``, hostile repositories
through ``history`` and ``diff``, and the extreme-number mutations.

The first tests check the mutators themselves (a zip bomb stays small on disk while declaring its
size, a formula is written without a cached value, a gitlink and a planted fsmonitor are really in
the repository); the last two run a bounded slice of fixed cases of each surface through the oracle
(``fuzz.surfaces``) — cases dxplan handles today, so the slice guards the harness and those
behaviours; the campaign (``make fuzz``) draws thousands. Marked ``fuzz`` like tests/test_fuzz.py.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from fuzz.mutate import PLANS, Case, mutate_bytes
from fuzz.oracle import csv_formulas, make_runner
from fuzz.repos import RepoCase, build_repo
from fuzz.sheetcases import SheetCase, mutate_csv, mutate_xlsx
from fuzz.surfaces import run_repo_case, run_sheet_case

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def runner():
    r = make_runner()
    yield r
    r.close()


def _xlsx() -> bytes:
    """A small sheet shaped like an export: a meta cell and headers in row 1, keys in column A."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(['{"dxplan": 3}', "番号", "進捗状況", "実績"])
    ws.append(["p/1#1|2024|", 1, "進捗中", "x"])
    ws.append(["p/1#2|2024|", 1, "完了", "y"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_zip_bomb_is_small_on_disk_and_declares_its_size():
    data = mutate_xlsx(SheetCase("kama", "xlsx", None, "bomb", {"kind": "whitespace", "size": 64 << 20}), _xlsx(), None)
    sizes = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert len(data) < 1 << 20
    assert sizes["xl/worksheets/sheet1.xml"] > 64 << 20


def test_formula_without_cached_value_and_far_cell():
    nocache = mutate_xlsx(SheetCase("kama", "xlsx", None, "formula", {"sheet": 0.0, "row": 0.0, "col": 0.5, "cached": False,
                                                                      "expr": "1+1"}), _xlsx(), None)
    xml = zipfile.ZipFile(io.BytesIO(nocache)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="C2"><f>1+1</f><v></v></c>' in xml or '<c r="C2"><f>1+1</f><v /></c>' in xml
    cached = mutate_xlsx(SheetCase("kama", "xlsx", None, "formula", {"sheet": 0.0, "row": 0.0, "col": 0.5, "cached": True,
                                                                     "expr": "1+1"}), _xlsx(), None)
    xml = zipfile.ZipFile(io.BytesIO(cached)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="C2" t="str"><f>1+1</f><v>進捗中</v></c>' in xml
    far = mutate_xlsx(SheetCase("kama", "xlsx", None, "far_cell", {"sheet": 0.0, "ref": "XFD1048576", "dimension_only": False}),
                      _xlsx(), None)
    xml = zipfile.ZipFile(io.BytesIO(far)).read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:XFD1048576"' in xml and '<c r="XFD1048576"' in xml
    only = mutate_xlsx(SheetCase("kama", "xlsx", None, "far_cell", {"sheet": 0.0, "ref": "XFD1048576", "dimension_only": True}),
                       _xlsx(), None)
    xml = zipfile.ZipFile(io.BytesIO(only)).read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:XFD1048576"/>' in xml and '<c r="XFD1048576"' not in xml


def test_csv_mutations_utf16_and_foreign_key():
    base = '\ufeff"{""dxplan"": 3}",番号,進捗状況\r\np/1#1|2024|,1,進捗中\r\np/1#2|2024|,1,完了\r\n'.encode()
    utf16 = mutate_csv(SheetCase("kama", "csv", None, "encoding", {"kind": "utf16_tab"}), base, None)
    assert utf16.startswith(b"\xff\xfe") and "p/1#1|2024|\t1\t進捗中" in utf16.decode("utf-16")
    foreign = '\ufeffmeta,番号,進捗状況\r\nq/9#9|2024|,9,未着手\r\n'.encode()
    out = mutate_csv(SheetCase("kama", "csv", None, "foreign_key", {"sheet": 0.0, "row": 0.0, "at": 0.0, "whole_row": False}),
                     base, foreign).decode("utf-8-sig")
    assert out.splitlines()[1] == "q/9#9|2024|,1,進捗中"


@pytest.mark.parametrize("value,where", [("1e-320", "actual"), ("1" + "0" * 400, "baseline"), ("-0.0", "target"),
                                         ("1e308", "effect")])
def test_extreme_number_lands_where_asked(value, where):
    case = Case("iizuka", "actions/022.yaml", "extreme_number", {"at": 0.0, "value": value, "where": where})
    text = mutate_bytes(case, (PLANS / "iizuka" / "actions" / "022.yaml").read_bytes()).decode()
    expected = {"actual": f"actuals:\n      - {{fiscal_year: 令和6年度, value: {value}}}",
                "baseline": f"baseline: {{value: {value}}}",
                "target": f"targets:\n      - {{fiscal_year: 令和6年度, value: {value}}}",
                "effect": f"value: {value}, unit: 時間"}[where]
    assert expected in text


def test_csv_formula_cells_are_recognised():
    """OWASP's CSV injection prefixes are caught; negative numbers and quoted text are not."""
    text = '\ufeffkey,=1+1,-2+3,-480,-0.5,@SUM(1),+A1,"a,=b",\tx,－全角\r\n'
    assert csv_formulas(text) == ["=1+1", "-2+3", "@SUM(1)", "+A1", "\tx"]


def test_hostile_repository_is_really_hostile(tmp_path):
    folder = build_repo(RepoCase("kurate", 0, None, "gitlink", "fsmonitor", {"at": 0.0, "size": 1 << 20}), tmp_path / "work")
    tree = subprocess.run(["git", "ls-tree", "-r", "HEAD"], cwd=folder.parent, capture_output=True, text=True,
                          check=True, env={"GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}).stdout
    assert any(ln.startswith("160000 commit ") and ln.endswith("kurate/actions/zz-sub.yaml") for ln in tree.splitlines())
    assert 'fsmonitor = "touch /tmp/dxfuzz-escape-fsmonitor-$$"' in (folder.parent / ".git" / "config").read_text()
    link = build_repo(RepoCase("kurate", 0, None, "symlink_plan_yaml", "none", {"at": 0.0}), tmp_path / "work2")
    assert Path(link / "plan.yaml").readlink() == Path("/etc/passwd")


SHEET_SLICE = [
    SheetCase("kashima", "xlsx", 3, "noop", {}),
    SheetCase("kashima", "csv", 3, "noop", {}),
    SheetCase("kama", "xlsx", 2, "raw_cell", {"sheet": 0.0, "row": 0.1, "col": 0.8, "kind": "int400"}),
    SheetCase("kama", "csv", 2, "encoding", {"kind": "cp932"}),
]
REPO_SLICE = [
    RepoCase("kurate", 3, None, "symlink_action", "fsmonitor", {"at": 0.1, "size": 1 << 20}),
    RepoCase("kama", 3, Case("kama", "actions/01.yaml", "truncate", {"at": 0.5}, 3).to_json(), "gitlink", "textconv",
             {"at": 0.1, "size": 1 << 20}),
]


def test_sheet_slice_keeps_every_promise(runner, tmp_path):
    """Fixed sheets through import --dry-run and import: exit 0/1/2, no traceback, nothing written on failure."""
    broken = []
    rcs = []
    for case in SHEET_SLICE:
        fails, facts = run_sheet_case(case, runner, tmp_path)
        rcs.append(facts["rc"]["import"])
        broken += [f"[{f.kind}] {f.signature} — {f.command}: {f.detail} ({case.label()})" for f in fails]
    assert broken == []
    assert rcs[:2] == [0, 0]  # an unedited round trip imports
    assert rcs[2] == 1  # a 400-digit actual is refused


def test_repo_slice_keeps_every_promise(runner, tmp_path):
    """Fixed hostile repositories through history and diff: no traceback, no planted command run."""
    broken = []
    for case in REPO_SLICE:
        fails, facts = run_repo_case(case, runner, tmp_path)
        assert set(facts["rc"]) == {"history", "history_json", "diff", "diff_json", "diff_worktree", "diff_md"}
        broken += [f"[{f.kind}] {f.signature} — {f.command}: {f.detail} ({case.label()})" for f in fails]
    assert broken == []
