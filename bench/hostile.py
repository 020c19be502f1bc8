"""Hostile files through every command: each must end in a positioned error, fast, in little memory.

Target: a "billion laughs" alias bomb, a 100 MB file, a nesting 20,000 deep and a
1 MB line each give a positioned error within 2 s and under 200 MiB in every command — ``lint``,
``status``, ``score``, ``report``, ``fmt --check``, ``diff`` — with the parse cache on and off.

Each case is a copy of the bundled plan ``kurate`` (9 actions) with one file replaced, committed
in a scratch git repository on top of the clean plan (so ``diff HEAD~1 HEAD`` reads the hostile
file from git, the other commands from disk). Every command runs in a fresh process under
``/usr/bin/time -v``; the table gives wall time, peak RSS, exit code and whether the output names
the hostile file with ``line:column``.

Hostile sheets (``--sheets far,bomb,strings,zip``; none by default): a copy of ``kama``'s export
for one department with one cell at XFD1048576 (a 10 KB file), a zip bomb (a sheet that
decompresses to 256 MB of whitespace), 64 MB of inline-string cells, and a truncated zip, each
through ``import --dry-run`` and ``import`` (mutations from tests/fuzz/sheetcases.py). Target: exit 1
with a message, no traceback, no plan file changed, within 2 s and 200 MiB.

Usage: .venv/bin/python bench/hostile.py [--cases bomb,big,deep,line] [--sheets far,bomb,strings,zip] [--json OUT]
Exit 1 when any run misses the target (over 2 s, over 200 MiB, no positioned error, a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DXPLAN = Path(sys.executable).with_name("dxplan")
PLAN = "kurate"
VICTIM = "actions/1-1.yaml"
SECONDS, MIB = 2.0, 200


def bomb() -> bytes:
    """9 levels of 9 aliases each: 9**9 (387 million) nodes if expanded, 1 KB on disk."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return ("id: '1-1'\ntitle: bomb\ncategory: '1'\nnotes:\n  " + "\n  ".join(lines) + "\n").encode()


def big() -> bytes:
    """A 100 MB action file of ordinary lines (1.6 million list items)."""
    head = b"id: '1-1'\ntitle: big\ncategory: '1'\nnotes:\n"
    line = b"  - " + "これは長い備考です。".encode() * 2 + b"\n"  # 64 bytes
    return head + line * (100_000_000 // len(line))


def deep() -> bytes:
    """A flow list nested 20,000 deep, one bracket per line (no long line)."""
    return b"id: '1-1'\ntitle: deep\ncategory: '1'\nnotes:\n" + b"  [\n" * 20_000 + b"  ]\n" * 20_000


def line() -> bytes:
    """One line of 1,000,000 characters (a plain scalar)."""
    return b"id: '1-1'\ntitle: " + b"x" * 1_000_000 + b"\ncategory: '1'\n"


CASES = {"bomb": bomb, "big": big, "deep": deep, "line": line}
COMMANDS = {
    "lint": ["lint"],
    "status": ["status"],
    "score": ["score"],
    "report": ["report", "--format", "md"],
    "fmt --check": ["fmt", "--check"],
    "diff": ["diff", "HEAD~1", "HEAD"],
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def make_repo(tmp: Path, data: bytes) -> Path:
    repo = tmp / "repo"
    shutil.copytree(ROOT / "plans" / PLAN, repo / PLAN)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "clean")
    (repo / PLAN / VICTIM).write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hostile")
    return repo


def measure(argv: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """Run ``dxplan argv`` under /usr/bin/time -v: wall seconds, peak RSS (MiB), exit code, output."""
    with tempfile.NamedTemporaryFile(prefix="time-", suffix=".txt", delete=False) as fh:
        timing = Path(fh.name)
    try:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", str(timing), str(DXPLAN), *argv], cwd=cwd, env=env,
                              capture_output=True, timeout=600)
        text = timing.read_text()
    finally:
        timing.unlink(missing_ok=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))) if wall else float("nan")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
    out = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
    return {"rc": proc.returncode, "seconds": seconds, "cpu": cpu, "mib": rss, "output": out}


SHEETS = {
    "far": {"op": "far_cell", "params": {"sheet": 0.0, "ref": "XFD1048576", "dimension_only": False}},
    "bomb": {"op": "bomb", "params": {"kind": "whitespace", "size": 256 << 20}},
    "strings": {"op": "bomb", "params": {"kind": "strings", "size": 64 << 20}},
    "zip": {"op": "zip_truncate", "params": {"at": 0.5}},
}


def sheet_runs(names: list[str]) -> tuple[list[dict], int]:
    """Each hostile sheet through import --dry-run and import (see the module doc)."""
    sys.path.insert(0, str(ROOT))
    from tests.fuzz.sheetcases import SheetCase, department, folder_digest, mutate_sheet

    rows, bad = [], 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("DXPLAN_")} | {"COLUMNS": "120", "DXPLAN_NO_CACHE": "1"}
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"dxhostile-sheet-{name}-") as tmp:
            work = Path(tmp)
            shutil.copytree(ROOT / "plans" / "kama", work / "kama")
            dept = department("kama", 2)
            subprocess.run([str(DXPLAN), "export", "-o", "base.xlsx", "-d", str(dept), "kama"], cwd=work, env=env,
                           check=True, capture_output=True)
            case = SheetCase("kama", "xlsx", 2, SHEETS[name]["op"], SHEETS[name]["params"])
            (work / "sheet.xlsx").write_bytes(mutate_sheet(case, (work / "base.xlsx").read_bytes(), None))
            size = (work / "sheet.xlsx").stat().st_size
            for label, argv in (("import -n", ["import", "--dry-run"]), ("import", ["import"])):
                before = folder_digest(work / "kama")
                r = measure([*argv, "sheet.xlsx", "kama"], work, env)
                same = folder_digest(work / "kama") == before
                ok = (r["rc"] == 1 and "Traceback" not in r["output"] and same
                      and r["seconds"] <= SECONDS and r["mib"] <= MIB)
                bad += not ok
                print(f"{name:6} {label:12} {'-':5} {r['rc']:>4} {r['seconds']:>7.2f} {r['cpu']:>6.2f} {r['mib']:>6.0f}  "
                      f"{size} bytes, plan {'unchanged' if same else 'CHANGED'}{'' if ok else '  <-- MISSED'}", flush=True)
                rows.append({"case": f"sheet-{name}", "bytes": size, "command": label, "cache": False, "rc": r["rc"],
                             "seconds": r["seconds"], "cpu": r["cpu"], "mib": round(r["mib"], 1),
                             "position": "", "ok": ok, "plan_unchanged": same})
    return rows, bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--sheets", default="", help="hostile sheets through import: " + ",".join(SHEETS))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rows, bad = [], 0
    # file:line:column (lint, status, score, report, diff) or fmt's "file: reason (line:column rule: …)"
    positioned = re.compile(re.escape(VICTIM.split("/")[-1]) + r"(?::|: [^\n]*?[(（])(\d+):(\d+)")
    print(f"{'case':6} {'command':12} {'cache':5} {'exit':>4} {'wall s':>7} {'cpu s':>6} {'MiB':>6}  positioned error")
    for name in [c for c in args.cases.split(",") if c]:
        with tempfile.TemporaryDirectory(prefix=f"dxhostile-{name}-") as tmp:
            repo = make_repo(Path(tmp), CASES[name]())
            size = (repo / PLAN / VICTIM).stat().st_size
            for cache in (False, True):
                env = {k: v for k, v in os.environ.items() if not k.startswith("DXPLAN_")}
                env["COLUMNS"] = "120"
                if cache:
                    env["DXPLAN_CACHE_DIR"] = str(Path(tmp) / "cache")
                else:
                    env["DXPLAN_NO_CACHE"] = "1"
                for label, argv in COMMANDS.items():
                    r = measure([*argv, PLAN], repo, env)
                    m = positioned.search(r["output"])
                    ok = (m is not None and r["rc"] in (1,) and "Traceback" not in r["output"]
                          and r["seconds"] <= SECONDS and r["mib"] <= MIB)
                    bad += not ok
                    where = f"{VICTIM}:{m.group(1)}:{m.group(2)}" if m else "NONE"
                    print(f"{name:6} {label:12} {'on' if cache else 'off':5} {r['rc']:>4} {r['seconds']:>7.2f} {r['cpu']:>6.2f} {r['mib']:>6.0f}  {where}{'' if ok else '  <-- MISSED'}", flush=True)
                    rows.append({"case": name, "bytes": size, "command": label, "cache": cache, "rc": r["rc"],
                                 "seconds": r["seconds"], "cpu": r["cpu"], "mib": round(r["mib"], 1),
                                 "position": where, "ok": ok})
    if args.sheets:
        more, more_bad = sheet_runs(args.sheets.split(","))
        rows, bad = rows + more, bad + more_bad
    print(f"\n{len(rows) - bad} of {len(rows)} runs met the target (positioned error, exit 1, <= {SECONDS:g} s wall, <= {MIB} MiB)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
