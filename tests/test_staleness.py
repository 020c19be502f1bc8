"""Staleness rules on a real git repository: a status unchanged over three evaluation dates (status-unchanged), a task
of an ended fiscal year neither done nor explained (task-overdue), an indicator without the actual of an ended year
(indicator-actual-missing) and an evaluation date older than the plan's reporting cycle (evaluation-overdue)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files import result_cache
from dxplan.lint.engine import lint_paths

from conftest import PLANS, git

runner = CliRunner()

STALE = {"status-unchanged", "task-overdue", "indicator-actual-missing", "evaluation-overdue"}

PLAN = """\
id: rei
municipality: 例市
title: 例市DX計画
period_start: 令和5年度
period_end: 令和7年度
evaluation_date: {date}
reporting_cycle_months: 6
rating_scale: []
sources: [{{file: seed.txt}}]
categories:
  - {{id: A, name: くらし}}
departments:
  - name: 総務課
statuses:
  - {{word: 未着手, state: not_started, progress: 0}}
  - {{word: 検討中, state: considering}}
  - {{word: 進捗中, state: in_progress}}
  - {{word: 完了, state: done, progress: 100}}
"""

# action 1: its 令和7年度 row reads 進捗中 at every evaluation
STUCK = """\
id: '1'
title: 窓口のオンライン化
category: A
owners: [総務課]
tasks:
  - {{fiscal_year: 令和6年度, department: 総務課, status: {r6}}}
  - {{fiscal_year: 令和7年度, department: 総務課, status: 進捗中}}
sources: [{{file: seed.txt, location: line 1}}]
"""

# action 2: its 令和5年度 rows move, but the first is still 進捗中 after 令和5年度 ended; its indicator lacks 令和6年度's actual
MOVING = """\
id: '2'
title: 電子申請
category: A
owners: [総務課]
indicators:
  - id: K1
    name: 電子申請件数
    targets:
      - {{fiscal_year: 令和5年度, value: 100}}
      - {{fiscal_year: 令和6年度, value: 200}}
    actuals:
      - {{fiscal_year: 令和5年度, value: 90}}
tasks:
  - {{fiscal_year: 令和5年度, department: 総務課, status: {r5}}}
  - {{fiscal_year: 令和5年度, department: 総務課, status: {r5}, note: 国の仕様変更を待って令和6年度に継続}}
  - {{fiscal_year: 令和6年度, department: 総務課, status: 完了}}
sources: [{{file: seed.txt, location: line 1}}]
"""

# three evaluations: (evaluation_date, action 1's 令和6年度 status, action 2's first 令和5年度 status)
EVALUATIONS = [("2024-05-23", "未着手", "検討中"), ("2024-11-20", "進捗中", "進捗中"), ("2025-05-20", "完了", "進捗中")]


def write(plan: Path, date: str, r6: str, r5: str) -> None:
    (plan / "actions").mkdir(parents=True, exist_ok=True)
    (plan / "plan.yaml").write_text(PLAN.format(date=date), encoding="utf-8")
    (plan / "actions" / "01.yaml").write_text(STUCK.format(r6=r6), encoding="utf-8")
    (plan / "actions" / "02.yaml").write_text(MOVING.format(r5=r5), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding plans/rei, committed once per evaluation (three commits)."""
    root = tmp_path / "repo"
    plan = root / "plans" / "rei"
    plan.mkdir(parents=True)
    git(root, "init", "-q")
    for date, r6, r5 in EVALUATIONS:
        write(plan, date, r6, r5)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"evaluation {date}")
    return root


def run(*args: str, cwd: Path, lang: str = "ja"):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), env={"DXPLAN_LANG": lang, "GITHUB_ACTIONS": "", "DXPLAN_TODAY": ""})
    finally:
        os.chdir(old)


def line_of(path: Path, text: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in ln)


def test_staleness_findings_with_positions_and_commits(repo):
    first = git(repo, "rev-parse", "--short", "HEAD~2").strip()
    r = run("lint", "plans", "--today", "2025-12-01", "--lang", "en", cwd=repo)
    assert r.exit_code == 0, r.output  # warnings only
    lines = [ln for ln in r.output.splitlines() if any(f" warning {rule} " in ln for rule in STALE)]
    assert lines == [
        "plans/rei/actions/01.yaml:7:51: warning status-unchanged action 1, FY2025: the status has been '進捗中' (not done) at the "
        f"last 3 evaluation dates, since 23 May 2024 (commit {first}); update it if the task has moved",
        "plans/rei/actions/02.yaml:10:9: warning indicator-actual-missing indicator '電子申請件数' has a target for FY2024, which "
        "ended on 31 March 2025, before the evaluation date 20 May 2025, but no actual for that year; record it",
        "plans/rei/actions/02.yaml:14:51: warning task-overdue action 2: FY2023 ended on 31 March 2024, before the evaluation date "
        "20 May 2025, and this task is still '進捗中' (not done) with no note; write its final status, or the reason in the row's note",
        "plans/rei/plan.yaml:6:18: warning evaluation-overdue the evaluation date 20 May 2025 is older than the plan's reporting "
        "cycle of 6 months: the next evaluation was due by 20 November 2025 (today is 1 December 2025); update the results and evaluation_date",
    ]
    # the positions are those of the values named: the 令和7年度 row's status, the 令和6年度 target, the overdue row's status
    plan = repo / "plans/rei"
    assert (plan / "actions/01.yaml").read_text(encoding="utf-8").splitlines()[6][50:] == "進捗中}"  # the 令和7年度 row
    assert (plan / "actions/02.yaml").read_text(encoding="utf-8").splitlines()[9][8:] == "{fiscal_year: 令和6年度, value: 200}"
    assert (plan / "actions/02.yaml").read_text(encoding="utf-8").splitlines()[13][50:] == "進捗中}"
    assert line_of(plan / "plan.yaml", "evaluation_date") == 6


def test_staleness_in_japanese_and_json(repo):
    first = git(repo, "rev-parse", "--short", "HEAD~2").strip()
    r = run("lint", "plans", "--today", "2025-12-01", cwd=repo)
    hit = next(ln for ln in r.output.splitlines() if " status-unchanged " in ln)
    assert hit.startswith("plans/rei/actions/01.yaml:7:51: warning status-unchanged ")
    assert "令和6年5月23日" in hit and f"（コミット {first}）" in hit and "令和7年度" in hit, hit
    r = run("lint", "plans", "--today", "2025-12-01", "--format", "json", "--lang", "en", cwd=repo)
    data = json.loads(r.output)
    found = [(p["path"], p["line"], p["column"], p["rule"]) for p in data["problems"] if p["rule"] in STALE]
    assert found == [
        ("plans/rei/actions/01.yaml", 7, 51, "status-unchanged"),
        ("plans/rei/actions/02.yaml", 10, 9, "indicator-actual-missing"),
        ("plans/rei/actions/02.yaml", 14, 51, "task-overdue"),
        ("plans/rei/plan.yaml", 6, 18, "evaluation-overdue"),
    ]
    assert f"(commit {first})" in data["problems"][0]["message"]
    assert data["summary"]["errors"] == 0


def test_the_worktree_and_the_options_decide(repo):
    plan = repo / "plans/rei"
    # the day the next evaluation is due is not overdue yet; DXPLAN_TODAY stands in for --today
    r = runner.invoke(app, ["lint", str(plan), "--lang", "en"], env={"DXPLAN_TODAY": "2025-11-20"})
    assert "evaluation-overdue" not in r.output and "status-unchanged" in r.output
    assert "evaluation-overdue" in runner.invoke(app, ["lint", str(plan)], env={"DXPLAN_TODAY": "2025-11-21"}).output
    # four dates asked for, three in the history: nothing; two: action 2's 令和5年度 rows too (検討中, then 進捗中 twice)
    assert "status-unchanged" not in run("lint", "plans", "--unchanged-evaluations", "4", cwd=repo).output
    two = [ln for ln in run("lint", "plans", "--unchanged-evaluations", "2", "--lang", "en", cwd=repo).output.splitlines() if "status-unchanged" in ln]
    assert [ln.split(": ")[0] for ln in two] == ["plans/rei/actions/01.yaml:7:51", "plans/rei/actions/02.yaml:14:51", "plans/rei/actions/02.yaml:15:51"]
    assert "at the last 2 evaluation dates, since 20 November 2024" in two[1]
    # a fourth evaluation under way in the working tree counts: four dates
    text = (plan / "plan.yaml").read_text(encoding="utf-8").replace("evaluation_date: 2025-05-20", "evaluation_date: 2025-11-10")
    (plan / "plan.yaml").write_text(text, encoding="utf-8")
    r = run("lint", "plans", "--unchanged-evaluations", "4", "--lang", "en", "--today", "2025-11-10", cwd=repo)
    assert "at the last 4 evaluation dates, since 23 May 2024" in r.output
    # the status moved in the working tree: no longer unchanged
    write(plan, "2025-05-20", "完了", "進捗中")
    stuck = plan / "actions/01.yaml"
    stuck.write_text(stuck.read_text(encoding="utf-8").replace("status: 進捗中", "status: 検討中"), encoding="utf-8")
    assert "status-unchanged" not in run("lint", "plans", "--today", "2025-06-01", cwd=repo).output
    # the plan disables the rule, or asks for more dates than the history holds
    write(plan, "2025-05-20", "完了", "進捗中")
    (plan / "plan.yaml").write_text(PLAN.format(date="2025-05-20") + "lint:\n  unchanged_evaluations: 4\n", encoding="utf-8")
    assert "status-unchanged" not in run("lint", "plans", "--today", "2025-06-01", cwd=repo).output
    (plan / "plan.yaml").write_text(PLAN.format(date="2025-05-20") + "lint:\n  disable: [status-unchanged, evaluation-overdue]\n", encoding="utf-8")
    out = run("lint", "plans", "--today", "2026-06-01", cwd=repo).output
    assert "status-unchanged" not in out and "evaluation-overdue" not in out and "task-overdue" in out


def test_bad_options_are_usage_errors(repo):
    r = run("lint", "plans", "--today", "2025-13-01", "--lang", "en", cwd=repo)
    assert r.exit_code == 2 and "--today: '2025-13-01' is not a date; write YYYY-MM-DD" in r.output
    r = run("lint", "plans", "--unchanged-evaluations", "1", "--lang", "en", cwd=repo)
    assert r.exit_code == 2 and "--unchanged-evaluations: 1 is too few; give 2 or more" in r.output


def test_a_cached_result_does_not_hide_a_new_commit_or_a_new_day(repo, cache):
    plan = repo / "plans/rei"
    # two evaluations only: nothing unchanged over three, and not yet overdue
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    first = lint_paths([plan], today="2025-01-01")
    assert {p.rule for p in first.problems} & STALE == {"task-overdue"}
    # the stored result keeps its plan.yaml values and loses its rows: what the cache answers is then visible
    result_cache.reset()
    (db,) = cache.glob("results-*.sqlite3")
    with sqlite3.connect(db) as conn:
        (blob,) = conn.execute("SELECT value FROM plans").fetchone()
        _, files, facts = result_cache._unpack(blob)
        conn.execute("UPDATE plans SET value = ?", (result_cache._pack(([], files, facts)),))
    # a third evaluation committed, the working tree back to the files of the first run (the cache's key)
    write(plan, "2025-05-20", "完了", "進捗中")
    git(repo, "commit", "-qam", "evaluation 2025-05-20")
    git(repo, "checkout", "-q", "HEAD~1", "--", ".")
    again = lint_paths([plan], today="2025-05-20")
    assert "task-overdue" not in {p.rule for p in again.problems}  # the rows came from the cache
    oldest = git(repo, "rev-parse", "--short", "HEAD~2").strip()
    assert [(p.rule, p.path.name, p.line, p.column) for p in again.problems] == [("status-unchanged", "01.yaml", 7, 51)]
    assert f"since 23 May 2024 (commit {oldest})" in again.problems[0].message_en
    # a new day, the same files and commits: the evaluation is overdue from the day after it was due
    later = lint_paths([plan], today="2025-05-21")
    assert [(p.rule, p.line, p.column) for p in later.problems] == [("status-unchanged", 7, 51), ("evaluation-overdue", 6, 18)]


def test_no_history_no_git_findings(repo, tmp_path):
    # the same plan outside any git repository: the date rules still speak (they need only evaluation_date), git's does not
    alone = tmp_path / "alone" / "rei"
    shutil.copytree(repo / "plans/rei", alone)
    r = runner.invoke(app, ["lint", str(alone), "--today", "2025-12-01", "--format", "json"], env={"DXPLAN_LANG": "en"})
    assert r.exit_code == 0
    rules = [p["rule"] for p in json.loads(r.output)["problems"]]
    assert "status-unchanged" not in rules
    assert sorted(set(rules) & STALE) == ["evaluation-overdue", "indicator-actual-missing", "task-overdue"]
    # a repository without a commit, and one evaluation only: no finding, no error
    fresh = tmp_path / "fresh"
    shutil.copytree(alone, fresh / "rei")
    git(fresh, "init", "-q")
    assert "status-unchanged" not in runner.invoke(app, ["lint", str(fresh / "rei")]).output
    git(fresh, "add", "-A")
    git(fresh, "commit", "-qm", "one")
    r = runner.invoke(app, ["lint", str(fresh / "rei"), "--unchanged-evaluations", "2"])
    assert r.exit_code == 0 and "status-unchanged" not in r.output


def test_bundled_plans_get_no_staleness_finding():
    # plans/ is in git; only 嘉麻市 records an evaluation date (one, 令和7年2月10日, before 令和6年度 ended), none declares a cycle
    result = lint_paths([PLANS], today="2026-12-01")
    assert result.errors == 0
    assert [p for p in result.problems if p.rule in STALE] == []


def test_an_evaluation_is_its_last_commit(tmp_path):
    # 2024-05-23 takes two commits: the row is 未着手 in the first and 進捗中 in the second, the one that stands for it
    root = tmp_path / "repo"
    plan = root / "plans" / "rei"
    plan.mkdir(parents=True)
    git(root, "init", "-q")
    stuck = plan / "actions" / "01.yaml"
    for n, (date, r6, r5) in enumerate([EVALUATIONS[0], *EVALUATIONS]):
        write(plan, date, r6, r5)
        if n == 0:
            stuck.write_text(stuck.read_text(encoding="utf-8").replace("令和7年度, department: 総務課, status: 進捗中", "令和7年度, department: 総務課, status: 未着手"), encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"evaluation {date} ({n})")
    second = git(root, "rev-parse", "--short", "HEAD~2").strip()
    r = run("lint", "plans", "--today", "2025-06-01", "--lang", "en", cwd=root)
    hits = [ln for ln in r.output.splitlines() if "status-unchanged" in ln]
    assert hits == [
        "plans/rei/actions/01.yaml:7:51: warning status-unchanged action 1, FY2025: the status has been '進捗中' (not done) at the "
        f"last 3 evaluation dates, since 23 May 2024 (commit {second}); update it if the task has moved",
    ]


def test_an_evaluation_merged_from_a_branch_counts_on_the_main_line(tmp_path):
    # 2024-11-20 is written on a branch and merged (--no-ff): the merge commit stands for it on main's first-parent line
    root = tmp_path / "repo"
    plan = root / "plans" / "rei"
    plan.mkdir(parents=True)
    git(root, "init", "-q")
    (first, second, third) = EVALUATIONS
    write(plan, *first)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    git(root, "checkout", "-qb", "autumn")
    write(plan, *second)
    git(root, "commit", "-qam", "second, on a branch")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge the autumn evaluation", "autumn")
    write(plan, *third)
    git(root, "commit", "-qam", "third")
    first_commit = git(root, "rev-parse", "--short", "HEAD~2").strip()
    r = run("lint", "plans", "--today", "2025-06-01", "--lang", "en", "--format", "json", cwd=root)
    found = [(p["path"], p["line"], p["column"]) for p in json.loads(r.output)["problems"] if p["rule"] == "status-unchanged"]
    assert found == [("plans/rei/actions/01.yaml", 7, 51)]
    assert f"since 23 May 2024 (commit {first_commit})" in r.output


def test_git_runs_only_where_history_can_speak(repo, tmp_path):
    # GIT_TRACE makes every git process write a line to the file: what lint ran, counted by git itself
    trace = tmp_path / "git-trace.log"
    alone = tmp_path / "alone" / "rei"
    shutil.copytree(repo / "plans/rei", alone)
    runner.invoke(app, ["lint", str(alone)], env={"GIT_TRACE": str(trace)})
    assert not trace.exists()  # outside git: no git at all
    one = tmp_path / "one"
    shutil.copytree(alone, one / "rei")
    git(one, "init", "-q")
    git(one, "add", "-A")
    git(one, "commit", "-qm", "one evaluation")
    runner.invoke(app, ["lint", str(one / "rei")], env={"GIT_TRACE": str(trace)})
    ran = [ln.split("built-in: ", 1)[1] for ln in trace.read_text(encoding="utf-8").splitlines() if "built-in: " in ln]
    assert [cmd.split()[:2] for cmd in ran] == [["git", "log"]]  # plan.yaml changed once: fewer than N − 1 = 2, nothing more read
