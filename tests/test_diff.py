"""dxplan diff, the goalpost guard and changed-only linting, on real git repositories built in tmp_path."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.gitio import GitError, changed_files, fetch_hint, resolve
from dxplan.model.schema import Action
from dxplan.diff.compute import diff_tasks
from dxplan.model.changes import excerpt, is_goalpost

from conftest import FIXTURES, PLANS, git

runner = CliRunner()



def run(*args, cwd: Path, lang: str = "ja"):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": lang, "GITHUB_ACTIONS": "", "GITHUB_BASE_REF": ""})
    finally:
        os.chdir(old)


_yaml = YAML(typ="rt")
_yaml.width = 4096
_yaml.indent(mapping=2, sequence=4, offset=2)


def edit(path: Path, change) -> None:
    """Load a YAML file round-trip, let ``change`` modify the data, write it back."""
    data = _yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    out = io.StringIO()
    _yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def r6_rows(data):
    return [t for t in data["tasks"] if str(t["fiscal_year"]) in ("令和6年度", "2024", "R6")]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits of plans/kama (see :func:`make_repo`)."""
    return make_repo(tmp_path)


def make_repo(tmp_path: Path) -> Path:
    """A repository with two commits of plans/kama.

    Base: action 13's R6 rows carry progress 80, 80, 80, 90 (82.5 %, 概ね達成).
    Head: action 13's first R6 row 進捗中 → 検討中 at 40 %, its second row reworded,
    a row inserted (70 %) → 72.0 %, やや未達; action 6's target value 30 → 20
    without a reason; action 50 removed; action 51 added.
    """
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    shutil.copytree(PLANS / "kama", root / "plans" / "kama")
    git(root, "init", "-q")
    a13 = root / "plans/kama/actions/13.yaml"

    def base13(d):
        for row, p in zip(r6_rows(d), (80, 80, 80, 90), strict=True):
            row["progress"] = p

    edit(a13, base13)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")

    def head13(d):
        rows = r6_rows(d)
        rows[0]["status"] = "検討中"
        rows[0]["progress"] = 40
        rows[1]["plan"] = "先進事例等の調査・研究"
        new = dict(rows[2])
        new["plan"] = "支所向け端末の配備"
        new["status"] = "進捗中"
        new["progress"] = 70
        d["tasks"].insert(d["tasks"].index(rows[2]), new)

    edit(a13, head13)
    edit(root / "plans/kama/actions/06.yaml", lambda d: d["target"]["spec"].__setitem__("value", 20))
    git(root, "rm", "-q", "plans/kama/actions/50.yaml")
    a51 = root / "plans/kama/actions/51.yaml"
    shutil.copy(root / "plans/kama/actions/49.yaml", a51)
    edit(a51, lambda d: (d.__setitem__("id", "51"), d.__setitem__("number", 51), d.__setitem__("title", "新しい取組")))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "head")
    return root


# --------------------------------------------------------------------------- diff in three formats


def test_diff_json_reports_every_kind_of_change(repo):
    r = run("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["base"]["rev"] == "HEAD~1" and data["head"]["rev"] == "HEAD" and not data["head"]["worktree"]
    (plan,) = data["plans"]
    assert plan["root"] == "plans/kama" and plan["change"] == "changed"
    s = plan["summary"]
    assert (s["actions_added"], s["actions_removed"]) == (1, 1)
    assert (s["rows_added"], s["rows_removed"], s["rows_changed"]) == (1, 0, 2)
    assert {"before": "進捗中", "after": "検討中", "count": 1} in s["transitions"]
    assert s["goalposts"] == 1 and s["goalposts_unrecorded"] == 1
    acts = {a["id"]: a for a in plan["actions"]}
    assert acts["50"]["change"] == "removed" and acts["51"]["change"] == "added"
    assert acts["51"]["title"] == "新しい取組"
    # action 13: status transition, progress, reworded row, inserted row, label change
    a13 = acts["13"]
    changed = [t for t in a13["tasks"] if t["change"] == "changed"]
    added = [t for t in a13["tasks"] if t["change"] == "added"]
    assert [t["status"] for t in changed if t["status"]["before"] != t["status"]["after"]] == [{"before": "進捗中", "after": "検討中"}]
    assert changed[0]["progress"] == {"before": 80, "after": 40}
    reworded = [t for t in changed if t["fields"]]
    assert reworded[0]["fields"][0]["field"].endswith(".plan")
    assert reworded[0]["fields"][0]["excerpt"] == {"before": "事例等の調査・研究", "after": "先進事例等の調査・研究"}
    assert [t["plan"] for t in added] == ["支所向け端末の配備"]
    assert a13["score"]["before"]["label"] == "概ね達成" and a13["score"]["before"]["rate"] == "82.5"
    assert a13["score"]["after"]["label"] == "やや未達" and a13["score"]["after"]["rate"] == "72.0"
    assert a13["score"]["changed"]
    (counts,) = a13["status_counts"]
    assert counts["fiscal_year"] == 2024
    assert counts["before"]["considering"] == 0 and counts["after"]["considering"] == 1
    # action 6: a goalpost change without a recorded reason
    (goal,) = [f for f in acts["6"]["fields"] if f["goalpost"]]
    assert goal == {"field": "target.spec.value", "change": "changed", "before": 30.0, "after": 20.0, "goalpost": True, "recorded": False}
    # plan-wide counts per state for R6
    r6 = [c for c in plan["status_counts"] if c["fiscal_year"] == 2024]
    assert r6 and r6[0]["after"]["considering"] == r6[0]["before"]["considering"] + 1


def test_diff_markdown_is_a_compact_pr_comment(repo):
    r = run("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=repo)
    assert r.exit_code == 0, r.output
    md = r.stdout
    lines = md.splitlines()
    assert lines[0].startswith("### 計画の変更: ") and "(HEAD~1)" in lines[0] and "(HEAD)" in lines[0]
    # the summary table comes first, the details are folded
    assert lines[2].startswith("| 計画 |") and md.index("| 計画 |") < md.index("<details>")
    assert "| 嘉麻市 第1次嘉麻市デジタル推進計画 | 1 / 1 / 2 | 1 / 0 / 2 | 進捗中 → 検討中 ×1 |" in md
    assert "⚠️ 1（理由の記録なし 1）" in md
    assert "| ✏️ 13 本庁と支所のオンライン化拡充 |" in md
    assert "82.5% 概ね達成 → **72.0% やや未達**" in md
    assert "| ⚠️ 6 インターネット利用機会の向上 | 目標(値)（spec.value）: 30 → 20（理由の記録なし） |" in md
    assert "| ➖ 50 " in md and "| ➕ 51 新しい取組 | 追加 |" in md
    assert "<details><summary>詳細 (2 アクション)</summary>" in md and "</details>" in md
    assert "進捗状況 進捗中 → 検討中" in md and "進捗率 80% → 40%" in md
    assert "計画（支所向け端末の配備" not in md and "タスク追加 令和6年度 #3 デジタル戦略課「支所向け端末の配備」（進捗中）" in md
    # every table row has the same number of cells as its header
    for block in md.split("\n\n"):
        rows = [ln for ln in block.splitlines() if ln.startswith("|")]
        if rows:
            widths = {ln.replace("\\|", "").count("|") for ln in rows}
            assert len(widths) == 1, block


def test_diff_markdown_in_english(repo):
    r = run("diff", "HEAD~1", "HEAD", "-f", "markdown", "--lang", "en", cwd=repo)
    assert r.exit_code == 0
    assert r.stdout.startswith("### Plan changes: ")
    assert "target.spec.value: 30 → 20 (no recorded reason)" in r.stdout
    assert "82.5% 概ね達成 → **72.0% やや未達**" in r.stdout
    assert "status 進捗中 → 検討中" in r.stdout


def test_diff_text(repo):
    r = run("diff", "HEAD~1", "HEAD", "plans/kama", cwd=repo)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.splitlines()[0].startswith("dxplan diff: ")
    assert "  アクション +1 -1 ~2, タスク行 +1 -0 ~2, ⚠️ 目標等の変更 1（理由の記録なし 1）" in out
    assert "  ~ 13 本庁と支所のオンライン化拡充: タスク 追加 1・変更 2; 進捗中 → 検討中" in out
    assert "令和6年度 #1 デジタル戦略課「ネットワークの拡充」: 進捗状況 進捗中 → 検討中; 進捗率 80% → 40%" in out
    assert "達成率・評価 82.5% 概ね達成 → 72.0% やや未達（タスク平均）" in out
    assert "  - 50 " in out and "  + 51 新しい取組: 追加" in out
    assert "進捗状況 令和6年度: 検討中 0 → 1" in out


def test_diff_default_base_is_merge_base_with_main_against_working_tree(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    a13 = repo / "plans/kama/actions/13.yaml"
    edit(a13, lambda d: r6_rows(d)[3].__setitem__("status", "完了"))
    r = run("diff", "--format", "json", cwd=repo)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["head"]["worktree"] and data["base"]["rev"] == "merge-base(main, HEAD)"
    (a,) = data["plans"][0]["actions"]
    assert a["id"] == "13"
    assert [t["status"] for t in a["tasks"]] == [{"before": "進捗中", "after": "完了"}]
    # a clean tree: nothing to report
    git(repo, "checkout", "-q", "--", ".")
    r = run("diff", cwd=repo)
    assert r.exit_code == 0 and "計画の変更はありません" in r.stdout


def test_diff_usage_errors_exit_2(repo, tmp_path):
    r = run("diff", "no-such-rev", cwd=repo)
    assert r.exit_code == 2 and "no-such-rev" in r.stderr
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    r = run("diff", "HEAD~1", cwd=outside, lang="en")
    assert r.exit_code == 2 and "not inside a git repository" in r.stderr
    r = run("diff", "a", "b", "c", cwd=repo)
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_diff_reports_files_that_do_not_load(repo):
    (repo / "plans/kama/actions/07.yaml").write_text("id: [\n", encoding="utf-8")
    r = run("diff", "HEAD", cwd=repo)
    assert r.exit_code == 1
    assert "読み込めないファイル" in r.stdout and "07.yaml" in r.stdout


# --------------------------------------------------------------------------- shallow clones


def test_shallow_clone_says_what_to_fetch_then_works(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    r = run("diff", "HEAD~1", "HEAD", cwd=clone, lang="en")
    assert r.exit_code == 2
    assert "revision HEAD~1 is not available" in r.stderr
    assert "shallow clone" in r.stderr and "git fetch --deepen=1" in r.stderr
    r = run("diff", "HEAD~1", "HEAD", cwd=clone)
    assert r.exit_code == 2 and "浅いクローン" in r.stderr
    r = run("lint", "plans", "--base", "HEAD~1", cwd=clone)
    assert r.exit_code == 2 and "git fetch --deepen=1" in r.stderr
    git(clone, "fetch", "-q", "--depth=2")
    r = run("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=clone)
    assert r.exit_code == 0, r.output
    assert "82.5% 概ね達成 → **72.0% やや未達**" in r.stdout


def test_fetch_hints():
    assert resolve.__doc__  # documented
    with pytest.raises(GitError) as exc:
        resolve("-x", Path("."))
    assert "not a revision" in exc.value.message("en")


def test_fetch_hint_for_a_missing_branch_in_a_shallow_clone(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", f"file://{repo}", str(clone))
    en = fetch_hint("origin/release", clone)("en")
    assert "git fetch --depth=1 origin release:refs/remotes/origin/release" in en
    hint = fetch_hint("HEAD~3", clone)
    assert "git fetch --deepen=3" in hint("en") and "--unshallow" in hint("en")
    assert "浅いクローン" in hint("ja") and "git fetch --deepen=3" in hint("ja")


# --------------------------------------------------------------------------- goalpost guard


def test_lint_base_fails_on_unrecorded_goalpost_change(repo):
    r = run("lint", "plans", "--base", "HEAD~1", cwd=repo)
    assert r.exit_code == 1
    hits = [ln for ln in r.stdout.splitlines() if "goalpost-change" in ln]
    assert len(hits) == 1
    text = (repo / "plans/kama/actions/06.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, ln in enumerate(text, 1) if ln.strip() == "value: 20")
    assert hits[0].startswith(f"plans/kama/actions/06.yaml:{line}:12: error goalpost-change target.spec.value が HEAD~1 から変更されています（30 → 20）")
    r = run("lint", "plans", "--base", "HEAD~1", "--lang", "en", cwd=repo)
    assert "target.spec.value changed since HEAD~1 (30 → 20) without a recorded reason" in r.stdout


def test_recorded_reason_passes_the_guard(repo):
    def record(d):
        d["target"]["history"] = [{"date": "2025-06-01", "field": "target.spec.value", "reason": "推進本部会議で下方修正", "by": "デジタル戦略課"}]

    edit(repo / "plans/kama/actions/06.yaml", record)
    r = run("lint", "plans", "--base", "HEAD~1", cwd=repo)
    assert "goalpost-change" not in r.stdout
    r = run("diff", "HEAD~1", "--format", "markdown", cwd=repo)
    assert "理由: 推進本部会議で下方修正" in r.stdout
    # an old entry does not cover a new change
    git(repo, "commit", "-q", "-am", "record")
    edit(repo / "plans/kama/actions/06.yaml", lambda d: d["target"]["spec"].__setitem__("value", 10))
    r = run("lint", "plans", "--base", "HEAD", cwd=repo)
    assert r.exit_code == 1 and "goalpost-change" in r.stdout


def test_rating_scale_change_needs_a_reason_in_plan_history(repo):
    def scale(d):
        d["rating_scale"] = [{"label": "達成", "min": 100}, {"label": "ほぼ達成", "min": 85}, {"label": "概ね達成", "min": 70}, {"label": "課題あり", "min": None}]

    edit(repo / "plans/kama/plan.yaml", scale)
    r = run("lint", "plans", "--base", "HEAD", "--lang", "en", cwd=repo)
    assert r.exit_code == 1
    hits = [ln for ln in r.stdout.splitlines() if "goalpost-change" in ln]
    assert hits and all(h.startswith("plans/kama/plan.yaml:") for h in hits)
    assert "rating_scale" in hits[0] and "plan.yaml's history" in hits[0]
    # the diff shows the rule change and the scores it moves
    r = run("diff", "HEAD", "--format", "json", cwd=repo)
    plan = json.loads(r.stdout)["plans"][0]
    assert any(f["goalpost"] and f["field"].startswith("rating_scale") for f in plan["fields"])
    a13 = next(a for a in plan["actions"] if a["id"] == "13")
    assert a13["score"]["before"]["label"] == "やや未達" and a13["score"]["after"]["label"] == "概ね達成"
    # a reason recorded in plan.yaml's history lets the change pass
    edit(repo / "plans/kama/plan.yaml", lambda d: d.__setitem__("history", [{"date": "2026-04-01", "field": "rating_scale", "reason": "推進本部で評価基準を改定"}]))
    r = run("lint", "plans", "--base", "HEAD", cwd=repo)
    assert "goalpost-change" not in r.stdout


def test_new_actions_and_task_changes_are_not_goalposts(repo):
    r = run("lint", "plans", "--base", "HEAD~1", cwd=repo)
    assert "51.yaml" not in "".join(ln for ln in r.stdout.splitlines() if "goalpost-change" in ln)
    assert "13.yaml" not in "".join(ln for ln in r.stdout.splitlines() if "goalpost-change" in ln)


def test_is_goalpost():
    assert is_goalpost("action", ("target", "spec", "value"))
    assert is_goalpost("action", ("target", "spec", "baseline"))
    assert is_goalpost("action", ("target", "spec", "deadline"))
    assert is_goalpost("action", ("target", "text"))
    assert is_goalpost("action", ("yearly_targets", 0, "text"))
    assert not is_goalpost("action", ("target", "history", 0))
    assert not is_goalpost("action", ("target", "measurements", 0, "value"))
    assert not is_goalpost("action", ("target", "panel"))
    assert not is_goalpost("action", ("effects", 0, "note"))
    assert is_goalpost("plan", ("rating_scale", 2, "min"))
    assert is_goalpost("plan", ("indicators", 0, "target_value"))
    assert not is_goalpost("plan", ("statuses", 0, "word"))


# --------------------------------------------------------------------------- changed-only linting


def test_changed_since_lints_only_changed_files(repo):
    a7 = repo / "plans/kama/actions/07.yaml"
    a7.write_text(a7.read_text(encoding="utf-8").replace("category:", "categry:", 1), encoding="utf-8")
    files = changed_files("HEAD", [repo / "plans"])
    assert files == {a7.resolve()}
    files = changed_files("HEAD~1", [repo / "plans"])
    assert {p.name for p in files} == {"06.yaml", "07.yaml", "13.yaml", "51.yaml"}
    r = run("lint", "plans", "--changed-since", "HEAD", "--format", "json", cwd=repo)
    assert r.exit_code == 1
    paths = {p["path"] for p in json.loads(r.stdout)["problems"]} if r.stdout.strip().startswith("{") else set()
    assert paths and all(p.endswith("07.yaml") or p.endswith("plan.yaml") for p in paths), r.stdout
    r = run("lint", "plans", "--changed-since", "no-such", cwd=repo)
    assert r.exit_code == 2


def test_changed_plan_yaml_brings_its_actions(repo):
    edit(repo / "plans/kama/plan.yaml", lambda d: d.__setitem__("published", "変更"))
    files = changed_files("HEAD", [repo / "plans"])
    assert len(files) == 1 + len(list((repo / "plans/kama/actions").glob("*.yaml")))


# --------------------------------------------------------------------------- row matching


def _action(rows):
    return Action.model_validate({
        "id": "1", "title": "例", "category": "A", "sources": [{"file": "s", "location": "l"}],
        "tasks": [{"fiscal_year": 2024, "department": d, "plan": p, "status": s} for d, p, s in rows],
    })


def test_rows_match_by_department_and_plan():
    before = _action([("A課", "調査", "検討中"), ("A課", "導入", "未着手"), ("B課", "周知", "未着手")])
    # inserted row at the top, a reworded row, a status change
    after = _action([("C課", "新規の取組", None), ("A課", "調査", "進捗中"), ("A課", "導入の準備", "未着手"), ("B課", "周知", "未着手")])
    changes = diff_tasks(before, after)
    kinds = [(c.change, c.before_index, c.after_index) for c in changes]
    assert kinds == [("added", None, 0), ("changed", 0, 1), ("changed", 1, 2)]
    assert changes[1].status_before == "検討中" and changes[1].status_after == "進捗中"
    assert changes[2].fields[0].field == "tasks[2].plan"


def test_rows_removed_when_nothing_is_similar():
    before = _action([("A課", "調査", None), ("A課", "まったく別の事業内容", None)])
    after = _action([("A課", "調査", None)])
    assert [(c.change, c.before_index) for c in diff_tasks(before, after)] == [("removed", 1)]


def test_excerpt_cuts_around_the_edit():
    before = "・先進事例等の調査研究中 ・支所幹線検討中 ・支所ネットワーク拡充中、仕組みづくり等は検討継続"
    after = before.replace("調査研究中", "調査研究完了")
    b, a = excerpt(before, after)
    assert "調査研究中" in b and "調査研究完了" in a
    assert len(a) < len(after)


def test_diff_of_one_file(repo):
    r = run("diff", "HEAD~1", "HEAD", "plans/kama/actions/13.yaml", "--format", "json", cwd=repo)
    assert r.exit_code == 0, r.output
    (plan,) = json.loads(r.stdout)["plans"]
    assert [a["id"] for a in plan["actions"]] == ["13"]
    assert plan["fields"] == [] and plan["status_counts"] == []


def test_diff_plan_added_and_removed(repo):
    shutil.copytree(FIXTURES / "mini", repo / "plans" / "mini")
    shutil.rmtree(repo / "plans" / "kama")
    r = run("diff", "HEAD", "plans", "--format", "json", cwd=repo)
    assert r.exit_code == 0, r.output
    changes = {p["root"]: p["change"] for p in json.loads(r.stdout)["plans"]}
    assert changes == {"plans/kama": "removed", "plans/mini": "added"}
    r = run("diff", "HEAD", "plans", "--format", "markdown", cwd=repo)
    assert "計画が削除されました" in r.stdout and "新しい計画です" in r.stdout


def test_long_action_lists_fold_the_least_important_rows():
    from dxplan.diff.compute import ActionDiff, PlanDiff
    from dxplan.model.changes import FieldChange
    from dxplan.diff.view import split_actions

    pd = PlanDiff("plans/x", "x", "計画", "市", "changed")
    pd.actions = [ActionDiff(str(i), f"a{i}", "added", f"a/{i}.yaml") for i in range(30)]
    pd.actions[25].change = "changed"
    pd.actions[25].fields = [FieldChange("target.text", "a", "b", ("target", "text"), True)]
    shown, folded = split_actions(pd, limit=20)
    assert len(shown) == 20 and len(folded) == 10
    assert pd.actions[25] in shown and [a.id for a in shown] == sorted((a.id for a in shown), key=int)


# --------------------------------------------------------------------------- file names git cannot shift


def test_a_newline_in_a_file_name_cannot_hide_a_goalpost_change(tmp_path):
    """A committed action file whose name holds a newline sorts before 01.yaml; read by name
    through ``git cat-file --batch`` it split one request into two lines and shifted every later
    file's content by one, so the last action (06) was missing at the base: its target change
    looked like a new action and passed the guard."""
    root = tmp_path / "repo"
    shutil.copytree(PLANS / "kama", root / "plans" / "kama")
    actions = root / "plans/kama/actions"
    for p in actions.glob("*.yaml"):
        if p.name > "06.yaml":
            p.unlink()
    odd = actions / "0\n.yaml"
    shutil.copy(actions / "01.yaml", odd)
    edit(odd, lambda d: (d.__setitem__("id", "99"), d.__setitem__("number", 99)))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    assert "0\n.yaml" in git(root, "ls-tree", "-r", "-z", "--name-only", "HEAD").split("\0")[0], "the odd name sorts first"
    edit(actions / "06.yaml", lambda d: d["target"]["spec"].__setitem__("value", 3))
    r = run("lint", "plans", "--base", "HEAD", cwd=root)
    assert r.exit_code == 1
    hits = [ln for ln in r.stdout.splitlines() if "goalpost-change" in ln]
    assert len(hits) == 1 and hits[0].startswith("plans/kama/actions/06.yaml:"), r.stdout
    assert "target.spec.value が HEAD から変更されています（30 → 3）" in hits[0]
    r = run("diff", "HEAD", "--format", "json", cwd=root)
    assert r.exit_code == 0, r.output
    (plan,) = json.loads(r.stdout)["plans"]
    assert [(a["id"], a["change"], a["path"], a["before_path"]) for a in plan["actions"]] == [("6", "changed", "plans/kama/actions/06.yaml", None)]
    assert [f for f in plan["actions"][0]["fields"] if f["goalpost"]] == [
        {"field": "target.spec.value", "change": "changed", "before": 30.0, "after": 3.0, "goalpost": True, "recorded": False}
    ]


def test_a_revision_that_looks_like_an_option_is_refused(repo):
    r = run("diff", "--format", "json", "--", "--output=/tmp/x", cwd=repo, lang="en")
    assert r.exit_code == 2 and "not a revision: '--output=/tmp/x'" in r.stderr
    r = run("lint", "plans", "--base=--all", cwd=repo, lang="en")
    assert r.exit_code == 2 and "not a revision: '--all'" in r.stderr


# --------------------------------------------------------------------------- one loader, two sources


def test_git_source_loads_like_the_folder_on_disk(tmp_path):
    from dxplan.files.load import GitSource, load_plan, load_plans_at
    from dxplan.rules import run_checks

    root = tmp_path / "repo"
    shutil.copytree(PLANS / "kama", root / "plans" / "kama")
    a7 = root / "plans/kama/actions/07.yaml"
    a7.write_text(a7.read_text(encoding="utf-8").replace("category:", "categry:", 1), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "kama")
    commit = resolve("HEAD", root)
    for positions in (False, True):
        disk = load_plan(root / "plans/kama", positions=positions)
        tree = load_plan(GitSource(root, commit, "plans/kama"), positions=positions)
        assert tree.root == disk.root == root / "plans/kama"
        assert tree.plan == disk.plan and tree.plan is not None
        assert len(tree.actions) == len(disk.actions) == len(list((root / "plans/kama/actions").glob("*.yaml"))) - 1
        assert [(la.doc.path, la.action) for la in tree.actions] == [(la.doc.path, la.action) for la in disk.actions]
        assert tree.problems == disk.problems
        assert [(p.path.name, p.line, p.rule) for p in tree.problems] == [("07.yaml", 2, "missing-field"), ("07.yaml", 5, "unknown-key")]
        assert run_checks(tree) == run_checks(disk)
        for lt, ld in zip(tree.actions, disk.actions, strict=True):
            assert lt.doc.position(("tasks", 0, "status")) == ld.doc.position(("tasks", 0, "status"))
    assert list(load_plans_at(root, commit, "plans")) == ["plans/kama"]
    assert load_plans_at(root, commit, "plans/kama/actions/13.yaml")["plans/kama"].plan == disk.plan


# --------------------------------------------------------------------------- --templates


def test_templates_folder_overrides_the_diff_markdown(repo, tmp_path):
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "diff.md.j2").write_text(
        "{{ L.heading }}:{% for p in plans %} {{ p.root }} +{{ p.summary.actions_added }} -{{ p.summary.actions_removed }}"
        "{% for a in p.actions %} {{ a.id }}={{ a.change }}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    r = run("diff", "HEAD~1", "HEAD", "-f", "markdown", "--templates", tdir, cwd=repo)
    assert r.exit_code == 0, r.output
    assert r.stdout == "計画の変更: plans/kama +1 -1 6=changed 13=changed 50=removed 51=added\n"
    r = run("diff", "HEAD~1", "HEAD", "-f", "markdown", cwd=repo)
    assert r.stdout.startswith("### 計画の変更: ")
    (tdir / "diff.md.j2").write_text("ok\n{{ plans[0].no_such_key }}\n", encoding="utf-8")
    r = run("diff", "HEAD~1", "HEAD", "-f", "markdown", "--templates", tdir, cwd=repo, lang="en")
    assert r.exit_code == 1 and f"{tdir / 'diff.md.j2'}:2" in r.stderr and "no_such_key" in r.stderr
    assert "Traceback" not in r.output
    r = run("diff", "HEAD~1", "HEAD", "-f", "markdown", "--templates", tmp_path / "nope", cwd=repo)
    assert r.exit_code == 2


# --------------------------------------------------------------------------- wording through the catalogue


def _more_changes(repo: Path) -> None:
    """Working-tree edits over :func:`make_repo`'s HEAD: two unrecorded goalposts and a measurement in action 2
    (decided by its target), a summary evaluation for action 13, a task row removed and one added without a
    status in action 14, and 26 retitled actions (21–46) so the action table folds."""

    def two_goalposts(d):
        d["target"]["text"] = d["target"]["text"] + "（改定）"
        d["target"]["spec"]["value"] = 95
        d["target"]["measurements"][0]["value"] = 90

    def swap_row(d):
        d["tasks"].remove(r6_rows(d)[0])
        d["tasks"].append({"fiscal_year": "令和6年度", "department": "学校教育課", "plan": "状況のない新しい行"})

    actions = repo / "plans/kama/actions"
    edit(actions / "02.yaml", two_goalposts)
    edit(actions / "13.yaml", lambda d: d.__setitem__("summary_evaluation", {"percent": 60, "reason": "部署の評価"}))
    edit(actions / "14.yaml", swap_row)
    for p in sorted(actions.glob("*.yaml"))[20:46]:
        edit(p, lambda d: d.__setitem__("title", d["title"] + "（改）"))


def test_diff_text_words_each_kind_of_change_in_both_languages(repo):
    _more_changes(repo)
    ja = run("diff", "HEAD", cwd=repo).stdout.splitlines()
    en = run("diff", "HEAD", "--lang", "en", cwd=repo).stdout.splitlines()
    assert ja[0].endswith(" (HEAD) → 作業ツリー") and en[0].endswith(" (HEAD) → working tree")
    assert "  アクション +0 -0 ~29, タスク行 +1 -1 ~0, ⚠️ 目標等の変更 2（理由の記録なし 2）" in ja
    assert "  actions +0 -0 ~29, task rows +1 -1 ~0, ⚠️ goalpost changes 2 (2 without a recorded reason)" in en
    a2 = next(ln for ln in ja if ln.startswith("  ! 2 "))
    assert a2.endswith("「…ンバーカード交付率80%（改定）」 ほか1件（理由の記録なし）; 項目 目標(値)（measurements）")
    a2 = next(ln for ln in en if ln.startswith("  ! 2 "))
    assert a2.endswith("「…ンバーカード交付率80%（改定）」 +1 more (no recorded reason); fields target.measurements")
    for line in (
        "      ⚠️ 目標(値)（spec.value）: 80 → 95",
        "      ⚠️ 目標等の変更理由が target.history に記録されていません",
        "      達成率・評価 103.3%（目標超過） 達成 → 94.7% ほぼ達成（目標値）",
        "      達成率・評価 72.0% やや未達 → 60.0% やや未達（総括評価）",
        "  ~ 14 デジタルを活用した英語によるコミュニケーション能力の向上: タスク 追加 1・削除 1",
        "      タスク削除 令和6年度 #1 学校教育課「オンライン授業(英語)の実施」",
        "      タスク追加 令和6年度 #6 学校教育課「状況のない新しい行」",
        "      進捗状況 令和6年度: 完了 2 → 1, 状況なし 0 → 1",
        "      達成率・評価 100.0% 達成 → 未評価（データ不足）",
    ):
        assert line in ja, line
    for line in (
        "      ⚠️ target.spec.value: 80 → 95",
        "      ⚠️ no reason recorded in target.history for the goalpost change",
        "      rate and label 103.3% (beyond the target) 達成 → 94.7% ほぼ達成 (target)",
        "      rate and label 72.0% やや未達 → 60.0% やや未達 (summary evaluation)",
        "  ~ 14 デジタルを活用した英語によるコミュニケーション能力の向上: tasks added 1・removed 1",
        "      task removed FY2024 #1 学校教育課「オンライン授業(英語)の実施」",
        "      task added FY2024 #6 学校教育課「状況のない新しい行」",
        "      status FY2024: done 2 → 1, no status 0 → 1",
        "      rate and label 100.0% 達成 → not evaluated (insufficient data)",
    ):
        assert line in en, line


def test_diff_markdown_folds_and_words_its_headings_in_both_languages(repo):
    _more_changes(repo)
    ja = run("diff", "HEAD", "-f", "markdown", cwd=repo).stdout
    en = run("diff", "HEAD", "-f", "markdown", "--lang", "en", cwd=repo).stdout
    assert "| 計画 | アクション 追加/削除/変更 | タスク行 追加/削除/変更 | 進捗状況の変化 | 評価の変化 | 目標等の変更 |" in ja
    assert "| plan | actions added/removed/changed | task rows added/removed/changed | status changes | labels changed | goalpost changes |" in en
    assert "| 0 / 0 / 29 | 1 / 1 / 0 | — | 3 | ⚠️ 2（理由の記録なし 2） |" in ja
    assert "| 0 / 0 / 29 | 1 / 1 / 0 | — | 3 | ⚠️ 2 (no reason recorded 2) |" in en
    assert "| アクション | 変更 | 達成率・評価 |" in ja and "| action | change | rate and label |" in en
    # 29 changed actions: 20 in the table, 9 folded away; every changed action in the details
    assert "<details><summary>ほかの変更 (9 アクション)</summary>" in ja and "<details><summary>詳細 (29 アクション)</summary>" in ja
    assert "<details><summary>Other changes (9 actions)</summary>" in en and "<details><summary>Details (29 actions)</summary>" in en
    assert "進捗状況（タスク行数、変更前 → 変更後）:" in ja and "Task rows per status (before → after):" in en
    assert "| 年度 | 未着手 | 検討中 | 進捗中 | 完了 | 状況なし |" in ja
    assert "| Fiscal year | not started | considering | in progress | done | no status |" in en
    assert ja.rstrip().endswith("<sub>dxplan diff · 達成率は計画の評価規則による（dxplan score --explain）</sub>")
    assert en.rstrip().endswith("<sub>dxplan diff · rates by the plan's evaluation rules (dxplan score --explain)</sub>")


def test_a_diff_template_words_messages_with_underscore_and_keeps_the_old_labels(repo, tmp_path):
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "diff.md.j2").write_text(
        "{{ L.heading }}|{{ L.unrecorded_open }}{{ L.unrecorded_close }}|{{ L.not_loaded }}|{{ L.fiscal_year }}|"
        "{{ _('Other changes ({n} actions)', n=plans | length) }}|{{ _('not in the catalogue {x}', x=1) }}\n",
        encoding="utf-8",
    )
    r = run("diff", "HEAD~1", "HEAD", "-f", "markdown", "--templates", tdir, cwd=repo)
    assert r.exit_code == 0, r.output
    assert r.stdout == "計画の変更|（理由の記録なし ）|⚠️ 読み込めないファイル（比較から除外、`dxplan lint` で確認）|年度|ほかの変更 (1 アクション)|not in the catalogue 1\n"
    r = run("diff", "HEAD~1", "HEAD", "-f", "markdown", "--templates", tdir, "--lang", "en", cwd=repo)
    assert r.stdout == "Plan changes| (no reason recorded )|⚠️ Files that did not load (left out; see `dxplan lint`)|Fiscal year|Other changes (1 actions)|not in the catalogue 1\n"
