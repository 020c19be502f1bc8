"""Shared fixtures: paths to the repository's plans and test fixtures, and a mini plan factory."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: A git identity and configuration independent of the machine's (no global or system config).
GIT_ENV = {
    "GIT_AUTHOR_NAME": "dxplan test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "dxplan test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with :data:`GIT_ENV`; assert it succeeds and return its standard output."""
    proc = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV},
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


@pytest.fixture(autouse=True, scope="session")
def _private_results_cache(tmp_path_factory):
    """Keep the results cache of the test session out of the user's ~/.cache, and the terminal width out of the tests."""
    mp = pytest.MonkeyPatch()
    mp.setenv("DXPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("results-cache")))
    # pytest-xdist gives its workers COLUMNS (the controller's width, 80 without a terminal); the
    # tests expect what a user's pipe gets: no COLUMNS, so tables are 120 wide (cli.common.make_console)
    mp.delenv("COLUMNS", raising=False)
    yield
    mp.undo()


@pytest.fixture
def mini_plan(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/mini (plan.yaml, empty actions/) in a temporary folder."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def write_action(plan_dir: Path, name: str, text: str | bytes) -> Path:
    """Write an action file (text as UTF-8, or raw bytes) into ``plan_dir/actions``."""
    path = plan_dir / "actions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A fresh, private cache folder for one test; the process's connection is forgotten before and after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("DXPLAN_CACHE_DIR", str(folder))
    monkeypatch.delenv("DXPLAN_NO_CACHE", raising=False)
    from dxplan.files import result_cache

    result_cache.reset()
    yield folder
    result_cache.reset()


@pytest.fixture
def kama(tmp_path) -> Path:
    """A fresh copy of the bundled plans/kama in a temporary folder."""
    dest = tmp_path / "plans" / "kama"
    shutil.copytree(PLANS / "kama", dest)
    return dest
