"""The pre-commit hooks (.pre-commit-hooks.yaml) through ``pre-commit try-repo`` on temporary repositories.

The hooks use ``language: python``: pre-commit builds a virtualenv and pip
installs dxplan from the hook repository, with its dependencies from PyPI.
The hook repository here is a committed copy of this project's packaging files
and sources, so the test does not depend on what is committed in the working
repository. Without access to PyPI the tests are skipped, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, GIT_ENV, ROOT, git

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
OFFLINE_SIGNS = ("No matching distribution", "Could not find a version", "Failed to establish a new connection", "Temporary failure in name resolution", "Network is unreachable", "ConnectTimeout", "ProxyError")



@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A git repository holding this project's hooks file, packaging and sources, committed."""
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = tmp_path_factory.mktemp("hooks") / "dxplan"
    repo.mkdir()
    for name in (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for folder in ("templates", "schemas"):  # both ship inside the package (pyproject package-dir)
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, repo / folder)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hooks")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def target(tmp_path) -> Path:
    """A plans repository: the mini plan with one clean action, staged."""
    repo = tmp_path / "plans-repo"
    repo.mkdir()
    shutil.copytree(FIXTURES / "mini", repo / "plans" / "mini")
    (repo / "plans/mini/actions/01.yaml").write_text(
        "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\nsources:\n  - file: seed.txt\n    location: line 1\n", encoding="utf-8"
    )
    (repo / "config.yaml").write_text("not: [a plan file]\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def try_repo(hook_repo: Path, target: Path, home: Path, hook: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""}
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run([str(PRE_COMMIT), "try-repo", str(hook_repo), hook, "--all-files", "--color", "never"], cwd=target, capture_output=True, text=True, env=env, timeout=900)
    out = proc.stdout + proc.stderr
    if proc.returncode == 3 or ("An unexpected error has occurred" in out and any(s in out for s in OFFLINE_SIGNS)):
        pytest.skip(f"pre-commit could not install the hook environment (no access to PyPI?): {out[-500:]}")
    return proc


def test_lint_hook_passes_a_clean_plan(hook_repo, target, pre_commit_home):
    proc = try_repo(hook_repo, target, pre_commit_home, "dxplan-lint")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dxplan lint" in proc.stdout and "Passed" in proc.stdout


def test_lint_hook_fails_on_a_broken_action(hook_repo, target, pre_commit_home):
    path = target / "plans/mini/actions/02.yaml"
    path.write_text(
        "id: '2'\ntitle: 例\ncategory: A-1\nowners: [総務課]\ntasks:\n  - {fiscal_year: R6, department: 総務課, status: 進行中}\nsources: [{file: s, location: l}]\n",
        encoding="utf-8",
    )
    git(target, "add", "-A")
    proc = try_repo(hook_repo, target, pre_commit_home, "dxplan-lint")
    assert proc.returncode == 1
    assert "Failed" in proc.stdout
    assert "plans/mini/actions/02.yaml:6:" in proc.stdout and "unknown-status" in proc.stdout


def test_fmt_hook_rewrites_then_passes(hook_repo, target, pre_commit_home):
    path = target / "plans/mini/actions/01.yaml"
    path.write_text("title: 例\nid: '1'\ncategory: A-1\nowners: [総務課]\nsources:\n- file: seed.txt\n  location: line 1\n", encoding="utf-8")
    git(target, "add", "-A")
    proc = try_repo(hook_repo, target, pre_commit_home, "dxplan-fmt")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" in proc.stdout
    assert path.read_text(encoding="utf-8") == "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\nsources:\n  - file: seed.txt\n    location: line 1\n"
    assert (target / "config.yaml").read_text(encoding="utf-8") == "not: [a plan file]\n", "a non-plan YAML file was touched"
    git(target, "add", "-A")
    proc = try_repo(hook_repo, target, pre_commit_home, "dxplan-fmt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout
