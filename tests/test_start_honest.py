"""An honest start: a plan made by ``dxplan init`` + ``dxplan new`` is not scored 課題あり before it has an
evaluation date, and lint reports a past fiscal year left without status (rule status-missing)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.lint.engine import lint_paths

runner = CliRunner()


def run(*args) -> str:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r.output


def started(tmp_path: Path, *extra: str) -> Path:
    folder = tmp_path / "rei"
    run("init", folder, "--no-ask", "--preset", "kama", "-m", "例市", "-c", "A=くらし", "-d", "総務課", "--period-start", "R6", "--period-end", "R8", *extra)
    run("new", folder, "--title", "窓口のオンライン化")
    return folder


def test_rows_all_not_started_without_evaluation_date_are_not_evaluated(tmp_path):
    folder = started(tmp_path)
    action = folder / "actions/01.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("plan: ''}", "plan: '', status: 未着手}"), encoding="utf-8")
    score = json.loads(run("score", folder, "--format", "json"))
    [a] = score["actions"]
    assert (a["state"], a["rate"], a["label"]) == ("not_evaluated", None, "未評価")
    assert a["references"]["tasks"]["reason"] == "すべて未着手で、計画に評価日がありません（未評価）"
    # the same rows with an evaluation date after R6: R6 is behind, 0.0 % 課題あり
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("fiscal_year_style: reiwa\n", "fiscal_year_style: reiwa\nevaluation_date: 2025-06-30\n"), encoding="utf-8")
    score = json.loads(run("score", folder, "--format", "json"))
    [a] = score["actions"]
    assert (a["state"], a["rate"], a["label"]) == ("evaluated", 0.0, "課題あり")


def test_status_missing_for_a_year_past_at_the_evaluation_date(tmp_path):
    folder = started(tmp_path, "--evaluation-date", "2025-06-30")
    res = lint_paths([folder])
    found = [(p.path.name, p.line, p.column, p.message_ja, p.message_en) for p in res.problems if p.rule == "status-missing"]
    assert found == [("01.yaml", 9, 5, "アクション 1: 評価日 令和7年6月30日 より前に終わった令和6年度の進捗状況が記録されていません",
                      "action 1: no status recorded for 令和6年度, which ended before the evaluation date 30 June 2025")]
    action = folder / "actions/01.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("{fiscal_year: 令和6年度, department: 総務課, plan: ''}",
                                                                 "{fiscal_year: 令和6年度, department: 総務課, plan: '', status: 完了}"), encoding="utf-8")
    assert [p for p in lint_paths([folder]).problems if p.rule == "status-missing"] == []


def test_no_evaluation_date_no_status_missing(tmp_path):
    folder = started(tmp_path)
    assert [p for p in lint_paths([folder]).problems if p.rule == "status-missing"] == []
