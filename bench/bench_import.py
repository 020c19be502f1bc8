"""Benchmark: ``dxplan export`` and ``dxplan import`` of a plan with 50,000 task rows.

Usage::

    python bench/bench_import.py [--rows 50000] [--changed 545] [--seed 0] [--work DIR] [--limit 600] [--json OUT]

Builds, in ``--work`` (a new temporary folder by default), a copy of the bundled 嘉麻市 plan whose
50 actions hold ``--rows`` task rows between them (:func:`grow_plan`: each action's rows repeated in
order, every repeat's 計画 text numbered, ``(2)``, ``(3)`` …, so no two rows are alike), then times,
each a fresh process with an empty results cache:

- ``export``: ``dxplan export PLAN -o sheet.xlsx`` (every department and fiscal year);
- ``import unchanged``: ``dxplan import sheet.xlsx PLAN`` (nothing to change, nothing written);
- ``import N changed``: ``--changed`` task rows of the 令和6年度 sheet, chosen by the seed, get a new
  進捗状況 word (完了 ↔ 進捗中) and a new 実施 text, with openpyxl (:func:`edit_sheet`, in a child
  process, not timed); then ``dxplan import edited.xlsx PLAN``. The files the import rewrote are
  counted by content.

``--steps`` picks the measurements; ``--sheet FILE`` imports an export of the same plan made
elsewhere when this run did not export one (or its export was stopped).

Figures: wall seconds, CPU seconds (user + system), peak RSS in MiB (:mod:`measure`); a run over
``--limit`` seconds is stopped and reported so. dxplan runs as ``sys.executable -m dxplan`` with
this process's environment (``PYTHONPATH=/path/to/src`` picks the code measured). Not a timed test.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Run, timed  # noqa: E402

HERE = Path(__file__).resolve().parent
KAMA = HERE.parent / "plans" / "kama"
STATUS_HEADER = "進捗状況"
RESULT_HEADER = "実施 (年度末見込)"


def grow_plan(out: Path, rows: int) -> int:
    """Copy 嘉麻市's plan to ``out`` with ``rows`` task rows spread evenly over its actions; the rows written."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    shutil.copytree(KAMA, out)
    actions = sorted((out / "actions").glob("*.yaml"))
    per, extra = divmod(rows, len(actions))
    total = 0
    for n, path in enumerate(actions):
        data = y.load(path.read_text(encoding="utf-8"))
        tasks = list(data.get("tasks") or [])
        want = per + (1 if n < extra else 0)
        if not tasks:
            continue
        grown = []
        for i in range(want):
            row = copy.deepcopy(tasks[i % len(tasks)])
            if i >= len(tasks) and row.get("plan"):
                row["plan"] = f"{row['plan']} ({i // len(tasks) + 1})"
            grown.append(row)
        data["tasks"] = grown
        total += len(grown)
        with path.open("w", encoding="utf-8") as f:
            y.dump(data, f)
    return total


def edit_sheet(src: Path, dst: Path, changed: int, seed: int) -> int:
    """Change ``changed`` task rows of the first sheet of ``src`` (its status and result cells), save as ``dst``; the rows changed."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    # 嘉麻市's own headers (plan.yaml labels: status 進捗状況, result 実施 (年度末見込))
    status_col, result_col = header.index(STATUS_HEADER) + 1, header.index(RESULT_HEADER) + 1
    candidates = [r for r in range(2, ws.max_row + 1) if ws.cell(r, status_col).value in ("完了", "進捗中")]
    picked = sorted(random.Random(seed).sample(candidates, min(changed, len(candidates))))
    for r in picked:
        cell = ws.cell(r, status_col)
        cell.value = "進捗中" if cell.value == "完了" else "完了"
        ws.cell(r, result_col).value = f"評価 {r}: 実施済"
    wb.save(dst)
    return len(picked)


def digests(folder: Path) -> dict[str, str]:
    """File name → SHA-256 of every YAML file under ``folder``."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.yaml"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--changed", type=int, default=545)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--limit", type=float, default=600.0)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--steps", default="export,unchanged,changed", help="which of export,unchanged,changed to time")
    ap.add_argument("--sheet", type=Path, default=None, help="an export of the same plan to import when this run's export is not there")
    ap.add_argument("--grow", nargs=2, metavar=("OUT", "ROWS"), help=argparse.SUPPRESS)
    ap.add_argument("--edit", nargs=4, metavar=("SRC", "DST", "N", "SEED"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.grow:  # in a child: this process stays small
        print(grow_plan(Path(args.grow[0]), int(args.grow[1])))
        return 0
    if args.edit:
        print(edit_sheet(Path(args.edit[0]), Path(args.edit[1]), int(args.edit[2]), int(args.edit[3])))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="dxplan-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    plan = work / "kama-big"
    me = [sys.executable, str(Path(__file__).resolve())]
    rows = int(subprocess.run([*me, "--grow", str(plan), str(args.rows)], check=True, capture_output=True, text=True).stdout)
    size = sum(p.stat().st_size for p in (plan / "actions").glob("*.yaml"))
    cache = work / "cache"
    cache.mkdir()
    env = dict(os.environ, DXPLAN_CACHE_DIR=str(cache), DXPLAN_LANG="ja")
    env.pop("DXPLAN_NO_CACHE", None)
    dx = [sys.executable, "-m", "dxplan"]

    def run(name: str, *cmd: str) -> Run:
        return timed([*dx, *cmd], env=env, cwd=work, stdout=work / f"{name}.out", stderr=work / f"{name}.err", limit_s=args.limit)

    steps = set(args.steps.split(","))
    runs: dict[str, Run] = {}
    sheet = work / "sheet.xlsx"
    if "export" in steps:
        runs["export"] = run("export", "export", str(plan), "-o", str(sheet))
    if args.sheet is not None and not sheet.is_file():
        shutil.copyfile(args.sheet, sheet)  # an export of the same plan made elsewhere (this one was not asked for or did not finish)
    changed = rewritten = 0
    if sheet.is_file():
        if "unchanged" in steps:
            runs["import unchanged"] = run("import-unchanged", "import", str(sheet), str(plan))
        if "changed" in steps:
            changed = int(subprocess.run([*me, "--edit", str(sheet), str(work / "edited.xlsx"), str(args.changed), str(args.seed)],
                                         check=True, capture_output=True, text=True).stdout)
            before = digests(plan)
            runs[f"import {changed} changed"] = run("import-changed", "import", str(work / "edited.xlsx"), str(plan))
            after = digests(plan)
            rewritten = sum(before.get(k) != v for k, v in after.items())
    print(f"plan: {rows:,} task rows in {len(list((plan / 'actions').glob('*.yaml')))} action files ({size / 1e6:.1f} MB); "
          f"{changed} rows changed in the sheet; the import rewrote {rewritten} file(s); load average {os.getloadavg()[0]:.2f}; work folder {work}")
    print()
    print("| command | result | exit |")
    print("|---|---|---:|")
    for name, r in runs.items():
        print(f"| {name} | {r.cell()} | {r.code if r.code is not None else '—'} |")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "changed": changed, "rewritten": rewritten, "runs": {k: vars(v) for k, v in runs.items()}}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
