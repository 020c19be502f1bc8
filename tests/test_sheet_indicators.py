"""Indicator rows of the department sheet: targets read-only; actuals, their kind and source, and grades come back.

Every test works on a copy of tests/fixtures/kpi (A–D grades, six KPIs) or plans/kashima (yearly
targets, no actuals, no grade scale) in a real git repository, on real xlsx files (openpyxl) and
CSV files (UTF-8 with BOM as exported, cp932 as Excel saves them).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import FIXTURES, PLANS, git
from dxplan.files.load import load_plan
from test_sheets import digests, numstat, run


def _repo(tmp_path: Path, source: Path, name: str) -> Path:
    repo = tmp_path / f"repo-{name}"
    shutil.copytree(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", name)
    return repo / name


@pytest.fixture
def kpi(tmp_path: Path) -> Path:
    """tests/fixtures/kpi committed in a fresh repository; returns the plan folder."""
    return _repo(tmp_path, FIXTURES / "kpi", "kpi")


@pytest.fixture
def kashima(tmp_path: Path) -> Path:
    """plans/kashima committed in a fresh repository; returns the plan folder."""
    return _repo(tmp_path, PLANS / "kashima", "kashima")


def indicators(plan: Path) -> dict[str, list[dict]]:
    """Every action's indicators as plain data (the loaded model), by file name."""
    loaded = load_plan(plan, positions=False)
    return {la.doc.path.name: [i.model_dump(mode="json") for i in la.action.indicators] for la in loaded.actions}


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


# --------------------------------------------------------------------------- export


def test_xlsx_indicator_sheets_grade_dropdown_and_locks(kpi, tmp_path):
    out = tmp_path / "kpi.xlsx"
    code, _, err = run("export", kpi, "-o", out, "--lang", "en")
    assert code == 0 and "kpi.xlsx: 18 indicator row(s) written" in err and "task row" not in err
    wb = load_workbook(out)
    # the fixture has no task rows: only the indicator sheets, one per fiscal year
    assert wb.sheetnames == ["指標 令和6年度", "指標 令和7年度", "指標 令和8年度", "dxplan_base"]
    ws = wb["指標 令和7年度"]
    headers = [c.value for c in ws[1]]
    assert json.loads(headers[0]) == {"dxplan": 4, "plan": "kpi", "department": None, "years": [2024, 2025, 2026]}
    assert headers[1:] == ["アクション番号", "アクション名称", "大区分", "中区分", "年度", "担当課", "共同担当", "指標ID", "指標名",
                           "単位", "基準値", "年度目標", "最終目標", "実績値", "実績・見込", "出典", "評価"]
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in rows] == ["kpi/1:K1|2025", "kpi/1:K2|2025", "kpi/2:K3|2025", "kpi/2:K4|2025", "kpi/3:K5|2025", "kpi/3:K6|2025"]
    assert rows[0][1:] == [1, "窓口手続のオンライン化", "行政手続", "窓口", "令和7年度", "市民課", None, "K1", "オンラインで申請できる手続の数",
                           "手続", 10, "50手続", None, 46, "見込", "年度末見込", "C"]
    assert rows[4][14:] == [1.8, "実績", None, "A"] and rows[4][13] == "申請数2倍"
    assert rows[5][14:] == [None, None, None, "D"]  # K6: a grade without an actual
    assert rows[2][6:8] == ["総務課・市民課", "共同"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists == {"R2:R7": '"A,B,C,D"', "P2:P7": '"実績,見込"'}
    second = ws[2]
    assert {c.column_letter for c in second if c.protection.locked is False} == {"O", "P", "Q", "R"}
    assert second[12].fill.fgColor.rgb.endswith("E7E6E6") and second[12].protection.locked is True  # 年度目標
    assert second[14].fill.fill_type is None
    assert ws.column_dimensions["A"].hidden is True and ws.freeze_panes == "B2" and ws.protection.sheet is True


def test_kashima_export_keeps_task_sheets_and_its_labels_without_a_grade_column(kashima, tmp_path):
    out = tmp_path / "k.xlsx"
    assert run("export", kashima, "-d", "市民課", "-o", out)[0] == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["令和5年度", "令和6年度", "指標 令和5年度", "指標 令和6年度", "dxplan_base"]
    ws = wb["指標 令和6年度"]
    assert [c.value for c in ws[1]][3:8] == ["柱", "区分", "年度", "担当課", "共同担当"]
    assert [c.value for c in ws[1]][-4:] == ["最終目標", "実績値", "実績・見込", "出典"]  # no grade_scale: no 評価
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["kashima/4:I1|2024", "kashima/4:I2|2024"]
    assert ws["M2"].value == "令和6年度総交付枚数の 住民票と印鑑登録証明書：25% のコンビニ交付を目指す。"
    assert [dv.formula1 for dv in ws.data_validations.dataValidation] == ['"実績,見込"']


def test_csv_holds_task_and_indicator_rows_and_json_has_schema_2(kashima, kpi, tmp_path):
    out = tmp_path / "k.csv"
    assert run("export", kashima, "-f", "csv", "-o", out)[0] == 0
    rows = csv_rows(out)
    header = rows[0]
    assert header[7:13] == ["共同担当", "取組事項", "実施", "進捗状況", "進捗率(%)", "達成目標"]
    assert header[13:] == ["指標ID", "指標名", "単位", "基準値", "年度目標", "最終目標", "実績値", "実績・見込", "出典", "dxplan:base"]
    tasks = [r for r in rows[1:] if "#" in r[0]]
    inds = [r for r in rows[1:] if "#" not in r[0]]
    assert len(tasks) == 260 and len(inds) == 20 and rows[-len(inds):] == inds  # indicator rows after the task rows
    assert inds[0][:2] == ["kashima/4:I1|2023", "4"] and inds[0][8:13] == [""] * 5 and inds[0][17] == "令和5年度総交付枚数の 住民票と印鑑登録証明書：20% のコンビニ交付を目指す。"
    assert tasks[0][13:-1] == [""] * 9 and json.loads(tasks[0][-1]) == {"result": None, "status": None, "progress": None}
    code, text, _ = run("export", kpi, "-f", "json", "-d", "総務課")
    data = json.loads(text)
    assert data["schema_version"] == 4 and data["plan"]["grades"] == ["A", "B", "C", "D"] and data["rows"] == []
    assert [r["key"] for r in data["indicator_rows"]][:3] == ["kpi/2:K3|2024", "kpi/2:K3|2025", "kpi/2:K3|2026"]
    k3 = data["indicator_rows"][1]
    assert (k3["actual"], k3["actual_kind"], k3["grade"], k3["fiscal_year_number"], k3["joint"]) == (45, "actual", "B", 2025, True)
    assert data["indicator_rows"][2]["year_target"] == "利用率60%" and data["indicator_rows"][2]["year_target_value"] == 60
    assert len(data["indicator_rows"]) == 4 * 3 and [c["field"] for c in data["indicator_columns"] if c["editable"]] == [
        "actual", "actual_kind", "actual_source", "grade"]


# --------------------------------------------------------------------------- import: unchanged


@pytest.mark.parametrize("plan", ["kpi", "kashima"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "cp932"])
def test_unchanged_sheet_changes_no_byte(request, tmp_path, plan, fmt):
    root = request.getfixturevalue(plan)
    out = tmp_path / f"all.{'csv' if fmt == 'cp932' else fmt}"
    assert run("export", root, "-f", "csv" if fmt == "cp932" else fmt, "-o", out)[0] == 0
    if fmt == "cp932":  # as Excel on Japanese Windows saves it: characters outside cp932 become "?"
        rows = csv_rows(out)
        with out.open("w", encoding="cp932", errors="replace", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
        if plan == "kashima":  # 15.yaml's 实 and the en dashes of 12/30.yaml come back as "?"
            assert "試験的?施" in out.read_bytes().decode("cp932")
    before = digests(root)
    code, stdout, err = run("import", out, root, "--lang", "en")
    assert code == 0, err
    n = {"kpi": 18, "kashima": 280}[plan]
    assert f"{n} row(s) read; the sheet matches the plan, nothing to change" in stdout
    assert digests(root) == before
    assert git(root.parent, "status", "--porcelain", "--", plan) == ""


# --------------------------------------------------------------------------- import: changes


def test_one_actual_and_one_grade_change_exactly_those_fields(kpi, tmp_path):
    sheet = tmp_path / "shimin.xlsx"
    assert run("export", kpi, "-d", "市民課", "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["指標 令和6年度"]
    assert (ws["A2"].value, ws["O2"].value) == ("kpi/1:K1|2024", 28)
    assert (ws["A4"].value, ws["R4"].value) == ("kpi/2:K3|2024", "A")
    ws["O2"] = 29  # K1 actual 令和6年度: 28 → 29
    ws["R4"] = "B"  # K3 grade 令和6年度: A → B
    wb.save(sheet)
    before = indicators(kpi)
    code, out, _ = run("import", sheet, kpi, "--dry-run", "--lang", "en")
    assert code == 0
    assert "2 field(s) in 2 file(s) would change" in out
    assert "~ 1 窓口手続のオンライン化: fields indicators" in out
    assert "indicators[0].actuals[0].value: 28 → 29" in out
    assert "~ 2 電子申請の利用促進: fields indicators" in out and "indicators[0].grades[0].grade: 「A」→「B」" in out
    assert git(kpi.parent, "status", "--porcelain", "--", "kpi") == ""  # the dry run wrote nothing
    code, out, _ = run("import", sheet, kpi)
    assert code == 0, out
    expected = json.loads(json.dumps(before))
    expected["1.yaml"][0]["actuals"][0]["value"] = 29.0
    expected["2.yaml"][0]["grades"][0]["grade"] = "B"
    assert indicators(kpi) == expected
    assert numstat(kpi) == {"kpi/actions/1.yaml": (1, 1), "kpi/actions/2.yaml": (1, 1)}
    assert "- {fiscal_year: 令和6年度, value: 29, source: 所管課報告}" in (kpi / "actions/1.yaml").read_text(encoding="utf-8")
    snapshot = digests(kpi)  # the same sheet again changes nothing more
    assert run("import", sheet, kpi)[0] == 0 and digests(kpi) == snapshot


def test_new_actual_forecast_emptied_grade_and_new_actuals_list(kashima, kpi, tmp_path):
    sheet = tmp_path / "k.xlsx"
    assert run("export", kashima, "-d", "市民課", "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["指標 令和5年度"]
    ws["O2"], ws["Q2"] = "１８．５％", "窓口統計"  # full-width, as typed with a Japanese IME
    wb.save(sheet)
    code, out, _ = run("import", sheet, kashima)
    assert code == 0, out
    text = (kashima / "actions/04.yaml").read_text(encoding="utf-8")
    assert ("      - {fiscal_year: 令和6年度, value: 25, text: 令和6年度総交付枚数の 住民票と印鑑登録証明書：25% のコンビニ交付を目指す。}\n"
            "    actuals:\n"
            "      - {fiscal_year: 令和5年度, value: 18.5, source: 窓口統計}\n"
            "  - id: I2\n") in text
    assert numstat(kashima) == {"kashima/actions/04.yaml": (2, 0)}

    sheet = tmp_path / "kpi.xlsx"
    assert run("export", kpi, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["指標 令和8年度"]
    assert ws["A2"].value == "kpi/1:K1|2026" and ws["O2"].value is None
    ws["O2"], ws["P2"] = 61, "見込"  # a new forecast for a year without an actual
    wb["指標 令和7年度"]["R7"] = None  # K6 grade D removed
    wb.save(sheet)
    assert run("import", sheet, kpi)[0] == 0
    got = indicators(kpi)
    assert got["1.yaml"][0]["actuals"][2] == {"fiscal_year": 2026, "value": 61.0, "text": None, "kind": "forecast", "date": None, "source": None, "note": None}
    assert got["3.yaml"][1]["grades"] == []
    assert numstat(kpi) == {"kpi/actions/1.yaml": (1, 0), "kpi/actions/3.yaml": (0, 2)}
    assert "      - {fiscal_year: 令和8年度, value: 61, kind: forecast}\n    grades:" in (kpi / "actions/1.yaml").read_text(encoding="utf-8")
    assert "grades" not in (kpi / "actions/3.yaml").read_text(encoding="utf-8").split("id: K6")[1]


def test_bad_grade_and_edited_target_change_nothing_and_are_positioned(kpi, tmp_path):
    sheet = tmp_path / "kpi.xlsx"
    assert run("export", kpi, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["指標 令和6年度"]
    ws["O2"] = 29  # a valid edit, refused with the rest
    ws["R3"] = "b"  # a grade the scale does not have
    ws["M2"] = "35手続"  # the target is read-only
    ws["O4"] = True  # TRUE is not an actual (text such as 約40 is a text actual)
    wb["指標 令和7年度"]["P2"] = "予定"  # not 実績/見込
    wb.save(sheet)
    before = digests(kpi)
    code, _, err = run("import", sheet, kpi, "--lang", "en")
    assert code == 1
    assert digests(kpi) == before
    assert "指標 令和6年度!R3 (評価): grade 'b' is not one of the plan's grades (A、B、C、D). Did you mean 'B'?" in err
    assert "指標 令和6年度!M2 (年度目標): read-only column edited: the plan has '30手続', the sheet '35手続'" in err
    assert "指標 令和6年度!O4 (実績値): 'True' is not a number" in err
    assert "指標 令和7年度!P2 (実績・見込): '予定' is not a kind of actual" in err
    assert "4 problem(s) in the sheet; nothing was changed" in err
    code, _, err = run("import", sheet, kpi)
    assert "指標 令和6年度!R3（評価）: 評価「b」は計画の評価（A、B、C、D）にありません。もしかして「B」？" in err
    assert "指標 令和6年度!M2（年度目標）: 編集できない列が変更されています" in err and "何も変更していません" in err


def test_cp932_csv_unknown_duplicated_and_missing_indicator_rows(kpi, tmp_path):
    sheet = tmp_path / "somu.csv"
    assert run("export", kpi, "-f", "csv", "-d", "総務課", "-o", sheet)[0] == 0
    rows = csv_rows(sheet)
    header = rows[0]
    actual, grade = header.index("実績値"), header.index("評価")
    assert rows[2][0] == "kpi/2:K3|2025" and rows[2][actual] == "45"
    rows[2][actual] = "47.5"
    rows[4][grade] = "Ｃ"  # full-width C, read as C (K4 令和6年度: B → C)
    sjis = tmp_path / "sjis.csv"
    with sjis.open("w", encoding="cp932", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    assert run("import", sjis, kpi)[0] == 0
    got = indicators(kpi)
    assert got["2.yaml"][0]["actuals"][0]["value"] == 47.5 and got["2.yaml"][1]["grades"][0]["grade"] == "C"
    assert numstat(kpi) == {"kpi/actions/2.yaml": (2, 2)}
    git(kpi.parent, "checkout", "--", ".")

    bad = [r[:] for r in rows]
    bad[1][0] = "kpi/2:K9|2024"  # no such indicator
    bad.append(rows[3])  # a row given twice
    dup = tmp_path / "dup.csv"
    with dup.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(bad)
    code, _, err = run("import", dup, kpi, "--lang", "en")
    assert code == 1
    assert "dup.csv!A2 (行キー): unknown row key 'kpi/2:K9|2024': no such indicator and fiscal year in the plan's actions" in err
    assert "dup.csv!A14 (行キー): row key given twice (first at dup.csv row 4)" in err
    assert "row missing from the sheet: action 2 indicator K3 (令和6年度, '電子申請の利用率'), key kpi/2:K3|2024" in err
    assert git(kpi.parent, "status", "--porcelain", "--", "kpi") == ""


def test_task_column_filled_on_an_indicator_row_is_refused(kashima, tmp_path):
    sheet = tmp_path / "k.csv"
    assert run("export", kashima, "-f", "csv", "-d", "市民課", "--year", "R5", "-o", sheet)[0] == 0
    rows = csv_rows(sheet)
    status = rows[0].index("進捗状況")
    n = next(i for i, r in enumerate(rows) if r[0] == "kashima/4:I1|2023")
    rows[n][status] = "完了"
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    code, _, err = run("import", sheet, kashima, "--lang", "en")
    assert code == 1
    assert f"k.csv!K{n + 1} (進捗状況): an indicator row has no value in this column; leave it empty" in err


# --------------------------------------------------------------------------- LibreOffice


def test_indicator_sheet_opens_in_libreoffice_with_the_same_cells(kpi, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc")
    sheet = tmp_path / "shimin.xlsx"
    assert run("export", kpi, "-d", "市民課", "-o", sheet)[0] == 0
    profile = tmp_path / "lo-profile"
    # token 12 = -1: every sheet to its own file, <name>-<sheet>.csv (LibreOffice 7.2 and later)
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(tmp_path / "lo"), str(sheet)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = tmp_path / "lo" / "shimin-指標 令和7年度.csv"
    assert proc.returncode == 0 and converted.is_file(), (proc.stderr, list((tmp_path / "lo").glob("*")))
    lo_rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8-sig"), newline="")))
    ws = load_workbook(sheet)["指標 令和7年度"]
    ours = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    assert lo_rows == ours
    assert lo_rows[1][14:] == ["46", "見込", "年度末見込", "C"]
    # and the converted CSV imports back without a change
    merged = tmp_path / "merged.csv"
    all_rows = [lo_rows[0]]
    for fy in ("令和6年度", "令和7年度", "令和8年度"):
        all_rows += list(csv.reader(io.StringIO((tmp_path / "lo" / f"shimin-指標 {fy}.csv").read_text(encoding="utf-8-sig"), newline="")))[1:]
    with merged.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(all_rows)
    before = digests(kpi)
    assert run("import", merged, kpi)[0] == 0 and digests(kpi) == before
