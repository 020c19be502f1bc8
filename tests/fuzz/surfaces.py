"""Running the sheet and repository cases: import of mutated sheets, history/diff on hostile repositories.

:func:`run_sheet_case` exports the bundled plan (once per worker and (plan, format, department)),
mutates the sheet (:mod:`fuzz.sheetcases`), copies the whole plan into a scratch folder and runs
``import --dry-run SHEET PLAN`` then ``import SHEET PLAN`` (not when the dry run hung or died: it
would too), judging each like the folder commands
(:func:`fuzz.oracle.judge`: no traceback, crash or hang, exit 0/1/2) and, with a digest of every file
of the plan folder before and after each run:

- ``dry-run-wrote``: ``--dry-run`` changed, added or removed a file;
- ``wrote-on-failure``: ``import`` exited 1 or 2 but changed, added or removed a file;
- ``silent-change``: an operator of :data:`fuzz.sheetcases.MUST_REFUSE` (formula, merged cells, a
  header edit, another department's key, a cell over 32,767 characters) and ``import`` exited 0
  having changed the plan;
- ``import-broke-plan``: ``import`` exited 0 and changed the plan, and ``lint`` then fails on it
  (exit ≠ 0, or a traceback).

:func:`run_repo_case` builds the repository of a :class:`fuzz.repos.RepoCase` and runs
:data:`fuzz.repos.REPO_COMMANDS` on it through :func:`fuzz.oracle.check_folder` (which also reports
a planted git command that ran, as ``escape``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .mutate import copy_plan
from .oracle import TIMEOUT, Failure, Result, base_env, check_folder, judge
from .repos import REPO_COMMANDS, RepoCase, build_repo
from .sheetcases import MUST_REFUSE, SheetCase, department, departments, folder_digest, mutate_sheet

#: Exported sheets of the unmutated bundled plans, by (plan, format, department name).
_BASE: dict[tuple[str, str, str | None], bytes | None] = {}
#: Sheet commands (the sheet path and the plan folder are appended).
SHEET_COMMANDS = {"import_dry": ["import", "--dry-run"], "import": ["import"]}


def base_sheet(runner, plan: str, fmt: str, dept: str | None) -> bytes | None:
    """``dxplan export`` of the bundled ``plan`` (cached); None when the export fails."""
    key = (plan, fmt, dept)
    if key not in _BASE:
        with tempfile.TemporaryDirectory(prefix="dxfuzz-base-") as tmp:
            copy_plan(plan, Path(tmp) / plan)
            out = Path(tmp) / f"sheet.{fmt}"
            argv = ["export", "--format", fmt, "-o", out.name, *(["-d", dept] if dept else []), plan]
            rc, *_ = runner.run(argv, Path(tmp), base_env(None), TIMEOUT, 1 << 30)
            _BASE[key] = out.read_bytes() if rc == 0 and out.is_file() else None
    return _BASE[key]


def _foreign(runner, case: SheetCase) -> bytes | None:
    """Another department's sheet of the same plan, or (whole-plan sheets) another plan's."""
    names = departments(case.plan)
    if case.dept is not None and len(names) > 1:
        return base_sheet(runner, case.plan, case.fmt, names[(case.dept + 1) % len(names)])
    other = "kama" if case.plan != "kama" else "iizuka"
    return base_sheet(runner, other, case.fmt, None)


def run_sheet_case(case: SheetCase, runner, scratch_root: Path, sheet: bytes | None = None) -> tuple[list[Failure], dict]:
    """Judge one mutated sheet through ``import --dry-run`` and ``import`` (see the module doc).

    ``sheet``: the mutated file itself (a stored reproducer) instead of rebuilding it from the recipe.
    """
    if sheet is None:
        base = base_sheet(runner, case.plan, case.fmt, department(case.plan, case.dept))
        if base is None:
            return [Failure("harness", "export", "export of the bundled plan failed", case.label())], {}
        sheet = mutate_sheet(case, base, _foreign(runner, case) if case.op == "foreign_key" else None)
    scratch = Path(tempfile.mkdtemp(prefix="sheet-", dir=scratch_root))
    try:
        work = scratch / "work"
        folder = copy_plan(case.plan, work / case.plan)
        path = work / f"sheet.{case.fmt}"
        path.write_bytes(sheet)
        env = base_env(None)
        results: dict[str, Result] = {}
        digests = [folder_digest(folder)]
        for name, args in SHEET_COMMANDS.items():
            argv = [*args, path.name, folder.name]
            rc, sig, to, el, rss, out, err = runner.run(argv, work, env, TIMEOUT, 1 << 30)
            results[name] = Result(name, argv, rc, sig, to, el, rss, out, err)
            digests.append(folder_digest(folder))
            if to or sig is not None:  # a dry run that hangs or dies: the import would too (and cost as much)
                break
        fails = judge(results, work, False)

        def add(kind: str, res: Result, sig: str, detail: str) -> None:
            fails.append(Failure(kind, res.command, sig, detail, False, res.stderr[-1500:], res.elapsed))

        dry = results["import_dry"]
        if digests[0] != digests[1]:
            add("dry-run-wrote", dry, "import --dry-run changed the plan folder", _changes(digests[0], digests[1]))
        if "import" not in results:
            return fails, {"size": len(sheet), "rc": {k: r.rc for k, r in results.items()},
                           "seconds": {k: r.elapsed for k, r in results.items()}}
        imp = results["import"]
        changed = _changes(digests[1], digests[2])
        if imp.rc not in (0, None) and changed:
            add("wrote-on-failure", imp, f"import exit {imp.rc} changed the plan folder", changed)
        if imp.rc == 0 and changed and (case.fmt, case.op) in MUST_REFUSE:
            add("silent-change", imp, f"import exit 0 took a {case.fmt} '{case.op}' sheet", changed)
        if imp.rc == 0 and changed:
            argv = ["lint", folder.name]
            rc, sig, to, el, rss, out, err = runner.run(argv, work, env, TIMEOUT, 1 << 30)
            lint = Result("lint_after", argv, rc, sig, to, el, rss, out, err)
            results["lint_after"] = lint
            if rc != 0 or "Traceback" in out + err:
                add("import-broke-plan", lint, f"lint exit {rc} after import exit 0", changed + " | " + out[-300:])
        facts = {"size": len(sheet), "rc": {k: r.rc for k, r in results.items()},
                 "seconds": {k: r.elapsed for k, r in results.items()}}
        return fails, facts
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _changes(before: dict[str, str], after: dict[str, str]) -> str:
    """'' when equal, else which files were changed, added and removed (a few names)."""
    mod = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    add = sorted(after.keys() - before.keys())
    rem = sorted(before.keys() - after.keys())
    parts = [f"{label} {', '.join(names[:3])}{' …' if len(names) > 3 else ''}"
             for label, names in (("changed", mod), ("added", add), ("removed", rem)) if names]
    return "; ".join(parts)


def run_repo_case(case: RepoCase, runner, scratch_root: Path) -> tuple[list[Failure], dict]:
    """Build the hostile repository of ``case`` and judge ``history`` and ``diff`` on it."""
    scratch = Path(tempfile.mkdtemp(prefix="repo-", dir=scratch_root))
    try:
        folder = build_repo(case, scratch / "work")
        fails, results = check_folder(folder, runner, cache=False, commands=REPO_COMMANDS)
        facts = {"rc": {k: r.rc for k, r in results.items()}, "seconds": {k: r.elapsed for k, r in results.items()}}
        return fails, facts
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
