"""The source's words on an indicator that its table has no cell for — the indicator's note, notes on the
baseline, yearly targets and actuals, a grade's reason, grader and note — print beside what they annotate,
in Markdown and HTML (the PDF prints the HTML)."""

from __future__ import annotations

from typer.testing import CliRunner

from dxplan.cli import app
from conftest import write_action

runner = CliRunner()

ACTION = """\
id: '1'
title: 例
category: A-1
owners: [総務課]
indicators:
  - id: K1
    name: 申請件数
    unit: 件
    note: 指標の備考ＮＯＴＥ
    baseline: {value: 10, fiscal_year: 令和5年度, note: 基準値の注ＢＡＳＥ}
    targets:
      - {fiscal_year: 令和6年度, value: 20, note: 目標の注ＴＡＲＧＥＴ}
    actuals:
      - {fiscal_year: 令和6年度, value: 15, note: 実績の注ＡＣＴＵＡＬ}
    grades:
      - {fiscal_year: 令和6年度, grade: B, by: 総務課長ＢＹ, reason: 評価の理由ＲＥＡＳＯＮ, note: 評価の注ＧＲＡＤＥ}
sources: [{file: seed.txt, location: line 1}]
"""

EXPECTED = [
    "備考: 指標の備考ＮＯＴＥ",
    "基準値: 基準値の注ＢＡＳＥ",
    "令和6年度 目標: 目標の注ＴＡＲＧＥＴ",
    "令和6年度 実績: 実績の注ＡＣＴＵＡＬ",
    "令和6年度 評価の理由: 評価の理由ＲＥＡＳＯＮ",
    "令和6年度 評価（評価者）: 総務課長ＢＹ",
    "令和6年度 評価: 評価の注ＧＲＡＤＥ",
]


def test_indicator_notes_print_after_the_indicator_table_in_markdown_and_html(mini_plan, tmp_path):
    write_action(mini_plan, "01.yaml", ACTION)
    env = {"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""}
    md = runner.invoke(app, ["report", str(mini_plan), "--sections", "sheets"], env=env)
    assert md.exit_code == 0, md.output
    block = md.output.split("#### 指標 K1: 申請件数", 1)[1]
    lines = [ln[2:] for ln in block.splitlines() if ln.startswith("- ")][: len(EXPECTED)]
    assert lines == EXPECTED
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(mini_plan), "--format", "html", "--sections", "sheets", "-o", str(out)], env=env)
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    after_table = html.split('<table class="indicator">', 1)[1].split("</table>", 1)[1]
    assert after_table.startswith("\n<ul class=\"row-notes\">" + "".join(f"<li>{x}</li>" for x in EXPECTED) + "</ul>")
