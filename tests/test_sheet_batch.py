"""dxplan import writes all of a file's changed rows in one rewrite, checked once, and gets what importing them one by one gets.

Real copies of plans/kama in git repositories, real xlsx sheets written by ``dxplan export`` and edited with openpyxl.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import dxplan.sheets.apply as apply
from conftest import PLANS, git
from dxplan.cli import app

#: Edits of the 令和6年度 sheet: (row key, column letter, new value). J 実施 (result), K 進捗状況 (status), L 進捗率 (progress).
SPLICED = [
    ("kama/13#1|2024|デジタル戦略課", "K", "完了"),
    ("kama/13#2|2024|デジタル戦略課", "J", "先進事例の調査: 完了"),
    ("kama/13#4|2024|嘉穂・碓井・山田市民サービス課", "K", "検討中"),
    ("kama/40#3|2024|総務課", "K", "完了"),
]
#: One more edit of 13.yaml that adds a field the row does not have (progress): that file takes the round trip.
NEW_FIELD = ("kama/13#3|2024|デジタル戦略課", "L", 60)


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "ja"})
    return result.exit_code, result.output


def kama_repo(where: Path) -> Path:
    shutil.copytree(PLANS / "kama", where / "kama")
    git(where, "init", "-q")
    git(where, "add", "-A")
    git(where, "commit", "-qm", "kama")
    return where / "kama"


def sheet_with(plan: Path, sheet: Path, edits: list[tuple[str, str, object]]) -> None:
    """Export ``plan`` to ``sheet`` and make ``edits`` in its 令和6年度 worksheet."""
    assert run("export", plan, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for key, column, value in edits:
        ws[f"{column}{rows[key]}"] = value
    wb.save(sheet)


def one_by_one(tmp_path: Path, edits: list[tuple[str, str, object]]) -> dict[str, str]:
    """The action files' texts after importing each edit with a sheet of its own, exported afresh each time."""
    plan = kama_repo(tmp_path / "one-by-one")
    for n, edit in enumerate(edits):
        sheet = tmp_path / f"one-{n}.xlsx"
        sheet_with(plan, sheet, [edit])
        code, out = run("import", sheet, plan)
        assert code == 0, out
    return {p.name: p.read_text(encoding="utf-8") for p in (plan / "actions").glob("*.yaml")}


@pytest.fixture
def recorded(monkeypatch) -> dict[str, list]:
    """Every write of the import (the files of each all-or-nothing commit) and every round-trip rewrite."""
    calls: dict[str, list] = {"commits": [], "round_trips": []}
    commit, round_trip = apply.commit_files, apply._round_trip

    def commit_files(folder, files, *args, **kwargs):
        calls["commits"].append(sorted(Path(p).name for p, _ in files))
        return commit(folder, files, *args, **kwargs)

    def _round_trip(path, *args, **kwargs):
        calls["round_trips"].append(Path(path).name)
        return round_trip(path, *args, **kwargs)

    monkeypatch.setattr(apply, "commit_files", commit_files)
    monkeypatch.setattr(apply, "_round_trip", _round_trip)
    return calls


def test_several_rows_of_one_file_are_one_rewrite_in_place(tmp_path, recorded):
    plan = kama_repo(tmp_path / "batch")
    sheet = tmp_path / "batch.xlsx"
    sheet_with(plan, sheet, SPLICED)
    code, out = run("import", sheet, plan)
    assert code == 0, out
    assert "2 ファイルの 4 項目を更新しました" in out
    assert recorded["commits"] == [["13.yaml", "40.yaml"]]  # one all-or-nothing write, each file once
    assert recorded["round_trips"] == []  # plain value changes: written over their lines, no round trip
    assert git(plan.parent, "diff", "--numstat").split() == ["3", "3", "kama/actions/13.yaml", "1", "1", "kama/actions/40.yaml"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in (plan / "actions").glob("*.yaml")}
    recorded["commits"].clear()
    assert texts == one_by_one(tmp_path, SPLICED)
    assert "    result: '先進事例の調査: 完了'\n" in texts["13.yaml"]


def test_a_new_field_takes_the_round_trip_for_its_file_only(tmp_path, recorded):
    plan = kama_repo(tmp_path / "batch")
    sheet = tmp_path / "batch.xlsx"
    sheet_with(plan, sheet, [*SPLICED, NEW_FIELD])
    code, out = run("import", sheet, plan)
    assert code == 0, out
    assert recorded["commits"] == [["13.yaml", "40.yaml"]]
    assert recorded["round_trips"] == ["13.yaml"]  # 40.yaml is still written in place
    texts = {p.name: p.read_text(encoding="utf-8") for p in (plan / "actions").glob("*.yaml")}
    assert texts == one_by_one(tmp_path, [*SPLICED, NEW_FIELD])
    assert git(plan.parent, "diff", "--numstat").split() == ["4", "3", "kama/actions/13.yaml", "1", "1", "kama/actions/40.yaml"]


def test_a_value_with_a_comment_after_it_keeps_the_comment(tmp_path, recorded):
    plan = kama_repo(tmp_path / "batch")
    a40 = plan / "actions/40.yaml"
    text = a40.read_text(encoding="utf-8")
    lines = text.split("\n")
    # the status line of 40's third task row, as the sheet's key names it
    at = [i for i, ln in enumerate(lines) if ln.strip().startswith("status:")][2]
    lines[at] += "  # 課長確認済み"
    a40.write_text("\n".join(lines), encoding="utf-8")
    git(plan.parent, "commit", "-qam", "comment")
    sheet = tmp_path / "batch.xlsx"
    sheet_with(plan, sheet, [SPLICED[3]])
    assert run("import", sheet, plan)[0] == 0
    assert recorded["round_trips"] == ["40.yaml"]  # no splice over a comment
    # the round trip keeps the comment, at its column
    assert lines[at] == "    status: 進捗中  # 課長確認済み"
    assert a40.read_text(encoding="utf-8").split("\n")[at] == "    status: 完了   # 課長確認済み"


def test_the_sheet_of_exported_values_may_hold_more_rows_than_a_task_sheet(tmp_path, monkeypatch):
    """Three base rows per task row: a plan whose task sheets are within the row bound exports a
    dxplan_base sheet three times as long, and the import reads it back (a 50,000-row plan's base
    sheet holds 150,000 rows); a task sheet past the bound is still refused."""
    import dxplan.sheets.read as read

    plan = kama_repo(tmp_path / "bound")
    sheet = tmp_path / "bound.xlsx"
    sheet_with(plan, sheet, [SPLICED[0]])
    monkeypatch.setattr(read, "MAX_ROWS", 400)  # 令和6年度 holds 153 rows, dxplan_base 1,312
    assert read.row_bound("dxplan_base") == 1600 and read.row_bound("令和6年度") == 400
    code, out = run("import", sheet, plan)
    assert code == 0, out
    assert git(plan.parent, "diff", "--numstat").split() == ["1", "1", "kama/actions/13.yaml"]
    monkeypatch.setattr(read, "MAX_ROWS", 150)
    code, out = run("import", sheet, plan)
    assert code == 1 and "シート 令和6年度 が 150 行を超えています" in out
