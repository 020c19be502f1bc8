"""The plan's own scale in every output: the grade split per fiscal year in the report
(Markdown and HTML, same figures as `status` and `score`), plan-level indicators (飯塚市's five 成果指標), the
task-rate and target wording following the plan's period and labels, the year taken as current without an
evaluation date, indicator explanations worded in both languages, and the target column of indicator plans."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.status.counts import FOCUS_EVALUATION_DATE, FOCUS_LATEST_DATA, FOCUS_NO_DATA, FocusYear, focus_year
from dxplan.cli import app
from dxplan.fiscal import period_years
from dxplan.files.load import load_plan

from conftest import FIXTURES, PLANS, write_action

runner = CliRunner()


def run(*args) -> str:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code in (0, 1), r.output
    return r.output


def html_report(plan_dir, tmp_path) -> str:
    out = tmp_path / "report.html"
    run("report", plan_dir, "--format", "html", "-o", out)
    return out.read_text(encoding="utf-8")


def md_rows(text: str, first_cell: str) -> list[list[str]]:
    """The cells of every Markdown table row whose first cell is ``first_cell``."""
    out = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            out.append(cells[1:])
    return out


def section(text: str, heading: str) -> str:
    """The Markdown from ``heading`` to the next heading of the same or a higher level."""
    start = text.index(heading)
    level = heading.split(" ")[0]
    rest = text[start + len(heading):]
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", rest, re.M)]
    return heading + (rest[: ends[0]] if ends else rest)


class Cells(HTMLParser):
    """Rows of the table with the given id: [th/td texts], and the attributes of the <rect> inside an element id."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def html_table(html: str, table_id: str) -> list[list[str]]:
    p = Cells(table_id)
    p.feed(html)
    return p.rows


def kpi_copy(tmp_path, *, drop_evaluation_date=False, drop_results=False):
    """A copy of tests/fixtures/kpi, optionally without its evaluation date and/or without any actual or grade."""
    dest = tmp_path / "kpi"
    shutil.copytree(FIXTURES / "kpi", dest)
    yaml = YAML()
    if drop_evaluation_date:
        plan = dest / "plan.yaml"
        plan.write_text("\n".join(ln for ln in plan.read_text(encoding="utf-8").splitlines() if not ln.startswith("evaluation_date:")) + "\n", encoding="utf-8")
    if drop_results:
        for path in (dest / "actions").glob("*.yaml"):
            data = yaml.load(path.read_text(encoding="utf-8"))
            for ind in data["indicators"]:
                ind.pop("actuals", None)
                ind.pop("grades", None)
            with path.open("w", encoding="utf-8") as f:
                yaml.dump(data, f)
    return dest


# --------------------------------------------------------------------------- 1. grade split per year

# hand count of tests/fixtures/kpi (as in tests/test_indicators.py):
# R6 K1 B, K2 C, K3 A, K4 B, K5 A, K6 —; R7 K1 C, K2 A, K3 B, K4 D, K5 A, K6 D; R8 nothing graded
R6 = ["2 (40.00%)", "2 (40.00%)", "1 (20.00%)", "0 (0.00%)", "5", "1"]
R7 = ["2 (33.33%)", "1 (16.67%)", "1 (16.67%)", "2 (33.33%)", "6", "0"]
R8 = ["0", "0", "0", "0", "0", "6"]


def test_markdown_report_summary_shows_the_grade_split_per_year():
    text = run("report", FIXTURES / "kpi", "--format", "md")
    summary = section(text, "## 進捗の概要")
    assert "進捗状況・実施結果の記入はまだありません" not in summary  # indicator actuals and grades are results
    grades = section(summary, "### 年度別 評価の内訳（指標）")
    assert md_rows(grades, "年度") == [["A 目標より進んでいる", "B 目標どおり", "C 目標より遅れている", "D 評価できない", "評価済み", "未評価"]]
    assert md_rows(grades, "令和6年度") == [R6]
    assert md_rows(grades, "令和7年度") == [R7]
    assert md_rows(grades, "令和8年度") == [R8]
    # no task rows at all: no table of zeros, and the rates carry no borrowed label
    assert md_rows(summary, "評価") == [["アクション数", "割合"]]
    assert md_rows(summary, "達成率あり（評価尺度なし）") == [["3", "100.0%"]]
    assert "評価尺度なし: 計画は達成率の区分（rating_scale）を宣言していないため" in summary
    en = section(run("report", FIXTURES / "kpi", "--format", "md", "--lang", "en"), "## summary of progress")
    assert md_rows(en, "FY2024") == [R6] and md_rows(en, "FY2026") == [R8]
    assert "### grades per fiscal year (indicators)" in en


def test_html_report_summary_has_the_grade_table_and_chart(tmp_path):
    html = html_report(FIXTURES / "kpi", tmp_path)
    rows = html_table(html, "summary-grades")
    assert rows[0] == ["年度", "A目標より進んでいる", "B目標どおり", "C目標より遅れている", "D評価できない", "評価済み", "未評価"]  # grade<br>meaning
    assert rows[1] == ["令和6年度", *R6] and rows[2] == ["令和7年度", *R7] and rows[3] == ["令和8年度", *R8]
    chart = html[html.index('id="chart-grades"'):]
    chart = chart[: chart.index("</figure>")]
    # R6: A 40 %, B 40 %, C 20 % wide, D has no segment; R7 starts with A at 33.333 %
    assert re.findall(r'x="([\d.]+)%" y="0" width="([\d.]+)%" height="22"><title>(\w) ', chart)[:4] == [
        ("0.000", "40.000", "A"), ("40.000", "40.000", "B"), ("80.000", "20.000", "C"), ("0.000", "33.333", "A")]
    assert "令和6年度: A 2件 40.00%、B 2件 40.00%、C 1件 20.00%、D 0件 0.00% (未評価: 1 件（割合に含めない）)" in chart
    assert "令和8年度: 評価なし (未評価: 6 件（割合に含めない）)" in chart


def test_status_and_score_json_carry_the_same_grade_split():
    status = json.loads(run("status", FIXTURES / "kpi", "--format", "json"))
    score = json.loads(run("score", FIXTURES / "kpi", "--format", "json"))
    split = [(g["fiscal_year"], g["total"]["counts"], g["total"]["shares"], g["total"]["not_graded"]) for g in score["grades"]]
    assert split == [
        (2024, {"A": 2, "B": 2, "C": 1, "D": 0}, {"A": 40.0, "B": 40.0, "C": 20.0, "D": 0.0}, 1),
        (2025, {"A": 2, "B": 1, "C": 1, "D": 2}, {"A": 33.33, "B": 16.67, "C": 16.67, "D": 33.33}, 0),
        (2026, {"A": 0, "B": 0, "C": 0, "D": 0}, {"A": None, "B": None, "C": None, "D": None}, 6),
    ]
    assert score["grades"] == status["grades"]
    assert score["grades"][0]["scale"][3] == {"grade": "D", "meaning": "評価できない"}
    assert "grades" not in json.loads(run("score", PLANS / "kama", "--format", "json"))  # no grade scale, no split


# --------------------------------------------------------------------------- 2. plan-level indicators


def test_iizuka_plan_level_indicators_in_the_markdown_report():
    text = run("report", PLANS / "iizuka", "--format", "md")
    block = section(text, "### 計画全体の成果指標（5）")
    assert md_rows(block, "No") == [["指標", "単位", "基準値", "令和6年度", "令和7年度", "令和8年度", "最終目標", "達成率"]]
    (k1,) = md_rows(block, "K1")
    assert k1 == ["飯塚市民意識調査（令和2(2020)年度実施）「効果的・効率的な行政経営の推進」における満足度評価の「満足」「やや満足」の割合",
                  "%", "6.8%（令和2年度）", "—", "—", "—", "上昇", "数値目標なし"]
    # K4's baseline as 003 prints it, 「7.0 %」: the precision the source wrote
    assert [md_rows(block, k)[0][2] for k in ("K2", "K3", "K4", "K5")] == ["7.3%（令和2年度）", "4.2%（令和2年度）", "7.0%（令和2年度）", "47.89%（令和元年度）"]
    assert text.index("### 計画全体の成果指標") < text.index("## 年度別の進捗状況")  # in the summary


def test_iizuka_plan_level_indicators_in_html_and_status(tmp_path):
    rows = html_table(html_report(PLANS / "iizuka", tmp_path), "summary-plan-indicators")
    assert [r[0] for r in rows[1:]] == ["K1", "K2", "K3", "K4", "K5"]
    assert rows[5][2:] == ["%", "47.89%（令和元年度）", "—", "—", "—", "上昇", "数値目標なし"]
    data = json.loads(run("status", PLANS / "iizuka", "--by", "indicator", "--format", "json"))
    plan_level = [(r["id"], r["baseline"], r["overall"]["status"]) for r in data["indicators"] if r["action"] is None]
    assert plan_level == [("K1", 6.8, "not_applicable"), ("K2", 7.3, "not_applicable"), ("K3", 4.2, "not_applicable"),
                          ("K4", 7.0, "not_applicable"), ("K5", 47.89, "not_applicable")]
    table = run("status", PLANS / "iizuka", "--by", "indicator")
    assert sum(1 for line in table.splitlines() if line.startswith("│ 計画") and "上昇" in line) == 5  # the target as written


# --------------------------------------------------------------------------- 3. wording follows the plan


def test_task_rate_wording_follows_the_period_and_the_target_label(mini_plan):
    plan = mini_plan / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("period_end: 令和8年度", "period_end: 令和10年度")
    plan.write_text(text + "labels: {target: 達成目標}\n", encoding="utf-8")
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\ntasks:\n"
                 "  - {fiscal_year: 令和6年度, plan: 準備, status: 完了}\n  - {fiscal_year: 令和7年度, plan: 実施, status: 未着手}\n"
                 "sources: [{file: s, location: l}]\n")
    assert period_years(2024, 2028) == 5
    out = run("score", mini_plan, "--explain")
    assert "各年度タスクの5カ年平均進捗率: 50.0%" in out and "3カ年" not in out
    assert "達成目標に対する進捗率" in out and "目標(値)" not in out
    assert "mean of yearly task progress over 5 years: 50.0%" in run("score", mini_plan, "--explain", "--lang", "en")


def test_kama_keeps_its_wording_and_kashima_says_two_years():
    kama = run("score", PLANS / "kama", "--explain", "--action", "6")
    assert "目標(値)に対する進捗率" in kama and "各年度タスクの3カ年平均進捗率" in kama
    kashima = run("score", PLANS / "kashima", "--explain", "--action", "9")
    assert "達成目標に対する進捗率" in kashima and "各年度タスクの2カ年平均進捗率" in kashima
    assert "計画は達成率の区分（rating_scale）を宣言していません" in kashima


def test_a_plan_without_labels_says_target_and_without_a_scale_says_so():
    text = run("report", FIXTURES / "kpi", "--format", "md")
    assert md_rows(text, "1")[0][:6] == ["[窓口手続のオンライン化](#action-1)", "A-1 窓口", "51.4%", "評価尺度なし", "目標に対する進捗率", "51.4%"]
    assert "目標(値)" not in text
    out = run("score", FIXTURES / "kpi", "--explain", "--action", "1", "--lang", "en")
    assert "▶ rate against the target: 51.4%" in out
    assert "no scale declared" in run("score", FIXTURES / "kpi", "--lang", "en")


# --------------------------------------------------------------------------- 4. the current year without an evaluation date


def test_without_an_evaluation_date_the_latest_year_with_data_is_current(tmp_path):
    plan_dir = kpi_copy(tmp_path, drop_evaluation_date=True)
    lp = load_plan(plan_dir)
    assert focus_year(lp.plan, [la.action for la in lp.actions]) == FocusYear(2025, FOCUS_LATEST_DATA)  # R7: actuals and grades
    text = run("report", plan_dir, "--format", "md")
    assert "評価日の指定がありません。記録のある最新の年度（令和7年度）を現在の年度とします。" in section(text, "## 進捗の概要")
    data = json.loads(run("status", plan_dir, "--by", "indicator", "--format", "json"))
    assert (data["fiscal_year"], data["year_chosen_by"]) == (2025, "latest_data")
    assert "No evaluation date: 令和7年度, the latest fiscal year with recorded results" in run("status", plan_dir, "--by", "indicator", "--lang", "en")


def test_plans_without_results_say_which_year_is_current():
    kashima = load_plan(PLANS / "kashima")
    assert focus_year(kashima.plan, [la.action for la in kashima.actions]) == FocusYear(2023, FOCUS_NO_DATA)
    assert "評価日の指定がなく、実績の記録もまだありません。計画の初年度（令和5年度）を現在の年度とします。" in run("report", PLANS / "kashima", "--format", "md")
    assert "計画の初年度（令和6年度）を現在の年度とします。" in run("report", PLANS / "iizuka", "--format", "md")
    combined = run("status", PLANS / "kashima", PLANS / "kama")
    assert "鹿島市: 評価日の指定がなく、実績の記録もまだありません。計画の初年度（令和5年度）を現在の年度とします。" in combined
    assert "嘉麻市:" not in combined  # an evaluation date: nothing to say
    kpi = load_plan(FIXTURES / "kpi")
    assert focus_year(kpi.plan, [la.action for la in kpi.actions]) == FocusYear(2025, FOCUS_EVALUATION_DATE)
    assert "評価日の指定" not in run("report", FIXTURES / "kpi", "--format", "md")


# --------------------------------------------------------------------------- 5. explanations worded


def test_indicator_explanation_words_measure_accumulation_and_direction():
    ja = run("score", FIXTURES / "kpi", "--explain", "--action", "2")
    assert "指標 K4 窓口の平均待ち時間: 水準、累計、低いほどよい、基準値 40分" in ja
    assert "指標 K3 電子申請の利用率: 水準、累計、高いほどよい、基準値 0%" in ja
    en = run("score", FIXTURES / "kpi", "--explain", "--action", "1", "--lang", "en")
    assert "indicator K2 出前講座の開催回数: measured as a count, each year on its own, higher is better, baseline 0回" in en
    for raw in ("level", "cumulative", "per_year", "direction higher", "direction lower"):
        assert raw not in ja
    assert "per_year" not in en and "direction higher" not in en
    kama001 = run("score", FIXTURES / "kama001", "--explain", "--action", "6")
    assert "（増加量、目標値 30%、基準値 0%）" in kama001 and "kind increase" not in kama001 and "種類" not in kama001


# --------------------------------------------------------------------------- 6. the target column of indicator plans


def test_target_column_shows_the_indicators_of_actions_without_a_headline_target(tmp_path):
    plan_dir = kpi_copy(tmp_path, drop_results=True)  # no actual, no grade: the plan's targets are shown
    text = run("report", plan_dir, "--format", "md")
    cats = section(text, "## 区分別のアクション")
    assert md_rows(cats, "No") == [["アクション名", "区分", "目標", "担い手"]]
    assert md_rows(cats, "1")[0][2] == "K1 オンラインで申請できる手続の数: 80手続（令和8年度）<br>K2 出前講座の開催回数: 年30回"
    assert md_rows(cats, "2")[0][2] == "K3 電子申請の利用率: 利用率60%（令和8年度）<br>K4 窓口の平均待ち時間: 平均待ち時間20分（令和8年度）"
    depts = section(text, "## 担当課別のアクション")
    assert md_rows(depts, "3")[0][2] == "K5 電子申請件数（令和5年度比）: 申請数2倍（令和7年度）<br>K6 説明会の参加者数: 参加者100人（令和6年度）"
    html = html_report(plan_dir, tmp_path)
    assert "<td>K5 電子申請件数（令和5年度比）: 申請数2倍（令和7年度）<br>K6 説明会の参加者数: 参加者100人（令和6年度）</td>" in html


def test_target_column_is_left_out_when_no_action_has_a_target(mini_plan):
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\ntasks:\n"
                 "  - {fiscal_year: 令和6年度, plan: 準備}\nsources: [{file: s, location: l}]\n")
    text = run("report", mini_plan, "--format", "md")
    assert md_rows(section(text, "## 区分別のアクション"), "No") == [["アクション名", "区分", "担い手"]]
    assert md_rows(section(text, "## 担当課別のアクション"), "No") == [["アクション名", "タスク行（全年度）"]]


def test_effect_table_words_kind_and_unit_in_the_language():
    """飯塚市's effect sums in the terminal: 業務量（時間） in Japanese, "workload (hours)" in English — no Japanese
    unit of dxplan's own in the English table (plan data such as department names stays as written)."""
    ja = run("status", str(PLANS / "iizuka"))
    en = run("status", str(PLANS / "iizuka"), "--lang", "en")
    assert "業務量（時間）" in ja and "財政効果（千円）" in ja
    assert "workload (hours)" in en and "fiscal effect (thousand yen)" in en
    assert "（時間）" not in en and "（千円）" not in en
