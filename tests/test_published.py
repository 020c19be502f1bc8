"""A published progress table read as written (tests/fixtures/published, its README.md the source table):
a grade split with a not-evaluated grade, a rate read as actual ÷ target, text actuals, a two-series row."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import FIXTURES
from dxplan.cli import app
from dxplan.files.load import load_plan
from dxplan.lint.engine import lint_paths
from dxplan.model.schema import Baseline, GradeScale, ScoringConfig
from dxplan.score.indicators import score_indicator, score_indicators
from dxplan.score.rates import NOT_APPLICABLE, OK
from dxplan.status.counts import grade_table

PUB = FIXTURES / "published"
LOADED = load_plan(PUB)
ACTIONS = {la.action.id: la.action for la in LOADED.actions}


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "240"})
    return r.exit_code, r.output


def test_fixture_loads_and_lints_clean():
    assert LOADED.problems == []
    assert [(p.rule, p.path.name) for p in lint_paths([PUB]).problems] == []


def test_grade_split_equals_the_source_tables_hand_count():
    # README.md: A 3件（37.5％）、B 3件（37.5％）、C 1件（12.5％）、D 1件（12.5％）、計8件; － 1件 outside the split
    g = grade_table(LOADED.plan, [la.action for la in LOADED.actions], 2024)
    assert g is not None
    assert g.total.grades == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert g.total.apart == {"－": 1}
    assert (g.total.graded, g.total.not_evaluated, g.total.not_graded, g.total.unknown) == (8, 1, 0, 0)
    assert [round(g.total.share(k), 1) for k in "ABCD"] == [37.5, 37.5, 12.5, 12.5]


def test_two_series_row_counts_once():
    # nine KPI rows in the source; the 小学校／中学校 row is one row with one grade (B), never two
    g = grade_table(LOADED.plan, [ACTIONS["2"]], 2024)
    assert g is not None and g.total.rows == 2 and g.total.grades["B"] == 1
    assert grade_table(LOADED.plan, [la.action for la in LOADED.actions], 2024).total.rows == 9


def test_each_series_is_rated_on_its_own():
    scores = {s.id: s for s in score_indicators(ACTIONS["2"], LOADED.plan)}
    assert list(scores) == ["K1", "K1（小学校）", "K1（中学校）", "K2"]
    assert scores["K1"].overall.status is NOT_APPLICABLE and scores["K1"].grades == {2024: "B"}
    assert (scores["K1（小学校）"].overall.shown, scores["K1（中学校）"].overall.shown) == ("95.0", "88.4")
    assert scores["K1（小学校）"].grades == {}


def test_not_evaluated_grade_is_outside_the_shares_in_status_json_and_report():
    code, out = run("status", str(PUB), "--year", "R6", "-f", "json")
    assert code == 0
    total = json.loads(out)["grades"][0]["total"]
    assert total["counts"] == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert total["shares"] == {"A": 37.5, "B": 37.5, "C": 12.5, "D": 12.5}
    assert (total["not_evaluated"], total["graded"], total["rows"]) == ({"－": 1}, 8, 9)
    code, md = run("report", str(PUB))
    assert code == 0
    assert "| 令和6年度 | 3 (37.50%) | 3 (37.50%) | 1 (12.50%) | 1 (12.50%) | 8 | 1 | 0 |" in md
    code, text = run("status", str(PUB), "--year", "R6")
    assert "評価対象外: － 1（割合に含めない）" in text


def test_ratio_read_rate_and_default_progress():
    k1 = next(i for i in ACTIONS["1"].indicators if i.id == "K1")
    s = score_indicator(k1, LOADED.plan)  # scoring.rate: ratio → 92.9 ÷ 100
    assert (s.overall.status, s.overall.shown) == (OK, "92.9")
    assert ScoringConfig().rate == "progress"
    progress = LOADED.plan.model_copy(update={"scoring": ScoringConfig(method="indicators", combine="weakest")})
    k1b = k1.model_copy(update={"baseline": Baseline(value=50.0)})
    assert score_indicator(k1b, progress).overall.shown == "85.8"  # (92.9 − 50) / (100 − 50)
    assert score_indicator(k1b, LOADED.plan).overall.shown == "92.9"  # ratio ignores the baseline


def test_rate_outside_0_100_has_its_reason_beside_it():
    code, out = run("status", str(PUB), "--year", "R6", "--by", "indicator")
    assert code == 0 and "122.4%（目標超過）" in out  # 6,120 ÷ 5,000
    code, out = run("status", str(PUB), "--year", "R6", "--by", "indicator", "--lang", "en")
    assert "122.4% (beyond the target)" in out


def test_text_actuals_are_shown_as_written_and_give_no_rate():
    k3 = next(i for i in ACTIONS["3"].indicators if i.id == "K3")
    s = score_indicator(k3, LOADED.plan)
    year = next(y for y in s.years if y.fiscal_year == 2024)
    assert (year.actual.text, year.actual.value, year.rate) == ("検討中（令和7年度に試行予定）", None, None)
    assert s.overall.status is NOT_APPLICABLE
    code, md = run("report", str(PUB))
    # columns 令和4年度, 令和5年度, 令和6年度 (the period 2023年1月〜2025年3月)
    assert "| 実績 | — | — | 検討中（令和7年度に試行予定） |" in md
    assert "| 実績 | — | — | 完了 |" in md
    code, out = run("score", str(PUB), "-f", "json")
    ind = next(i for a in json.loads(out)["actions"] if a["id"] == "1" for i in a["indicators"] if i["id"] == "K2")
    r6 = next(y for y in ind["years"] if y["fiscal_year"] == 2024)
    assert (r6["actual"], r6["actual_text"], r6["rate"], r6["status"]) == (None, "完了", None, "not_applicable")


def test_text_actuals_go_out_to_the_sheet_and_come_back_unchanged(tmp_path: Path):
    plan = tmp_path / "published"
    shutil.copytree(PUB, plan)
    out = tmp_path / "sheet.csv"
    assert run("export", str(plan), "-f", "csv", "-o", str(out))[0] == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    head = rows[0]
    row = next(r for r in rows if r[0] == "published/3:K3|2024")
    assert row[head.index("実績値")] == "検討中（令和7年度に試行予定）"
    before = (plan / "actions" / "3.yaml").read_bytes()
    code, text = run("import", str(out), str(plan))
    assert code == 0 and (plan / "actions" / "3.yaml").read_bytes() == before
    # a number written over a text actual replaces it (the text goes)
    row[head.index("実績値")] = "1"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    out.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    code, text = run("import", str(out), str(plan))
    assert code == 0, text
    k3 = next(i for i in load_plan(plan).actions[2].action.indicators if i.id == "K3")
    assert (k3.actuals[0].value, k3.actuals[0].text) == (1, None)


def test_not_evaluated_flag_on_the_scale():
    scale = LOADED.plan.grade_scale
    assert isinstance(scale, GradeScale)
    assert [g.grade for g in scale.evaluated] == ["A", "B", "C", "D"] and [g.grade for g in scale.apart] == ["－"]


# --------------------------------------------------------------------------- graded per action

PUBA = FIXTURES / "published_actions"


def test_action_grades_fixture_lints_clean_and_splits_as_its_source():
    assert [(p.rule, p.path.name) for p in lint_paths([PUBA]).problems] == []
    loaded = load_plan(PUBA)
    g = grade_table(loaded.plan, [la.action for la in loaded.actions], 2024)
    # README.md: A 1件（50.0％）、B 1件（50.0％）、計2件; －（対象外）1件 outside
    assert (g.applies_to, g.total.grades, g.total.apart) == ("action", {"A": 1, "B": 1, "C": 0, "D": 0}, {"－": 1})


def test_action_grade_is_the_label_in_score_and_on_the_report_sheet():
    code, out = run("score", str(PUBA), "-f", "json")
    labels = {a["id"]: (a["label"], a["state"]) for a in json.loads(out)["actions"]}
    # no percent scale declared: a graded action carries its grade; 対象外 (－) is no grade
    assert labels == {"1": ("B", "evaluated"), "2": ("A", "evaluated"), "3": ("評価尺度なし", "evaluated")}
    code, md = run("report", str(PUBA))
    assert "アクションの評価: 令和6年度 B（概ね順調）" in md
    assert "**評価 B（令和6年度、計画がアクションごとに付ける評価）**" in md


def test_graded_action_without_a_rate_is_not_unevaluated_nor_needs_attention(tmp_path: Path):
    plan = tmp_path / "published_actions"
    shutil.copytree(PUBA, plan)
    for n in ("2", "3"):  # without indicators: no rate; 2 graded A, 3 graded － (not evaluated)
        f = plan / "actions" / f"{n}.yaml"
        text = f.read_text(encoding="utf-8")
        f.write_text(text[: text.index("indicators:")] + text[text.index("grades:"):], encoding="utf-8")
    code, out = run("score", str(plan), "-f", "json")
    labels = {a["id"]: (a["label"], a["state"]) for a in json.loads(out)["actions"]}
    assert labels["2"] == ("A", "evaluated") and labels["3"] == ("未評価", "not_evaluated")
    code, md = run("report", str(plan))
    attention = md[md.index("### 要確認のアクション"):].split("###")[1]
    assert "窓口のデジタル化" in attention and "学校のICT活用" not in attention


def test_indicator_grades_in_a_plan_graded_per_action_are_warned_where_they_stand(tmp_path: Path):
    plan = tmp_path / "published"
    shutil.copytree(PUB, plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(text.replace("applies_to: indicator", "applies_to: action"), encoding="utf-8")
    found = [(p.rule, p.severity, p.path.name, p.line, p.column) for p in lint_paths([plan]).problems]
    assert len(found) == 9 and found[0] == ("grade-ignored", "warning", "1.yaml", 14, 37)


def test_final_target_counts_in_its_deadline_year():
    # tests/fixtures/kpi K5: target_text 申請数2倍, target_value 2, deadline 令和7年度, actual R7 1.8 (baseline 1)
    kpi = load_plan(FIXTURES / "kpi")
    k5 = next(i for la in kpi.actions for i in la.action.indicators if i.id == "K5")
    years = {y.fiscal_year: (y.target, y.status.value, y.shown) for y in score_indicator(k5, kpi.plan).years}
    assert years == {2024: (None, "not_applicable", None), 2025: (2.0, "ok", "80.0"), 2026: (None, "not_applicable", None)}
    code, md = run("report", str(FIXTURES / "kpi"))
    assert "| 目標 | — | 2倍 申請数2倍 | — | \n| 実績 | — | 1.8倍 | — | \n| 達成率 | — | 80.0% | — | " in md


def test_period_by_month_and_era_evaluation_date():
    # README.md: 計画期間 2023年1月〜2025年3月 → 令和4年度〜令和6年度; 令和7年2月10日現在
    import datetime as dt
    plan = LOADED.plan
    assert (plan.period.start, plan.period.end, plan.period_start, plan.period_end) == ("2023-01", "2025-03", 2022, 2024)
    assert plan.evaluation_date == dt.date(2025, 2, 10)
    code, out = run("status", str(PUB))
    assert code == 0 and "令和4年度〜令和6年度  評価日 令和7年2月10日" in out  # dates as the reports write them


def test_month_and_era_forms_and_a_web_source(tmp_path: Path):
    plan = tmp_path / "published"
    shutil.copytree(PUB, plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    text = text.replace("period: {start: 2023-01, end: 2025-03}", "period: {start: 令和5年4月, end: 2026年3月}")
    text = text.replace("sources: [{file: README.md,", "sources: [{file: README.md, url: 'https://www.example.jp/dx/plan.html',")
    (plan / "plan.yaml").write_text(text, encoding="utf-8")
    loaded = load_plan(plan)
    assert loaded.problems == []
    assert (loaded.plan.period_start, loaded.plan.period_end) == (2023, 2025)
    assert loaded.plan.sources[0].url == "https://www.example.jp/dx/plan.html"
    (plan / "plan.yaml").write_text(text.replace("evaluation_date: 令和7年2月10日", "evaluation_date: 令和7年2月30日"), encoding="utf-8")
    line = 1 + text.splitlines().index("evaluation_date: 令和7年2月10日")
    found = [(p.rule, p.line) for p in lint_paths([plan]).problems]
    assert found == [("invalid-value", line)]  # the impossible day is reported on its line


def test_actual_written_with_a_decimal_prints_as_written():
    # 1/K3 マイナンバーカード交付率: the source writes 85.0 (decimals: 1); other indicators print as the number needs
    code, md = run("report", str(PUB))
    assert "| 実績 | — | — | 85.0％ |" in md
    assert "令和6年度: 85.0 / 90 × 100 = 94.4%（実績 85.0％、目標 90％）" in md
    assert "| 実績 | — | — | 110件 |" in md  # no decimals declared: 110, not 110.0
    code, out = run("status", str(PUB), "--year", "R6", "--by", "indicator")
    assert "85.0％" in out and "85％" not in out
