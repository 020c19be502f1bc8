"""Cost of lint and report as the number of findings grows: it should grow linearly.

One copy of the bundled plan ``kama`` whose ``actions/01.yaml`` holds N task rows, each with a
placeholder plan text (a warning) and a status word the plan does not have (an error): 2·N findings
in one file of about N·110 bytes, within every limit. For each N, ``lint`` and ``report`` run in a
fresh process with the results cache off; the table gives CPU seconds (user + system of the child)
and the CPU per thousand findings, which stays about flat when the cost is linear.

Measured on the 2-core build machine: before positions were mapped through a per-file line table,
10,400 findings took 30 CPU-s in lint (each finding split the whole text into lines again).

Usage: .venv/bin/python bench/findings.py [--sizes 1300,2600,5200] [--commands lint,report]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_plan(dest: Path, rows: int) -> Path:
    """A copy of plans/kama in ``dest`` whose first action has ``rows`` task rows with two findings each."""
    plan = dest / "kama"
    shutil.copytree(ROOT / "plans" / "kama", plan)
    path = plan / "actions" / "01.yaml"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("tasks:\n")
    after = re.search(r"^\S", rest, re.M)
    tasks = "".join(f"  - {{fiscal_year: 令和6年度, department: デジタル戦略課, plan: （要記入）, status: 未知{i % 7}}}\n" for i in range(rows))
    path.write_text(head + "tasks:\n" + tasks + (rest[after.start():] if after else ""), encoding="utf-8")
    return plan


def cpu_of(args: list[str], cwd: Path) -> float:
    """CPU seconds (user + system) of one run of ``dxplan args`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "dxplan", *args], cwd=cwd, env={**os.environ, "DXPLAN_NO_CACHE": "1"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1300,2600,5200", help="task rows (findings are twice as many)")
    ap.add_argument("--commands", default="lint,report")
    opts = ap.parse_args()
    commands = {"lint": ["lint", "-j", "1", "kama"], "report": ["report", "kama", "-o", "out.md"]}
    print(f"{'findings':>9} {'bytes':>9} " + " ".join(f"{c + ' CPU-s':>12} {'per 1000':>9}" for c in opts.commands.split(",")))
    for rows in (int(s) for s in opts.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            plan = make_plan(Path(tmp), rows)
            size = (plan / "actions" / "01.yaml").stat().st_size
            cells = []
            for name in opts.commands.split(","):
                cpu = cpu_of(commands[name], Path(tmp))
                cells.append(f"{cpu:12.2f} {cpu / (2 * rows) * 1000:9.3f}")
            print(f"{2 * rows:9,} {size:9,} " + " ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
