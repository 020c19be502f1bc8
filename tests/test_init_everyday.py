"""``dxplan init`` and ``dxplan new`` as people use them: all or nothing under SIGKILL, a wrong answer asked
again, a README with the plan's own ids, a ``.gitignore`` for outputs and a git repository on ``main``."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.load import load_plan

from conftest import git

runner = CliRunner()
ENV = {"DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""}
INIT = ["--no-ask", "-m", "例市", "-c", "I=くらし", "-c", "I-1=窓口", "-c", "II=しごと", "-d", "総務課", "--period-start", "R6", "--period-end", "R8", "--preset", "kama"]


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], env=ENV, input=input)


def listing(folder: Path) -> list[str]:
    """Every path under ``folder`` (files and folders, hidden ones too), relative; [] when there is no folder."""
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def dxplan(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dxplan", *args], cwd=cwd, env={**os.environ, **ENV, "DXPLAN_NO_CACHE": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_init_killed_at_random_moments_leaves_nothing_or_everything(tmp_path):
    assert dxplan("init", "plan", *INIT, "--no-git", cwd=tmp_path).wait() == 0
    whole = listing(tmp_path / "plan")
    assert "plan.yaml" in whole and ".gitignore" in whole and "schemas/plan.schema.json" in whole
    started = time.monotonic()
    assert dxplan("init", "timed", *INIT, "--no-git", cwd=tmp_path).wait() == 0
    took = time.monotonic() - started
    rng = random.Random(21)
    seen = {"nothing": 0, "whole": 0}
    for trial in range(24):
        work = tmp_path / f"t{trial}"
        work.mkdir()
        proc = dxplan("init", "plan", *INIT, "--no-git", cwd=work)
        if trial % 6 == 5:  # a kill just after the folder is put in place, however fast or slow the run is
            deadline = time.monotonic() + 60
            while proc.poll() is None and not (work / "plan").exists() and time.monotonic() < deadline:
                time.sleep(0.001)
        else:
            time.sleep(rng.uniform(0.0, took * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        got = listing(work / "plan")
        assert got in ([], whole), f"trial {trial}: {got}"
        seen["whole" if got else "nothing"] += 1
        again = subprocess.run([sys.executable, "-m", "dxplan", "init", "plan", *INIT, "--no-git"], cwd=work, env={**os.environ, **ENV},
                               capture_output=True, text=True)
        if got:
            assert again.returncode == 2 and "already has plan.yaml" in again.stderr
        else:
            assert again.returncode == 0, again.stderr
        assert listing(work / "plan") == whole
        assert [p.name for p in work.iterdir()] == ["plan"], "no staging folder left beside it"
    assert seen["nothing"] and seen["whole"], seen


def test_init_into_a_folder_with_other_files_is_completed_after_a_kill(tmp_path):
    """A cloned repository (other files there): the staging folder inside it is finished or removed by the next init."""
    rng = random.Random(7)
    started = time.monotonic()
    clone = tmp_path / "clone0"
    clone.mkdir()
    (clone / "LICENSE").write_text("ours\n")
    assert dxplan("init", ".", *INIT, "--no-git", cwd=clone).wait() == 0
    took = time.monotonic() - started
    whole = listing(clone)
    for trial in range(1, 11):  # ten kills here; the empty-folder case above has 24
        clone = tmp_path / f"clone{trial}"
        clone.mkdir()
        (clone / "LICENSE").write_text("ours\n")
        proc = dxplan("init", ".", *INIT, "--no-git", cwd=clone)
        time.sleep(rng.uniform(0.0, took * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        again = subprocess.run([sys.executable, "-m", "dxplan", "init", ".", *INIT, "--no-git"], cwd=clone, env={**os.environ, **ENV},
                               capture_output=True, text=True)
        assert again.returncode in (0, 2), again.stderr
        assert listing(clone) == whole, f"trial {trial}"
        assert (clone / "LICENSE").read_text() == "ours\n"


def test_new_killed_at_random_moments_leaves_no_file_or_a_whole_one(tmp_path):
    assert run("init", tmp_path / "p", *INIT, "--no-git").exit_code == 0
    started = time.monotonic()
    assert dxplan("new", "p", "--title", "窓口", cwd=tmp_path).wait() == 0
    took = time.monotonic() - started
    reference = (tmp_path / "p/actions/01.yaml").read_bytes()
    (tmp_path / "p/actions/01.yaml").unlink()
    rng = random.Random(22)
    for _ in range(12):
        proc = dxplan("new", "p", "--title", "窓口", cwd=tmp_path)
        time.sleep(rng.uniform(0.0, took * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        names = sorted(p.name for p in (tmp_path / "p/actions").iterdir() if not p.name.endswith(".tmp"))
        assert names in ([".gitkeep"], [".gitkeep", "01.yaml"]), names
        if "01.yaml" in names:
            assert (tmp_path / "p/actions/01.yaml").read_bytes() == reference
            (tmp_path / "p/actions/01.yaml").unlink()
    r = run("new", tmp_path / "p", "--title", "窓口")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "p/actions").iterdir()) == [".gitkeep", "01.yaml"], "stale temporary files removed"


def test_a_wrong_answer_is_asked_again_and_earlier_answers_kept(tmp_path):
    answers = "\n".join(["例町", "", "", "R99x", "R7", "R6", "R9", "R7年", "2026-03-31", "A=くらし,A=しごと", "A=くらし", "企画課", "zz", "kama"]) + "\n"
    r = runner.invoke(app, ["init", str(tmp_path / "asked"), "--ask", "--no-git"], input=answers, env={"GITHUB_ACTIONS": ""})
    assert r.exit_code == 0, r.output
    assert "年度ではありません: 'R99x'（2024、R6、令和6年度 のいずれかで書いてください）" in r.stderr
    assert "not a fiscal year" not in r.stderr  # the fiscal-year message from the catalogue, in Japanese
    assert "日付ではありません: 「R7年」" in r.stderr
    assert r.stderr.count("dxplan: ") == 5  # R99x, R6 before R7, R7年, a repeated category id, zz
    plan = load_plan(tmp_path / "asked").plan
    assert (plan.municipality, plan.period_start, plan.period_end, str(plan.evaluation_date)) == ("例町", 2025, 2027, "2026-03-31")
    assert [c.id for c in plan.categories] == ["A"] and [s.word for s in plan.statuses][0] == "未着手"


def test_readme_uses_the_plans_own_ids_and_the_branch_is_main(tmp_path):
    folder = tmp_path / "rei"
    r = run("init", folder, *INIT)
    assert r.exit_code == 0, r.output
    assert f"made {folder} a git repository (branch main)" in r.output
    assert git(folder, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert 'dxplan new . --title "アクション名" --category I-1 ' in readme and "--category 1 " not in readme
    assert "git push -u origin main" in readme
    # the README's first command works as written
    r = run("new", folder, "--title", "アクション名", "--category", "I-1")
    assert r.exit_code == 0, r.output
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "start")
    assert git(folder, "branch", "--show-current").strip() == "main"


def test_gitignore_keeps_report_and_export_outputs_out(tmp_path):
    folder = tmp_path / "rei"
    assert run("init", folder, *INIT).exit_code == 0
    for name in ("rei-report.html", "rei-report.pdf", "rei-action-3.html", "rei.xlsx", "rei-総務課.xlsx", ".plan.yaml.dxplan-12-abc.tmp"):
        (folder / name).write_text("x")
    status = git(folder, "status", "--porcelain", "--untracked-files=all")
    assert "report" not in status and "xlsx" not in status and ".tmp" not in status
    assert "plan.yaml" in status and "README.md" in status


def test_init_inside_a_repository_makes_none(tmp_path):
    git(tmp_path, "init", "-q")
    r = run("init", tmp_path / "sub", *INIT)
    assert r.exit_code == 0, r.output
    assert not (tmp_path / "sub/.git").exists()
    assert "git repository" not in r.output


def test_init_into_a_clone_keeps_its_own_gitignore(tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "init", "-q", "clone")
    (clone / ".gitignore").write_text("*.log\n")
    r = run("init", clone, *INIT)
    assert r.exit_code == 0, r.output
    assert (clone / ".gitignore").read_text() == "*.log\n"
    assert (clone / "plan.yaml").is_file() and "git repository" not in r.output
