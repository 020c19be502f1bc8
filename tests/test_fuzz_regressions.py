"""Every distinct failure the fuzzer found stays found: one case per signature in tests/fixtures/fuzz/.

Each ``tests/fixtures/fuzz/<name>/case.json`` holds a mutation recipe (:class:`fuzz.mutate.Case`)
applied to a bundled plan at test time, the failure it produced when it was found (``kind``,
``signature``, the command and the last lines of its output) and, when the mutated file is small,
that file itself under ``overlay/`` (used instead of the recipe, so a later edit of the bundled
plan cannot make the case pass by accident). The test asserts that the folder now passes the whole
oracle (:func:`fuzz.oracle.check_folder`: exit 0/1/2, no traceback, crash or hang, positioned
lint problems, lint clean ⇒ status/score/report succeed, lint rejects ⇒ nobody uses the file
silently), stopping at the first command that hangs, crashes or prints a traceback. They fail
until dxplan is fixed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuzz.mutate import Case, materialize
from fuzz.oracle import COMMANDS, check_folder, make_runner

CASES = Path(__file__).resolve().parent / "fixtures" / "fuzz"
FOLDERS = sorted(p.parent for p in CASES.glob("*/case.json"))

#: Seconds per command. dxplan aims at a positioned error within 2 s on the hostile inputs
#: (alias bomb, 20,000-deep nesting, 1 MB line, see bench/hostile.py); 10 s leaves room for a slow machine.
TIMEOUT = 10.0

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def runner():
    r = make_runner()
    yield r
    r.close()


def load_case(folder: Path) -> tuple[Case, dict, dict[str, bytes]]:
    """(recipe, what was found, overlay files by path inside the plan folder) of one fixture."""
    entry = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    overlay_dir = folder / "overlay"
    overlay = {str(p.relative_to(overlay_dir)): p.read_bytes() for p in overlay_dir.rglob("*") if p.is_file()}
    return Case.from_json(entry["case"]), entry, overlay


def test_there_are_regression_cases():
    assert len(FOLDERS) >= 10, FOLDERS


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_fuzz_finding_is_fixed(folder: Path, runner, tmp_path):
    case, entry, overlay = load_case(folder)
    plan = materialize(case, tmp_path / "work" / case.plan, overlay=overlay or None)
    fails, _results = check_folder(plan, runner, cache=case.cache, commands=COMMANDS, timeout=TIMEOUT,
                                   fail_fast=True)
    if fails:
        pytest.fail(
            f"found as [{entry['kind']}] {entry['signature']} ({case.label()}); now:\n"
            + "\n".join(f"[{f.kind}] {f.signature} — {f.command}: {f.detail}\n{f.stderr_tail[-600:]}" for f in fails),
            pytrace=False)
