"""Shared fixtures: paths to the repository's plans and test fixtures, and a mini plan factory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory):
    """Keep the parse cache of the test session out of the user's ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("DXPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("parse-cache")))
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
