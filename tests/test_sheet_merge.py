"""Three-way import: every exported row carries the values it was exported with, so an untouched
cell never overwrites the plan and a cell changed on both sides is a conflict.

Each test works on a copy of plans/kama in a real git repository, on real xlsx files (openpyxl)
and real CSV files; the joint task row 17#1 (デジタル戦略課・産業振興課) is exported once per
department.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import PLANS, git
from dxplan.cli import app

KEY = "kama/17#1|2024|デジタル戦略課・産業振興課"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def kama(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(PLANS / "kama", repo / "kama")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-qm", "kama")
    return repo / "kama"


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.yaml"))}


def status_of_17_1(plan: Path) -> str:
    """Task 1 of action 17's status, read with plain YAML (independent of dxplan)."""
    return YAML(typ="safe").load((plan / "actions" / "17.yaml").read_text(encoding="utf-8"))["tasks"][0]["status"]


def export(plan: Path, dept: str, out: Path) -> Path:
    code, _, err = run("export", plan, "-d", dept, "-f", out.suffix[1:], "-o", out)
    assert code == 0, err
    return out


def set_cell(sheet: Path, key: str, header: str, value: str) -> str:
    """Write ``value`` into the ``header`` column of the row ``key`` (xlsx or CSV); returns the cell (``令和6年度!K2``)."""
    if sheet.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
        col = rows[0].index(header)
        n = next(i for i, r in enumerate(rows) if r[0] == key)
        rows[n][col] = value
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        sheet.write_bytes(buf.getvalue().encode("utf-8-sig"))
        return f"{sheet.name}!{chr(ord('A') + col)}{n + 1}"
    wb = load_workbook(sheet)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        headers = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                cell = row[headers.index(header)]
                cell.value = value
                wb.save(sheet)
                return f"{ws.title}!{cell.coordinate}"
    raise AssertionError(f"{key} not in {sheet}")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_untouched_joint_row_keeps_the_other_departments_change(kama, tmp_path, fmt):
    a = export(kama, "デジタル戦略課", tmp_path / f"a.{fmt}")
    b = export(kama, "産業振興課", tmp_path / f"b.{fmt}")
    assert status_of_17_1(kama) == "完了"
    set_cell(a, KEY, "進捗状況", "進捗中")
    code, out, err = run("import", a, kama)
    assert code == 0, err
    assert status_of_17_1(kama) == "進捗中"
    before = digests(kama)
    code, out, err = run("import", b, kama)  # its cell still says 完了, as exported
    assert code == 0, err
    assert status_of_17_1(kama) == "進捗中" and digests(kama) == before
    assert "warning" not in err and "警告" not in err


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_cell_changed_on_both_sides_is_a_conflict_until_a_side_is_chosen(kama, tmp_path, fmt):
    a = export(kama, "デジタル戦略課", tmp_path / f"a.{fmt}")
    b = export(kama, "産業振興課", tmp_path / f"b.{fmt}")
    set_cell(a, KEY, "進捗状況", "進捗中")
    assert run("import", a, kama)[0] == 0
    where = set_cell(b, KEY, "進捗状況", "検討中")
    before = digests(kama)
    code, _, err = run("import", b, kama, "--lang", "en")
    assert code == 1
    assert (f"{where} (進捗状況): changed both in the sheet and in the plan since the export: the sheet has '検討中', "
            "the plan now has '進捗中' (exported: '完了')") in err
    assert digests(kama) == before
    code, _, err = run("import", b, kama)
    assert code == 1 and f"{where}（進捗状況）" in err and "検討中" in err and "進捗中" in err
    assert digests(kama) == before

    code, out, err = run("import", b, kama, "--ours")
    assert code == 0, err
    assert status_of_17_1(kama) == "進捗中" and digests(kama) == before
    code, out, err = run("import", b, kama, "--theirs")
    assert code == 0, err
    assert status_of_17_1(kama) == "検討中"
    assert run("import", b, kama, "--theirs", "--ours")[0] == 2


def test_a_change_made_only_in_the_sheet_is_applied_and_one_equal_to_the_plan_is_no_conflict(kama, tmp_path):
    a = export(kama, "デジタル戦略課", tmp_path / "a.xlsx")
    b = export(kama, "産業振興課", tmp_path / "b.xlsx")
    set_cell(a, KEY, "進捗状況", "進捗中")
    set_cell(a, KEY, "進捗率(%)", "60")
    assert run("import", a, kama)[0] == 0
    set_cell(b, KEY, "進捗状況", "進捗中")  # the same change on both sides
    code, out, err = run("import", b, kama)
    assert code == 0, err
    assert status_of_17_1(kama) == "進捗中"
    task = YAML(typ="safe").load((kama / "actions" / "17.yaml").read_text(encoding="utf-8"))["tasks"][0]
    assert task["progress"] == 60


def test_the_base_sheet_is_very_hidden_and_protected(kama, tmp_path):
    a = export(kama, "産業振興課", tmp_path / "a.xlsx")
    wb = load_workbook(a)
    ws = wb["dxplan_base"]
    assert wb.sheetnames[-1] == "dxplan_base" and ws.sheet_state == "veryHidden" and ws.protection.sheet
    rows = [r for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ("dxplan:base", "json")
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))  # the pieces, numbered in order
    assert all(len(r[1]) <= 16_000 for r in rows[1:])
    bases = json.loads("".join(r[1] for r in rows[1:]))
    assert len(bases) == 21  # one base per task row
    assert bases[KEY]["status"] == "完了" and bases[KEY]["progress"] is None and set(bases[KEY]) == {"result", "status", "progress"}


def old_base_sheet(sheet: Path) -> int:
    """Rewrite ``sheet``'s base in the layout exports had before the JSON pieces: ``dxplan:base``, ``field``, ``value``,
    then one row per editable cell (key, field, exported value); returns the rows written."""
    wb = load_workbook(sheet)
    ws = wb["dxplan_base"]
    bases = json.loads("".join(r[1] for r in ws.iter_rows(min_row=2, values_only=True)))
    ws.delete_rows(1, ws.max_row)
    ws.append(["dxplan:base", "field", "value"])
    for key, fields in bases.items():
        for name, value in fields.items():
            ws.append([key, name, value])
    wb.save(sheet)
    return len(list(load_workbook(sheet)["dxplan_base"].iter_rows())) - 1


def test_a_sheet_with_the_earlier_base_layout_still_merges_three_ways(kama, tmp_path):
    a = export(kama, "デジタル戦略課", tmp_path / "a.xlsx")
    b = export(kama, "産業振興課", tmp_path / "b.xlsx")
    assert old_base_sheet(b) == 21 * 3
    set_cell(a, KEY, "進捗状況", "進捗中")
    assert run("import", a, kama)[0] == 0
    before = digests(kama)
    code, _, err = run("import", b, kama)  # untouched in b, changed in the plan since: the plan's value stands
    assert code == 0, err
    assert digests(kama) == before and "warning" not in err and "警告" not in err
    where = set_cell(b, KEY, "進捗状況", "検討中")
    code, _, err = run("import", b, kama, "--lang", "en")
    assert code == 1
    assert f"{where} (進捗状況): changed both in the sheet and in the plan since the export: the sheet has '検討中', the plan now has '進捗中' (exported: '完了')" in err
    assert digests(kama) == before


def test_a_base_cut_into_many_pieces_reads_back_whole(kama, tmp_path, monkeypatch):
    from dxplan.sheets import base

    monkeypatch.setattr(base, "PIECE_CHARS", 7)
    a = export(kama, "デジタル戦略課", tmp_path / "a.xlsx")
    b = export(kama, "産業振興課", tmp_path / "b.xlsx")
    pieces = [r for r in load_workbook(b)["dxplan_base"].iter_rows(min_row=2, values_only=True)]
    assert len(pieces) > 100 and all(len(p) <= 7 for _, p in pieces)
    set_cell(a, KEY, "進捗状況", "進捗中")
    assert run("import", a, kama)[0] == 0
    where = set_cell(b, KEY, "進捗状況", "検討中")
    before = digests(kama)
    code, _, err = run("import", b, kama, "--lang", "en")
    assert code == 1 and f"{where} (進捗状況): changed both in the sheet and in the plan since the export" in err and "(exported: '完了')" in err
    assert digests(kama) == before


def test_a_base_with_a_piece_missing_imports_every_row_with_a_warning(kama, tmp_path):
    b = export(kama, "産業振興課", tmp_path / "b.xlsx")
    wb = load_workbook(b)
    ws = wb["dxplan_base"]
    assert ws.max_row >= 2
    ws.append([ws.max_row + 1, "}"])  # a piece after the last: the text no longer reads as JSON
    wb.save(b)
    set_cell(b, KEY, "進捗状況", "検討中")
    code, out, err = run("import", b, kama, "--lang", "en")
    assert code == 0, err
    assert "21 row(s) carry no readable exported values: they are imported without a check for conflicts" in err
    assert status_of_17_1(kama) == "検討中"


def test_a_sheet_without_base_imports_with_a_warning(kama, tmp_path):
    b = export(kama, "産業振興課", tmp_path / "b.xlsx")
    wb = load_workbook(b)
    wb.remove(wb["dxplan_base"])
    for ws in wb.worksheets:
        ws["A1"].value = ws["A1"].value.replace('"dxplan": 4', '"dxplan": 3')
    wb.save(b)
    set_cell(b, KEY, "進捗状況", "検討中")
    code, out, err = run("import", b, kama, "--lang", "en")
    assert code == 0, err
    assert ("warning: 令和6年度: the sheet carries no exported values (written by an older dxplan): every cell that differs "
            "from the plan is imported, and changes made to the plan since the export cannot be checked for conflicts") in err
    assert status_of_17_1(kama) == "検討中"


def test_a_csv_row_whose_base_cell_was_emptied_imports_with_a_warning(kama, tmp_path):
    b = export(kama, "産業振興課", tmp_path / "b.csv")
    set_cell(b, KEY, "dxplan:base", "")
    set_cell(b, KEY, "進捗状況", "検討中")
    code, out, err = run("import", b, kama, "--lang", "en")
    assert code == 0, err
    assert "1 row(s) carry no readable exported values" in err
    assert status_of_17_1(kama) == "検討中"


def test_a_joint_indicator_row_merges_three_ways_too(tmp_path):
    repo = tmp_path / "repo-kpi"
    shutil.copytree(Path(__file__).parent / "fixtures" / "kpi", repo / "kpi")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-qm", "kpi")
    kpi = repo / "kpi"
    key = "kpi/2:K3|2025"

    def k3() -> dict:
        return YAML(typ="safe").load((kpi / "actions" / "2.yaml").read_text(encoding="utf-8"))["indicators"][0]

    somu = export(kpi, "総務課", tmp_path / "somu.xlsx")
    shimin = export(kpi, "市民課", tmp_path / "shimin.csv")
    set_cell(somu, key, "実績値", "50")
    set_cell(somu, key, "評価", "A")
    assert run("import", somu, kpi)[0] == 0
    assert k3()["actuals"] == [{"fiscal_year": "令和7年度", "value": 50}] and k3()["grades"][1]["grade"] == "A"
    code, _, err = run("import", shimin, kpi)  # untouched: 45 and B as exported
    assert code == 0, err
    assert k3()["actuals"][0]["value"] == 50 and k3()["grades"][1]["grade"] == "A"

    where = set_cell(shimin, key, "実績値", "47")
    before = digests(kpi)
    code, _, err = run("import", shimin, kpi, "--lang", "en")
    assert code == 1 and f"{where} (実績値): changed both in the sheet and in the plan since the export: the sheet has '47', the plan now has '50' (exported: '45')" in err
    assert digests(kpi) == before
    assert run("import", shimin, kpi, "--theirs")[0] == 0
    assert k3()["actuals"][0]["value"] == 47 and k3()["grades"][1]["grade"] == "A"


def test_json_and_csv_exports_carry_each_rows_base(kama, tmp_path):
    code, text, _ = run("export", kama, "-d", "産業振興課", "-f", "json")
    data = json.loads(text)
    assert data["schema_version"] == 4
    row = next(r for r in data["rows"] if r["key"] == KEY)
    assert row["base"] == {"result": row["result"], "status": "完了", "progress": None}
    out = export(kama, "産業振興課", tmp_path / "b.csv")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0][-1] == "dxplan:base"
    line = next(r for r in rows if r[0] == KEY)
    assert json.loads(line[-1]) == row["base"]
