"""What a sheet's cells carry and mean: characters Excel cannot hold, numbers it cannot store,
percent-formatted cells, text actuals, indicator series, and a status that contradicts its progress.

Tests work on copies of plans/kama and tests/fixtures/published in real git repositories, on
real xlsx files (openpyxl) and CSV files.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from ruamel.yaml import YAML

from conftest import FIXTURES, PLANS, git
from dxplan.files.load import load_plan
from dxplan.sheets.apply import ApplyError, plan_changes
from dxplan.sheets.check import FieldEdit
from dxplan.sheets.rows import Scope, build_rows
from dxplan.sheets.xlsx import write_xlsx
from test_sheet_merge import digests, run, set_cell


def _repo(tmp_path: Path, source: Path, name: str) -> Path:
    repo = tmp_path / f"repo-{name}"
    shutil.copytree(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-qm", name)
    return repo / name


@pytest.fixture
def kama(tmp_path: Path) -> Path:
    return _repo(tmp_path, PLANS / "kama", "kama")


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """tests/fixtures/published: text actuals (完了, －, a sentence) and an indicator with two series."""
    return _repo(tmp_path, FIXTURES / "published", "published")


def yaml_of(plan: Path, name: str) -> dict:
    return YAML(typ="safe").load((plan / "actions" / name).read_text(encoding="utf-8"))


K01 = "kama/1#1|2024|デジタル戦略課"


# --------------------------------------------------------------------------- characters Excel cannot hold


def test_control_characters_export_as_pictures_are_linted_and_round_trip_unchanged(kama, tmp_path):
    path = kama / "actions" / "01.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    plan: デジタルまつり 開催\n    result: ①5/19開催済 ②R7/1/26開催済\n",
                        '    plan: "デジタル\\eまつり\\0 開催"\n    result: "①5/19\\a開催済\\f"\n', 1)
    path.write_text(text, encoding="utf-8")
    git(kama.parent, "-c", "commit.gpgsign=false", "commit", "-qam", "control characters")
    assert yaml_of(kama, "01.yaml")["tasks"][0]["result"] == "①5/19\a開催済\f"

    code, out, _ = run("lint", kama, "--lang", "en")
    hits = [ln for ln in out.splitlines() if "excel-characters" in ln]
    assert len(hits) == 2
    assert "01.yaml:20:11:" in hits[0] and "tasks[0].plan holds U+001B ESC at character 5" in hits[0] and "(exported as ␛)" in hits[0]
    assert "01.yaml:21:13:" in hits[1] and "tasks[0].result holds U+0007 BEL at character 6" in hits[1]

    sheet = tmp_path / "kama.xlsx"
    code, _, err = run("export", kama, "-o", sheet)
    assert code == 0, err
    ws = load_workbook(sheet)["令和6年度"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == K01)
    assert row[8] == "デジタル␛まつり␀ 開催" and row[9] == "①5/19␇開催済␌"
    before = digests(kama)
    code, out, err = run("import", sheet, kama)
    assert code == 0, err
    assert digests(kama) == before  # the pictures are not written back over the plan's text


def test_a_number_excel_cannot_store_is_written_as_text(kama):
    loaded = load_plan(kama, positions=False)
    rows = build_rows(loaded, years=[2024])
    rows[0].values["progress"] = 10 ** 400
    rows[0].values["result"] = float("inf")
    rows[1].values["progress"] = 10 ** 5000  # beyond Python's int-to-text digit limit
    data = write_xlsx(loaded.plan, rows, Scope("kama", None, [2024]))
    ws = load_workbook(io.BytesIO(data))["令和6年度"]
    assert ws["L2"].value == str(10 ** 400) and ws["J2"].value == "inf"
    assert ws["L3"].value == "1E+5000"


# --------------------------------------------------------------------------- percent cells and status


def test_a_percent_formatted_cell_reads_as_the_percent_it_shows(kama, tmp_path):
    sheet = tmp_path / "kama.xlsx"
    assert run("export", kama, "-o", sheet)[0] == 0
    wb = load_workbook(sheet)
    ws = wb["令和6年度"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "kama/1#2|2024|デジタル戦略課")
    row[10].value = "進捗中"
    row[11].value = 0.8
    row[11].number_format = "0%"
    wb.save(sheet)
    code, out, err = run("import", sheet, kama)
    assert code == 0, err
    task = yaml_of(kama, "01.yaml")["tasks"][1]
    assert task["progress"] == 80 and task["status"] == "進捗中"


@pytest.mark.parametrize(("status", "progress", "message"), [
    ("完了", "80", "status is '完了' (done) but progress is 80%; correct one of them."),
    ("未着手", "30", "status is '未着手' (not started) but progress is 30%; correct one of them."),
])
def test_a_status_that_contradicts_its_progress_is_reported_at_its_cell(kama, tmp_path, status, progress, message):
    sheet = tmp_path / "kama.xlsx"
    assert run("export", kama, "-o", sheet)[0] == 0
    set_cell(sheet, K01, "進捗状況", status)
    where = set_cell(sheet, K01, "進捗率(%)", progress)
    code, out, err = run("import", sheet, kama, "--lang", "en")
    assert code == 0, err
    assert f"warning: {where} (進捗率(%)): {message}" in err
    task = yaml_of(kama, "01.yaml")["tasks"][0]
    assert (task["status"], task["progress"]) == (status, int(progress))
    code, out, err = run("lint", kama, "--lang", "en")
    assert message in out  # the same words lint uses


# --------------------------------------------------------------------------- text actuals and series


def test_text_actuals_are_imported_as_text(published, tmp_path):
    sheet = tmp_path / "p.csv"
    assert run("export", published, "-f", "csv", "-o", sheet)[0] == 0
    set_cell(sheet, "published/1:K1|2024", "実績値", "完了")  # a number becomes text
    set_cell(sheet, "published/1:K3|2023", "実績値", "－")  # a new text actual
    set_cell(sheet, "published/3:K2|2024", "実績値", "１２")  # text becomes a number (full-width digits)
    code, out, err = run("import", sheet, published)
    assert code == 0, err
    k = yaml_of(published, "1.yaml")["indicators"]
    assert k[0]["actuals"] == [{"fiscal_year": "令和6年度", "text": "完了"}]
    assert {"fiscal_year": "令和5年度", "text": "－"} in k[2]["actuals"]
    k2 = yaml_of(published, "3.yaml")["indicators"][1]["actuals"][0]
    assert k2["value"] == 12 and "text" not in k2


def test_each_series_is_a_row_of_its_own_and_comes_back_into_the_series(published, tmp_path):
    sheet = tmp_path / "p.xlsx"
    assert run("export", published, "-o", sheet)[0] == 0
    ws = load_workbook(sheet)["指標 令和6年度"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    headers = [c.value for c in ws[1]]
    ids, names, actual = headers.index("指標ID"), headers.index("指標名"), headers.index("実績値")
    assert rows["published/2:K1@1|2024"][ids] == "K1（小学校）" and rows["published/2:K1@2|2024"][names] == "端末の持ち帰り学習実施率（中学校）"
    assert rows["published/2:K1@2|2024"][actual] == 88.4
    set_cell(sheet, "published/2:K1@2|2024", "実績値", "90.5")
    code, out, err = run("import", sheet, published)
    assert code == 0, err
    series = yaml_of(published, "2.yaml")["indicators"][0]["series"]
    assert series[1]["actuals"] == [{"fiscal_year": "令和6年度", "value": 90.5}] and series[0]["actuals"][0]["value"] == 95.0

    before = digests(published)
    where = set_cell(sheet, "published/2:K1@1|2024", "評価", "A")
    code, out, err = run("import", sheet, published, "--lang", "en")
    assert code == 1 and f"{where} (評価): a series row takes no grade" in err
    assert digests(published) == before


# --------------------------------------------------------------------------- messages


def test_an_edit_that_would_not_validate_is_refused_in_the_commands_language(kama):
    loaded = load_plan(kama, positions=False)
    row = build_rows(loaded, years=[2024])[0]
    with pytest.raises(ApplyError) as caught:
        plan_changes([FieldEdit(row, "progress", None, "abc", "令和6年度", 2)])
    ja, en = caught.value.message("ja"), caught.value.message("en")
    assert "変更後のファイルが検査に通らないため（「tasks[0].progress」の型が違います" in ja
    assert "the edited file would not validate (" in en and "tasks[0].progress" in en


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
