"""The fuzz findings kept in tests/fuzz/findings stay fixed.

Each folder is a reproducer the campaign found (a mutated plan file, a mutated sheet, or a recipe
that rebuilds it; ``case.json`` says what failed and what is expected). The test replays it through
the whole oracle (:func:`fuzz.replay.replay`: folder commands, or ``import --dry-run`` and
``import`` with the plan folder hashed before and after) and asserts the oracle finds nothing. The
findings whose fixes are still under way are listed in :data:`PENDING` with the promise they wait
for; drop an entry when its fix merges (``python -m tests.fuzz.replay`` shows which pass).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuzz.oracle import make_runner
from fuzz.replay import FINDINGS, replay

#: Finding folder → the fix it waits for.
PENDING: dict[str, str] = {}
FOLDERS = sorted(p.parent for p in FINDINGS.glob("*/case.json") if p.parent.name not in PENDING)

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def runner():
    r = make_runner()
    yield r
    r.close()


def test_pending_findings_exist():
    """Every PENDING name is a finding folder (a renamed folder must not hide one)."""
    assert sorted(PENDING) == sorted(n for n in PENDING if (FINDINGS / n / "case.json").is_file())
    assert len(FOLDERS) >= 15


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_fuzz_finding_stays_fixed(folder: Path, runner):
    entry = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    now = replay(folder, runner)
    assert now == [], f"found as [{entry['kind']}] {entry['signature']}; expected: {entry['expected']}"
