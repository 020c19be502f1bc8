"""Action grade rows of the department sheet (grade_scale applies_to: action): exported read-only but the grade, and back.

Every test works on a copy of tests/fixtures/kpi whose grade_scale is switched to
``applies_to: action`` and whose grades are moved from the indicators onto the actions (action 1:
令和6年度 B, 令和7年度 C; action 2: A, B; action 3 none), with one task row added to action 1, in a
real git repository, on real xlsx (openpyxl) and CSV files. It also checks the wording of a new
list entry in ``import --dry-run`` (as ``dxplan diff`` words it) and of the export message.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import FIXTURES, git
from dxplan.files.load import load_plan
from test_sheets import digests, numstat, run

ACTION_GRADES = {
    "1": "grades:\n  - {fiscal_year: 令和6年度, grade: B}\n  - {fiscal_year: 令和7年度, grade: C}\n",
    "2": "grades:\n  - {fiscal_year: 令和6年度, grade: A}\n  - {fiscal_year: 令和7年度, grade: B}\n",
    "3": "",
}
TASK = "tasks:\n  - {fiscal_year: 令和7年度, plan: 対象手続の洗い出し, status: 未着手}\n"


def _commit(repo: Path, name: str) -> None:
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-qm", name)


@pytest.fixture
def graded(tmp_path: Path) -> Path:
    """tests/fixtures/kpi graded per action (see the module docstring), committed; returns the plan folder."""
    repo = tmp_path / "repo"
    plan = repo / "kpi"
    shutil.copytree(FIXTURES / "kpi", plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    assert "applies_to: indicator" in text
    (plan / "plan.yaml").write_text(text.replace("applies_to: indicator", "applies_to: action"), encoding="utf-8")
    for n, grades in ACTION_GRADES.items():
        f = plan / "actions" / f"{n}.yaml"
        text, moved = re.subn(r"    grades:\n(      - .*\n)+", "", f.read_text(encoding="utf-8"))
        assert moved == 2
        f.write_text(text.replace("sources:", (TASK if n == "1" else "") + grades + "sources:"), encoding="utf-8")
    _commit(repo, "kpi graded per action")
    return plan


@pytest.fixture
def kpi(tmp_path: Path) -> Path:
    """tests/fixtures/kpi as it is (grades per indicator), committed; returns the plan folder."""
    repo = tmp_path / "repo-kpi"
    shutil.copytree(FIXTURES / "kpi", repo / "kpi")
    _commit(repo, "kpi")
    return repo / "kpi"


def action_grades(plan: Path) -> dict[str, list[tuple[int, str]]]:
    """Every action's grades as (fiscal year, grade), read through the loader, by action id."""
    loaded = load_plan(plan, positions=False)
    assert not [p for p in loaded.problems if p.severity == "error"]
    return {la.action.id: [(g.fiscal_year, g.grade) for g in la.action.grades] for la in loaded.actions}


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


# --------------------------------------------------------------------------- the fixture itself


def test_fixture_moves_every_grade_onto_the_actions(graded):
    assert action_grades(graded) == {"1": [(2024, "B"), (2025, "C")], "2": [(2024, "A"), (2025, "B")], "3": []}
    loaded = load_plan(graded, positions=False)
    assert loaded.plan.grade_scale.applies_to == "action"
    assert all(not ind.grades for la in loaded.actions for ind in la.action.indicators)


# --------------------------------------------------------------------------- export


def test_xlsx_grade_sheets_dropdown_equals_the_plans_grades_and_locks(graded, tmp_path):
    out = tmp_path / "kpi.xlsx"
    code, _, err = run("export", graded, "-o", out, "--lang", "en")
    assert code == 0
    assert f"{out}: 1 task row(s), 18 indicator row(s) and 9 action grade row(s) written" in err
    wb = load_workbook(out)
    assert wb.sheetnames == ["令和6年度", "令和7年度", "令和8年度", "指標 令和6年度", "指標 令和7年度", "指標 令和8年度",
                             "評価 令和6年度", "評価 令和7年度", "評価 令和8年度", "dxplan_base"]
    ws = wb["評価 令和7年度"]
    headers = [c.value for c in ws[1]]
    assert json.loads(headers[0]) == {"dxplan": 4, "plan": "kpi", "department": None, "years": [2024, 2025, 2026]}
    assert headers[1:] == ["アクション番号", "アクション名称", "大区分", "中区分", "年度", "担当課", "共同担当", "目標", "評価"]
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows == [
        ["kpi/1|2025", 1, "窓口手続のオンライン化", "行政手続", "窓口", "令和7年度", "市民課", None, None, "C"],
        ["kpi/2|2025", 2, "電子申請の利用促進", "行政手続", "電子申請", "令和7年度", "総務課・市民課", "共同", None, "B"],
        ["kpi/3|2025", 3, "申請件数の拡大", "行政手続", "電子申請", "令和7年度", "総務課", None, None, None],
    ]
    # the drop-down lists exactly the plan's grades, best first, on the grade column of every row
    plan_grades = [g.grade for g in load_plan(graded, positions=False).plan.grade_scale.grades]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and str(lists[0].sqref) == "J2:J4"
    assert lists[0].formula1.strip('"').split(",") == plan_grades == ["A", "B", "C", "D"]
    assert lists[0].showErrorMessage and "A、B、C、D" in lists[0].error
    second = ws[2]
    assert {c.column_letter for c in second if c.protection.locked is False} == {"J"}
    assert all(c.fill.fgColor.rgb.endswith("E7E6E6") for c in second[:9]) and second[9].fill.fill_type is None
    assert ws.column_dimensions["A"].hidden is True and ws.freeze_panes == "B2" and ws.protection.sheet is True
    # grades per action: the indicator sheets have no 評価 column and no grade drop-down
    ind = wb["指標 令和7年度"]
    assert [c.value for c in ind[1]][-2:] == ["実績・見込", "出典"]
    assert [dv.formula1 for dv in ind.data_validations.dataValidation] == ['"実績,見込"']


def test_department_filter_and_export_messages_name_what_was_written(graded, kpi, tmp_path):
    out = tmp_path / "somu.xlsx"
    code, _, err = run("export", graded, "-d", "総務課", "-o", out)
    assert code == 0 and f"{out}: 指標の行 12 行とアクション評価の行 6 行を書き出しました" in err and "タスク行" not in err
    ws = load_workbook(out)["評価 令和6年度"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["kpi/2|2024", "kpi/3|2024"]
    code, _, err = run("export", graded, "-o", tmp_path / "all.xlsx")
    assert "タスク行 1 行、指標の行 18 行とアクション評価の行 9 行を書き出しました" in err
    code, _, err = run("export", kpi, "-o", tmp_path / "kpi.xlsx", "--lang", "en")
    assert err.strip() == f"{tmp_path / 'kpi.xlsx'}: 18 indicator row(s) written"
    code, _, err = run("export", graded, "-d", "市民課", "--year", "R7", "-o", tmp_path / "r7.xlsx", "--lang", "en")
    assert err.strip() == f"{tmp_path / 'r7.xlsx'}: 1 task row(s), 4 indicator row(s) and 2 action grade row(s) written"


def test_csv_and_json_hold_the_grade_rows(graded, tmp_path):
    out = tmp_path / "kpi.csv"
    assert run("export", graded, "-f", "csv", "-o", out)[0] == 0
    rows = csv_rows(out)
    header = rows[0]
    assert header[-2] == "評価" and header[-1] == "dxplan:base" and header.count("評価") == 1 and header[12] == "目標"
    keys = [r[0] for r in rows[1:]]
    assert keys[0] == "kpi/1#1|2025|" and keys[-9:] == [f"kpi/{a}|{fy}" for a in "123" for fy in (2024, 2025, 2026)]
    assert len(keys) == 1 + 18 + 9
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["kpi/2|2024"][-2] == "A" and by_key["kpi/3|2024"][-2] == ""
    assert by_key["kpi/2|2024"][8:12] == ["", "", "", ""]  # task-only columns stay empty on a grade row
    assert by_key["kpi/1:K1|2024"][-2] == ""  # no grade on an indicator row
    code, text, _ = run("export", graded, "-f", "json", "-d", "総務課")
    data = json.loads(text)
    assert data["schema_version"] == 4
    assert data["plan"]["grades"] == ["A", "B", "C", "D"] and data["plan"]["grades_apply_to"] == "action"
    assert [c["field"] for c in data["grade_columns"] if c["editable"]] == ["grade"]
    assert [(r["key"], r["action_id"], r["fiscal_year_number"], r["joint"], r["grade"]) for r in data["grade_rows"]] == [
        ("kpi/2|2024", "2", 2024, True, "A"), ("kpi/2|2025", "2", 2025, True, "B"), ("kpi/2|2026", "2", 2026, True, None),
        ("kpi/3|2024", "3", 2024, False, None), ("kpi/3|2025", "3", 2025, False, None), ("kpi/3|2026", "3", 2026, False, None),
    ]
    assert all("grade" not in c["field"] for c in data["indicator_columns"])


# --------------------------------------------------------------------------- import


def test_one_grade_changed_with_openpyxl_changes_exactly_that_line(graded, tmp_path):
    sheet = tmp_path / "kpi.xlsx"
    assert run("export", graded, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["評価 令和7年度"]
    assert (ws["A3"].value, ws["J3"].value) == ("kpi/2|2025", "B")
    ws["J3"] = "A"
    wb.save(sheet)
    code, out, _ = run("import", sheet, graded, "--dry-run", "--lang", "en")
    assert code == 0
    assert "1 field(s) in 1 file(s) would change" in out and "grades[1].grade: 「B」→「A」" in out
    assert git(graded.parent, "status", "--porcelain") == ""
    code, out, _ = run("import", sheet, graded, "--lang", "en")
    assert code == 0, out
    assert f"dxplan import: {sheet} → {graded}: 1 field(s) changed in 1 file(s)" in out
    assert numstat(graded) == {"kpi/actions/2.yaml": (1, 1)}
    diff = git(graded.parent, "diff", "-U0", "--", "kpi/actions/2.yaml")
    assert [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")] == [
        "-  - {fiscal_year: 令和7年度, grade: B}", "+  - {fiscal_year: 令和7年度, grade: A}"]
    assert action_grades(graded)["2"] == [(2024, "A"), (2025, "A")]
    snapshot = digests(graded)  # the same sheet again changes nothing more
    assert run("import", sheet, graded)[0] == 0 and digests(graded) == snapshot


def test_new_grade_and_emptied_grade_and_their_dry_run_words(graded, tmp_path):
    sheet = tmp_path / "kpi.xlsx"
    assert run("export", graded, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["評価 令和6年度"]
    assert [ws[f"A{r}"].value for r in (2, 3, 4)] == ["kpi/1|2024", "kpi/2|2024", "kpi/3|2024"]
    ws["J4"] = "Ｂ"  # full-width, as typed with a Japanese IME: action 3 gets its first grade
    ws["J2"] = None  # action 1's 令和6年度 grade B removed
    wb.save(sheet)
    code, out, _ = run("import", sheet, graded, "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert "      grades 令和6年度 追加: B" in lines and "      grades 令和6年度 削除: B" in lines
    assert '{"fiscal_year"' not in out
    code, out, _ = run("import", sheet, graded, "--dry-run", "--lang", "en")
    assert "2 field(s) in 2 file(s) would change" in out
    assert "      grades FY2024 added: B" in out.splitlines() and "      grades FY2024 removed: B" in out.splitlines()
    assert run("import", sheet, graded)[0] == 0
    assert action_grades(graded) == {"1": [(2025, "C")], "2": [(2024, "A"), (2025, "B")], "3": [(2024, "B")]}
    assert numstat(graded) == {"kpi/actions/1.yaml": (0, 1), "kpi/actions/3.yaml": (2, 0)}
    # the new list goes after the indicators (Action's field order), in flow style
    assert (graded / "actions/3.yaml").read_text(encoding="utf-8").endswith(
        "      - {fiscal_year: 令和6年度, value: 100, text: 参加者100人}\n"
        "grades:\n"
        "  - {fiscal_year: 令和6年度, grade: B}\n"
        "sources: [{file: fixture.txt, location: action 3}]\n")
    # emptying the last grade of an action removes the list
    git(graded.parent, "checkout", "--", ".")
    wb = load_workbook(sheet)
    wb["評価 令和6年度"]["J2"], wb["評価 令和6年度"]["J4"] = "B", None
    wb["評価 令和7年度"]["J3"] = None
    wb["評価 令和6年度"]["J3"] = None
    wb.save(sheet)
    assert run("import", sheet, graded)[0] == 0
    assert "grades" not in (graded / "actions/2.yaml").read_text(encoding="utf-8")
    assert numstat(graded) == {"kpi/actions/2.yaml": (0, 3)}


def test_bad_grade_writes_nothing_and_names_sheet_and_cell(graded, tmp_path):
    sheet = tmp_path / "kpi.xlsx"
    assert run("export", graded, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    wb["評価 令和6年度"]["J2"] = "C"  # a valid edit, refused with the rest
    wb["評価 令和7年度"]["J3"] = "b"
    wb["評価 令和8年度"]["J4"] = "S"
    wb["評価 令和8年度"]["C2"] = "窓口手続の電子化"  # the action's title is read-only
    wb.save(sheet)
    before = digests(graded)
    code, _, err = run("import", sheet, graded, "--lang", "en")
    assert code == 1
    assert digests(graded) == before and git(graded.parent, "status", "--porcelain") == ""
    assert "評価 令和7年度!J3 (評価): grade 'b' is not one of the plan's grades (A、B、C、D). Did you mean 'B'?" in err
    assert "評価 令和8年度!J4 (評価): grade 'S' is not one of the plan's grades (A、B、C、D)." in err
    assert "評価 令和8年度!C2 (アクション名称): read-only column edited: the plan has '窓口手続のオンライン化', the sheet '窓口手続の電子化'" in err
    assert "3 problem(s) in the sheet; nothing was changed" in err
    code, _, err = run("import", sheet, graded)
    assert "評価 令和7年度!J3（評価）: 評価「b」は計画の評価（A、B、C、D）にありません。もしかして「B」？" in err


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "cp932"])
def test_unchanged_sheet_changes_no_byte(graded, tmp_path, fmt):
    out = tmp_path / f"all.{'csv' if fmt == 'cp932' else fmt}"
    assert run("export", graded, "-f", "csv" if fmt == "cp932" else fmt, "-o", out)[0] == 0
    if fmt == "cp932":  # as Excel on Japanese Windows saves it
        rows = csv_rows(out)
        with out.open("w", encoding="cp932", errors="replace", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
    before = digests(graded)
    code, stdout, err = run("import", out, graded, "--lang", "en")
    assert code == 0, err
    assert "28 row(s) read; the sheet matches the plan, nothing to change" in stdout
    assert digests(graded) == before and git(graded.parent, "status", "--porcelain") == ""


def test_csv_grade_change_missing_row_unknown_key_and_a_version_2_sheet(graded, tmp_path):
    sheet = tmp_path / "kpi.csv"
    assert run("export", graded, "-f", "csv", "-o", sheet)[0] == 0
    rows = csv_rows(sheet)
    n = next(i for i, r in enumerate(rows) if r[0] == "kpi/1|2026")
    assert rows[n][-2] == ""
    rows[n][-2] = "D"  # action 1 令和8年度: a new grade D after the 令和7年度 one
    write_csv(sheet, rows)
    code, out, _ = run("import", sheet, graded)
    assert code == 0, out
    assert numstat(graded) == {"kpi/actions/1.yaml": (1, 0)}
    assert "  - {fiscal_year: 令和7年度, grade: C}\n  - {fiscal_year: 令和8年度, grade: D}\nsources:" in (
        graded / "actions/1.yaml").read_text(encoding="utf-8")
    git(graded.parent, "checkout", "--", ".")

    bad = [r[:] for r in rows]
    bad[n][0] = "kpi/9|2026"  # no such action
    code, _, err = run("import", _written(tmp_path / "bad.csv", bad), graded, "--lang", "en")
    assert code == 1
    assert f"bad.csv!A{n + 1} (行キー): unknown row key 'kpi/9|2026': no such action and fiscal year among the plan's graded actions" in err
    assert "row missing from the sheet: grade of action 1 (令和8年度, '窓口手続のオンライン化'), key kpi/1|2026" in err
    assert git(graded.parent, "status", "--porcelain") == ""

    # a task column filled on a grade row is refused
    bad = [r[:] for r in rows]
    bad[n][rows[0].index("進捗状況")] = "完了"
    code, _, err = run("import", _written(tmp_path / "task.csv", bad), graded, "--lang", "en")
    assert code == 1 and f"task.csv!K{n + 1} (進捗状況): an action grade row has no value in this column; leave it empty" in err

    # a sheet exported before grade rows existed (version 2, no grade rows) still imports
    old = [r[:] for r in rows if "|" not in r[0] or r[0].count("|") != 1 or ":" in r[0]]
    assert len(old) == 1 + 1 + 18
    old[0][0] = old[0][0].replace('"dxplan": 4', '"dxplan": 2')
    old[2][old[0].index("実績値")] = "29"
    code, out, err = run("import", _written(tmp_path / "v2.csv", old), graded)
    assert code == 0, err
    assert numstat(graded) == {"kpi/actions/1.yaml": (1, 1)}


def _written(path: Path, rows: list[list[str]]) -> Path:
    write_csv(path, rows)
    return path


# --------------------------------------------------------------------------- dry-run words (indicator lists)


def test_dry_run_words_a_new_actual_like_dxplan_diff(kpi, tmp_path, monkeypatch):
    sheet = tmp_path / "kpi.xlsx"
    assert run("export", kpi, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["指標 令和8年度"]
    assert ws["A2"].value == "kpi/1:K1|2026"
    ws["O2"], ws["P2"], ws["Q2"] = 61, "見込", "年度末見込"
    wb["指標 令和7年度"]["R7"] = None  # K6's grade D removed
    wb.save(sheet)
    code, out, _ = run("import", sheet, kpi, "--dry-run")
    assert code == 0
    lines = [ln.strip() for ln in out.splitlines()]
    assert "indicators[0].actuals 令和8年度 追加: 61（見込、出典: 年度末見込）" in lines
    assert "indicators[1].grades 令和7年度 削除: D" in lines
    code, out, _ = run("import", sheet, kpi, "--dry-run", "--lang", "en")
    lines = [ln.strip() for ln in out.splitlines()]
    assert "indicators[0].actuals FY2026 added: 61 (forecast, source: 年度末見込)" in lines
    assert "indicators[1].grades FY2025 removed: D" in lines
    # dxplan diff words the written change the same way
    assert run("import", sheet, kpi)[0] == 0
    monkeypatch.chdir(kpi.parent)
    code, out, _ = run("diff", "HEAD", "kpi")
    assert "indicators[0].actuals 令和8年度 追加: 61（見込、出典: 年度末見込）" in [ln.strip() for ln in out.splitlines()]
