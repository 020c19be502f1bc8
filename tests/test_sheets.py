"""dxplan export / import: the department sheet goes out as xlsx/CSV/JSON and comes back into the YAML.

Every test works on a copy of plans/kama in a real git repository and on real xlsx files
(openpyxl); the LibreOffice test converts the exported workbook with soffice when it is installed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import PLANS, git
from dxplan.cli import app
from dxplan.files.load import load_plan


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def kama(tmp_path: Path) -> Path:
    """plans/kama committed in a fresh repository; returns the plan folder."""
    repo = tmp_path / "repo"
    shutil.copytree(PLANS / "kama", repo / "kama")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-qm", "kama")
    return repo / "kama"


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.yaml"))}


def numstat(plan: Path) -> dict[str, tuple[int, int]]:
    out = git(plan.parent, "diff", "--numstat")
    return {name: (int(a), int(d)) for a, d, name in (line.split("\t") for line in out.splitlines())}


def tasks_by_file(plan: Path) -> dict[str, list[dict]]:
    loaded = load_plan(plan, positions=False)
    return {la.doc.path.name: [t.model_dump() for t in la.action.tasks] for la in loaded.actions}


def raw_tasks(plan: Path) -> list[tuple[str, int, dict]]:
    """(file, 0-based index, task) of every task row, read with plain YAML (independent of dxplan)."""
    out = []
    for path in sorted((plan / "actions").glob("*.yaml")):
        for i, task in enumerate(YAML(typ="safe").load(path.read_text(encoding="utf-8")).get("tasks", [])):
            out.append((path.name, i, task))
    return out


# --------------------------------------------------------------------------- export


def test_xlsx_layout_sheets_validation_and_locks(kama, tmp_path):
    out = tmp_path / "kama.xlsx"
    code, _, _ = run("export", kama, "-o", out)
    assert code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["令和6年度", "令和7年度", "令和8年度", "dxplan_base"]
    ws = wb["令和6年度"]
    headers = [c.value for c in ws[1]]
    assert headers[1:] == ["アクション番号", "アクション名称", "大区分", "中区分", "年度", "担当課", "共同担当", "計画",
                           "実施 (年度末見込)", "進捗状況", "進捗率(%)", "目標(値)"]
    assert json.loads(headers[0]) == {"dxplan": 4, "plan": "kama", "department": None, "years": [2024, 2025, 2026]}
    r6_rows = [t for _, _, t in raw_tasks(kama) if t["fiscal_year"] == "令和6年度"]
    assert ws.max_row - 1 == len(r6_rows) == 152
    assert ws.freeze_panes == "B2"
    assert ws.column_dimensions["A"].hidden is True
    assert ws.protection.sheet is True
    assert ws.column_dimensions["J"].width > ws.column_dimensions["F"].width  # result text wider than 年度
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"未着手,検討中,進捗中,完了"' and str(lists[0].sqref) == "K2:K153"
    first = ws[2]
    editable = {c.column_letter for c in first if c.protection.locked is False}
    assert editable == {"J", "K", "L"}
    assert first[8].fill.fgColor.rgb.endswith("E7E6E6") and first[9].fill.fill_type is None
    assert first[9].alignment.wrap_text is True
    assert first[0].value == "kama/1#1|2024|デジタル戦略課" and first[10].value == "完了"


def test_department_export_holds_exactly_its_rows_joint_marked(kama, tmp_path):
    out = tmp_path / "sangyo.xlsx"
    code, _, _ = run("export", kama, "--department", "産業振興課", "-o", out)
    assert code == 0
    wb = load_workbook(out)
    got = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert json.loads(ws["A1"].value)["department"] == "産業振興課"
        for row in ws.iter_rows(min_row=2, values_only=True):
            got[row[0]] = row
    expected = {(f, i): t for f, i, t in raw_tasks(kama) if "産業振興課" in (t.get("department") or "")}
    assert len(got) == len(expected) == 21
    keys = {(f"{int(k.split('/')[1].split('#')[0]):02d}.yaml", int(k.split("#")[1].split("|")[0]) - 1) for k in got}
    assert keys == set(expected)
    joint = {k for k, row in got.items() if row[7] == "共同"}
    assert len(joint) == 10 and all(got[k][6] == "デジタル戦略課・産業振興課" for k in joint)
    code, _, err = run("export", kama, "--department", "産業振興", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "産業振興課" in err  # did-you-mean


def test_csv_is_utf8_with_bom_and_json_has_a_schema_version(kama, tmp_path):
    code, _, _ = run("export", kama, "-f", "csv", "-o", tmp_path / "k.csv", "--year", "R6")
    assert code == 0
    raw = (tmp_path / "k.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + 152 and rows[1][0] == "kama/1#1|2024|デジタル戦略課" and rows[1][5] == "令和6年度"
    code, out, _ = run("export", kama, "-f", "json", "--department", "総務課")
    data = json.loads(out)
    assert data["schema_version"] == 4 and data["scope"]["department"] == "総務課"
    assert len(data["rows"]) == 9 and data["rows"][0]["fiscal_year_number"] == 2024 and data["rows"][0]["status"] == "進捗中"


# --------------------------------------------------------------------------- import


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_unchanged_sheet_changes_no_byte(kama, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    assert run("export", kama, "-f", fmt, "-o", out)[0] == 0
    before = digests(kama)
    code, stdout, _ = run("import", out, kama, "--lang", "en")
    assert code == 0 and "nothing to change" in stdout
    assert digests(kama) == before
    assert git(kama.parent, "status", "--porcelain") == ""


def test_changed_cells_change_exactly_those_fields(kama, tmp_path):
    sheet = tmp_path / "somu.xlsx"
    assert run("export", kama, "-d", "総務課", "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    assert ws["A2"].value == "kama/40#3|2024|総務課" and ws["A3"].value == "kama/43#2|2024|総務課"
    ws["K2"] = "完了"  # status 進捗中 → 完了
    ws["L2"] = 80  # progress: new field
    ws["J3"] = "電話設備の仕様を決定した。"  # result text
    wb.save(sheet)
    before = tasks_by_file(kama)
    code, out, _ = run("import", sheet, kama, "--dry-run")
    assert code == 0
    assert "40 文書の電子化による保管文書削減" in out and "進捗状況 進捗中 → 完了; 進捗率 — → 80%" in out
    assert "電話設備の仕様を決定した。" in out
    assert git(kama.parent, "status", "--porcelain") == ""  # dry run writes nothing
    code, out, _ = run("import", sheet, kama)
    assert code == 0, out
    after = tasks_by_file(kama)
    expected = json.loads(json.dumps(before))
    expected["40.yaml"][2].update(status="完了", progress=80.0)
    expected["43.yaml"][1].update(result="電話設備の仕様を決定した。")
    assert after == expected
    assert numstat(kama) == {"kama/actions/40.yaml": (2, 1), "kama/actions/43.yaml": (1, 1)}
    # importing the same sheet again changes nothing more
    snapshot = digests(kama)
    assert run("import", sheet, kama)[0] == 0 and digests(kama) == snapshot


def test_bad_sheet_changes_nothing_and_reports_each_row(kama, tmp_path):
    sheet = tmp_path / "somu.xlsx"
    assert run("export", kama, "-d", "総務課", "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    deleted_key = ws["A4"].value
    ws["J2"] = "この変更も入らない"  # a valid edit, refused with the rest
    ws["K2"] = "完了済"  # a status word the plan does not have
    ws["A3"] = "kama/43#9|2024|総務課"  # an edited key
    ws.delete_rows(4)  # a deleted row
    wb["令和7年度"]["C2"] = "別の名前"  # an edited read-only column
    wb["令和7年度"]["L2"] = 120  # a percent out of range
    wb.save(sheet)
    before = digests(kama)
    code, _, err = run("import", sheet, kama, "--lang", "en")
    assert code == 1
    assert digests(kama) == before
    assert "令和6年度!K2 (進捗状況): status '完了済' is not one of the plan's words" in err and "Did you mean '完了'?" in err
    assert "令和6年度!A3 (行キー): unknown row key 'kama/43#9|2024|総務課'" in err
    assert "row missing from the sheet: action 45 task 2" in err and deleted_key in err
    assert "令和7年度!C2 (アクション名称): read-only column edited" in err
    assert "令和7年度!L2 (進捗率(%)): 120 is outside 0–100" in err
    assert "row missing from the sheet: action 43 task 2" in err  # the row whose key was edited
    assert "6 problem(s) in the sheet; nothing was changed" in err
    code, _, err = run("import", sheet, kama)
    assert "もしかして「完了」？" in err and "何も変更していません" in err


def test_duplicate_key_and_cp932_csv(kama, tmp_path):
    sheet = tmp_path / "somu.csv"
    assert run("export", kama, "-f", "csv", "-d", "総務課", "-o", sheet)[0] == 0
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
    rows[1][10] = "完了"
    sjis = tmp_path / "sjis.csv"
    with sjis.open("w", encoding="cp932", newline="") as f:  # as Excel on Japanese Windows saves it
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    assert run("import", sjis, kama)[0] == 0
    assert tasks_by_file(kama)["40.yaml"][2]["status"] == "完了"
    assert numstat(kama) == {"kama/actions/40.yaml": (1, 1)}
    dup = tmp_path / "dup.csv"
    with dup.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows + [rows[2]])
    code, _, err = run("import", dup, kama, "--lang", "en")
    assert code == 1 and "dup.csv!A11 (行キー): row key given twice (first at dup.csv row 3)" in err


# --------------------------------------------------------------------------- LibreOffice


def test_xlsx_opens_in_libreoffice_with_the_same_cells(kama, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc")
    sheet = tmp_path / "somu.xlsx"
    assert run("export", kama, "-d", "総務課", "--year", "R6", "-o", sheet)[0] == 0
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         'csv:Text - txt - csv (StarCalc):44,34,76,1', "--outdir", str(tmp_path / "lo"), str(sheet)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = tmp_path / "lo" / "somu.csv"
    assert proc.returncode == 0 and converted.is_file(), proc.stderr
    lo_rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8-sig"), newline="")))
    ws = load_workbook(sheet)["令和6年度"]
    ours = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    assert lo_rows == ours


def test_every_editable_task_column_is_a_task_field_with_a_cell_type():
    """The column table drives export, check and apply: an editable column's field must be a Task field
    (the applier writes it there), and the fields departments edit are exactly the editable columns."""
    from dxplan.model.schema import Task
    from dxplan.sheets.rows import EDITABLE, TASK_COLUMNS, columns

    editable = [c for c in TASK_COLUMNS if c.cell is not None]
    assert [c.field for c in editable] == list(EDITABLE) == ["result", "status", "progress"]
    assert set(EDITABLE) <= set(Task.model_fields)
    assert TASK_COLUMNS[0].field == "key"
    plan = load_plan(PLANS / "kama").plan
    assert [c.field for c in columns(plan) if c.editable] == list(EDITABLE)
