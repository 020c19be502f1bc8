"""Writes that lose nothing: the one atomic writer, fmt under SIGKILL, comments, symlinks, complex keys."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.files.atomic import create_exclusive, remove_stale, write_atomic
from dxplan.cli import app

from conftest import PLANS, ROOT

runner = CliRunner()
DXPLAN = Path(sys.executable).with_name("dxplan")


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""})


def temps(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- the helper


def test_write_atomic_keeps_permissions_and_leaves_no_temp_file(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("old\n")
    f.chmod(0o640)
    write_atomic(f, "new\n")
    assert f.read_text() == "new\n"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert temps(tmp_path) == []


def test_write_atomic_follows_a_symlink_to_its_target(tmp_path):
    real = tmp_path / "store" / "plan.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "plan.yaml"
    link.symlink_to(real)
    assert write_atomic(link, b"new\n") == real
    assert link.is_symlink() and real.read_text() == "new\n"


def test_write_atomic_refuses_a_symlink_loop(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(OSError):
        write_atomic(loop, "x")
    assert temps(tmp_path) == []


def test_create_exclusive_never_replaces(tmp_path):
    f = tmp_path / "new.yaml"
    create_exclusive(f, "one\n")
    with pytest.raises(FileExistsError):
        create_exclusive(f, "two\n")
    assert f.read_text() == "one\n" and temps(tmp_path) == []


def test_remove_stale_only_touches_temp_files_of_dead_writers(tmp_path):
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(child.stdout)
    stale = tmp_path / f".01.yaml.dxplan-{dead}-abc123.tmp"
    mine = tmp_path / f".02.yaml.dxplan-{os.getpid()}-def456.tmp"
    other = tmp_path / ".03.yaml.other.tmp"
    for p in (stale, mine, other):
        p.write_text("x")
    assert remove_stale(tmp_path) == [stale]
    assert mine.exists() and other.exists()


# --------------------------------------------------------------------------- fmt killed at random moments


#: the plans the kill test formats: two of them (61 files, ~1.5 s of fmt), a run long enough to be killed midway
KILL_PLANS = ("kashima", "kurate")


def _unformatted_copy(dest: Path) -> dict[Path, bytes]:
    """The :data:`KILL_PLANS` under ``dest``/plans (with schemas/, so fmt adds the modeline), each file
    without its modeline, so that fmt rewrites every file. Returns the old bytes by path."""
    for name in KILL_PLANS:
        shutil.copytree(PLANS / name, dest / "plans" / name)
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    (dest / ".git").mkdir()  # the repository top for the schema look-up
    old = {}
    for p in sorted((dest / "plans").rglob("*.yaml")):
        text = p.read_text(encoding="utf-8")
        lines = [ln for ln in text.split("\n") if not ln.startswith("# yaml-language-server:")]
        p.write_text("\n".join(lines), encoding="utf-8")
        old[p.relative_to(dest)] = p.read_bytes()
    return old


def test_fmt_killed_at_random_moments_leaves_every_file_old_or_new(tmp_path):
    reference = tmp_path / "reference"
    old = _unformatted_copy(reference)
    done = subprocess.run([str(DXPLAN), "fmt", "plans"], cwd=reference, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    new = {rel: (reference / rel).read_bytes() for rel in old}
    assert sum(new[r] != old[r] for r in old) == len(old)  # fmt changes every file
    rng = random.Random(14)
    env = {**os.environ, "DXPLAN_NO_CACHE": "1"}
    kinds = {"old": 0, "new": 0}
    n = len(old)
    for trial in range(3):  # killed once some random count of files (in the first, second, last third) is rewritten
        work = tmp_path / f"trial{trial}"
        _unformatted_copy(work)
        inodes = {rel: os.stat(work / rel).st_ino for rel in old}  # fmt replaces a file by renaming a new one over it
        target = rng.randint(trial * n // 3 + 1, (trial + 1) * n // 3 - 1)
        proc = subprocess.Popen([str(DXPLAN), "fmt", "plans"], cwd=work, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if sum(os.stat(work / rel).st_ino != ino for rel, ino in inodes.items()) >= target:
                break
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for rel in old:
            data = (work / rel).read_bytes()
            assert data in (old[rel], new[rel]), f"trial {trial}: {rel} is neither old nor new ({len(data)} bytes)"
            kinds["old" if data == old[rel] else "new"] += 1
        again = subprocess.run([str(DXPLAN), "fmt", "plans"], cwd=work, env=env, capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert all((work / rel).read_bytes() == new[rel] for rel in old)
        assert temps(work) == [], temps(work)
        shutil.rmtree(work)
    assert kinds["old"] and kinds["new"], kinds  # the kills did land in the middle of runs


# --------------------------------------------------------------------------- fmt keeps what it must


KEEP_COMMENT = """id: '1'
title: 例
category: A-1
owners: [総務課]
sources:
  - {file: a.txt, location: L1}
  # the comment ruamel.yaml used to drop
  - {file: b.txt, location: L2}  # end-of-line comment
"""


def test_fmt_keeps_a_comment_before_a_flow_item_after_a_flow_item(mini_plan):
    f = mini_plan / "actions" / "01.yaml"
    f.write_text(KEEP_COMMENT, encoding="utf-8")
    r = run("fmt", f)
    assert r.exit_code == 0, r.output
    text = f.read_text(encoding="utf-8")
    assert "  # the comment ruamel.yaml used to drop\n  - {file: b.txt, location: L2}  # end-of-line comment\n" in text


def test_fmt_follows_a_symlinked_plan_file(mini_plan, tmp_path):
    store = tmp_path / "store.yaml"
    store.write_text("owners: [総務課]\n" + KEEP_COMMENT.replace("owners: [総務課]\n", ""), encoding="utf-8")
    link = mini_plan / "actions" / "01.yaml"
    link.symlink_to(store)
    r = run("fmt", link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink()
    text = store.read_text(encoding="utf-8")
    assert text.index("id: '1'") < text.index("category") < text.index("owners")  # the target was formatted


def test_fmt_refuses_complex_keys_with_a_position(mini_plan):
    f = mini_plan / "actions" / "01.yaml"
    f.write_text("id: '1'\n? [a, b]\n: 1\n", encoding="utf-8")
    r = run("fmt", "--check", f)
    assert r.exit_code == 1
    assert "01.yaml: does not load, not formatted (2:3 yaml-syntax" in r.stderr
    assert "Traceback" not in r.output
