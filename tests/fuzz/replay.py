"""Replay the stored findings (tests/fuzz/findings/*/case.json) through the fuzz oracle.

    python -m tests.fuzz.replay [FOLDER ...]

Each finding folder holds ``case.json`` (the recipe, the failure found, the expected behaviour) and,
when small, the reproducer itself (``overlay/<file>`` for a plan folder, ``sheet.xlsx``/``sheet.csv``
for a sheet); without it the recipe rebuilds the case from the bundled plans. Prints one line per
finding, ``fixed`` (the oracle finds nothing) or ``FAILS`` with what it finds now; exit 1 when any
still fails. Meant for turning findings into regression tests once the fixes are merged.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from .campaign import folder_commands, recipe
from .mutate import Case, materialize
from .oracle import check_folder, make_runner
from .repos import RepoCase
from .surfaces import run_repo_case, run_sheet_case

FINDINGS = Path(__file__).resolve().parent / "findings"


def replay(folder: Path, runner) -> list[str]:
    """The failures the oracle finds now on the stored finding in ``folder`` (empty = fixed)."""
    entry = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    case = recipe(entry["case"])
    with tempfile.TemporaryDirectory(prefix="dxfuzz-replay-") as tmp:
        if isinstance(case, Case):
            overlay_dir = folder / "overlay"
            overlay = {str(p.relative_to(overlay_dir)): p.read_bytes() for p in overlay_dir.rglob("*") if p.is_file()} \
                if overlay_dir.is_dir() else None
            plan = materialize(case, Path(tmp) / "scratch" / "work" / case.plan, overlay=overlay)
            fails, _ = check_folder(plan, runner, cache=case.cache, commands=folder_commands(case))
        elif isinstance(case, RepoCase):
            fails, _ = run_repo_case(case, runner, Path(tmp))
        else:
            stored = folder / f"sheet.{case.fmt}"
            fails, _ = run_sheet_case(case, runner, Path(tmp), stored.read_bytes() if stored.is_file() else None)
    return [f"[{f.kind}] {f.signature} — {f.command}" for f in fails]


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or sorted(p.parent for p in FINDINGS.glob("*/case.json"))
    runner = make_runner()
    failing = 0
    try:
        for folder in folders:
            now = replay(folder, runner)
            failing += bool(now)
            print(f"{folder.name}: " + ("fixed" if not now else "FAILS " + "; ".join(now)), flush=True)
    finally:
        runner.close()
    return 1 if failing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
