"""dxplan diff reads only the plans a change touches: a real git repository with three plan folders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from typer.testing import CliRunner

import dxplan.diff.sides as sides
from dxplan.cli import app
from dxplan.files.gitio import resolve, short

from conftest import PLANS, git

runner = CliRunner()


def run(*args: str, cwd: Path, lang: str = "ja"):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), env={"DXPLAN_LANG": lang, "GITHUB_ACTIONS": "", "GITHUB_BASE_REF": ""})
    finally:
        os.chdir(old)


def three_plans(tmp_path: Path) -> Path:
    """plans/kama, plans/kashima and plans/kurate committed; then only kama's action 13 changes:
    its first 令和6年度 row 進捗中 → 完了 (a text edit of the one line), committed as HEAD."""
    root = tmp_path / "repo"
    for name in ("kama", "kashima", "kurate"):
        shutil.copytree(PLANS / name, root / "plans" / name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    a13 = root / "plans/kama/actions/13.yaml"
    a13.write_text(a13.read_text(encoding="utf-8").replace("    status: 進捗中\n", "    status: 完了\n", 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "head")
    return root


def record_loads(monkeypatch) -> list[str]:
    """Every plan folder the diff loads, as its folder name, in order (in this process: one job)."""
    monkeypatch.setenv("DXPLAN_JOBS", "1")
    loads: list[str] = []
    real = sides.load_plan

    def load_plan(source, *args, **kwargs):
        loads.append((source if isinstance(source, Path) else source.root).name)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(sides, "load_plan", load_plan)
    return loads


def test_diff_of_two_revisions_loads_only_the_changed_plan(tmp_path, monkeypatch):
    root = three_plans(tmp_path)
    loads = record_loads(monkeypatch)
    r = run("diff", "HEAD~1", "HEAD", cwd=root)
    assert r.exit_code == 0, r.output
    base, head = short(resolve("HEAD~1", root), root), short(resolve("HEAD", root), root)
    assert r.stdout.splitlines() == [
        f"dxplan diff: {base} (HEAD~1) → {head} (HEAD)",
        "",
        "嘉麻市 第1次嘉麻市デジタル推進計画 (plans/kama)",
        "  アクション +0 -0 ~1, タスク行 +0 -0 ~1",
        "  進捗状況 令和6年度: 進捗中 77 → 76, 完了 74 → 75",
        "  ~ 13 本庁と支所のオンライン化拡充: タスク 変更 1; 進捗中 → 完了",
        "      令和6年度 #1 デジタル戦略課「ネットワークの拡充」: 進捗状況 進捗中 → 完了",
        "      進捗状況 令和6年度: 進捗中 4 → 3, 完了 0 → 1",
    ]
    assert loads == ["kama", "kama"]  # base and head of the changed plan; kashima and kurate never read


def test_diff_json_lists_only_plans_whose_files_differ(tmp_path, monkeypatch):
    root = three_plans(tmp_path)
    # a comment-only edit of kurate: its files differ, its data does not
    plan = root / "plans/kurate/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# 確認済み\n", encoding="utf-8")
    loads = record_loads(monkeypatch)
    r = run("diff", "HEAD~1", "--format", "json", cwd=root)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [(p["root"], p["change"]) for p in data["plans"]] == [("plans/kama", "changed"), ("plans/kurate", "unchanged")]
    assert loads == ["kama", "kama", "kurate", "kurate"]
    (action,) = data["plans"][0]["actions"]
    assert [t["status"] for t in action["tasks"]] == [{"before": "進捗中", "after": "完了"}]


def test_nothing_changed_reads_no_plan_and_says_so(tmp_path, monkeypatch):
    root = three_plans(tmp_path)
    loads = record_loads(monkeypatch)
    r = run("diff", "HEAD", "HEAD", cwd=root, lang="en")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1:] == ["no changes to the plans."]
    assert loads == []
    r = run("diff", "HEAD", "HEAD", "plans/kama", cwd=root, lang="en")
    assert r.exit_code == 0 and r.stdout.splitlines()[1:] == ["no changes to the plans."]


def test_changed_names_come_from_one_git_diff_with_untracked_files(tmp_path):
    root = three_plans(tmp_path)
    base = resolve("HEAD~1", root)
    assert sides.changed_names(root, base, resolve("HEAD", root), []) == {"plans/kama/actions/13.yaml"}
    (root / "plans/kashima/actions/99.yaml").write_text("id: '99'\n", encoding="utf-8")
    (root / "notes.txt").write_text("x\n", encoding="utf-8")
    names = sides.changed_names(root, base, None, ["plans"])
    assert names == {"plans/kama/actions/13.yaml", "plans/kashima/actions/99.yaml"}
    assert sides.touched_roots(names | {"plans/kurate/README.md"}, ["plans/kama", "plans/kashima", "plans/kurate"]) == ["plans/kama", "plans/kashima"]


def test_the_shared_blob_reader_reads_by_id_and_refuses_what_is_over_the_limit(tmp_path):
    from dxplan.files import gitio

    root = three_plans(tmp_path)
    oid = git(root, "rev-parse", "HEAD:plans/kama/actions/13.yaml").strip()
    text = (root / "plans/kama/actions/13.yaml").read_bytes()
    missing = "0" * 40
    with gitio.BlobReader(root) as reader:
        assert reader.read_many([oid], 10_000_000) == {oid: text}
        assert reader.read_many([oid], 100) == {oid: len(text)}  # over the limit: its size, the bytes dropped
        assert reader.read_many([missing, oid], len(text)) == {missing: None, oid: text}  # still in step after both
        many = [oid] * 1200  # more requests than one batch
        assert reader.read_many(many, len(text)) == {oid: text}
