"""``make bench``: every speed target of dxplan measured in one run, its tables in one Markdown file.

Usage: .venv/bin/python bench/run_all.py [--out artifacts/bench.md] [--only NAME,NAME] [--quick] [--limit S]

Runs each benchmark script below as its own process, one after another (so they do not share the
machine with each other), prints what it prints and keeps it, under a heading, in ``--out``.
Every script measures fresh ``dxplan`` processes as a user runs them and gives CPU seconds
(user + system, children included) beside wall seconds, and peak memory where it matters; on a
shared machine the wall time stretches with the load, the CPU time much less.

======== ============================ ===========================================================
name     script                       what it measures (targets in bench/NOTES.md)
======== ============================ ===========================================================
startup  bench_status.py              ``--help``, ``--version``, ``status plans/kama`` cold and warm, in a
                                      user's install (a wheel in a fresh venv; --quick: this venv)
report   bench_pdf.py                 ``report plans/kama`` as HTML and as PDF, and their ratio
render   bench_report.py              every bundled plan's report rendered in one process (md, html)
scale    bench_scale.py               lint (cold, warm, one file changed), status and score of 10,
                                      100 and 400 plans, and check-jsonschema on the same files
history  bench_history.py             ``history`` over 200 and 2,000 evaluation commits, cold, warm
diff     bench_diff.py                ``diff REV1 REV2`` of two national revisions (1,741 plans)
import   bench_import.py              export and import of a 50,000-row plan (545 rows changed)
publish  bench_publish.py             ``publish`` of 400 plans: CPU, wall, peak memory of the process and its workers
======== ============================ ===========================================================

``--quick``: smaller sizes where a script allows it (scale to 10 and 100 plans, history 200 commits),
for a first look. ``--limit S``: the scripts that time one long command (diff, import) stop it after S
seconds and report it as stopped (their default: 600 s), so that an older build that takes minutes
can be measured in bounded time. The national corpus of lint, status, score and compare is ``make bench-national``
and ``make bench-compare`` (an hour and more). A script missing from this checkout is reported and
skipped; a script that fails stops the run with its exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name → (script, arguments, arguments with --quick)
SCRIPTS: dict[str, tuple[str, list[str], list[str]]] = {
    "startup": ("bench_status.py", ["10", "--install"], ["10"]),
    "report": ("bench_pdf.py", ["--runs", "3"], ["--runs", "1"]),
    "render": ("bench_report.py", [], ["--runs", "1"]),
    "scale": ("bench_scale.py", ["--sizes", "10,100,400", "--runs", "3", "--long", "20"], ["--sizes", "10,100", "--runs", "1"]),
    "history": ("bench_history.py", ["--commits", "200,2000"], ["--commits", "200", "--runs", "1"]),
    "diff": ("bench_diff.py", [], []),
    "import": ("bench_import.py", [], []),
    "publish": ("bench_publish.py", ["--plans", "400"], ["--plans", "100"]),
}


#: the scripts that take ``--limit SECONDS``
LIMITED = ("diff", "import")


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; 0 when every script ran, else the first failing script's exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench.md", help="the Markdown file written (default artifacts/bench.md)")
    ap.add_argument("--only", help=f"comma-separated names to run (of: {', '.join(SCRIPTS)})")
    ap.add_argument("--quick", action="store_true", help="smaller sizes, one run each")
    ap.add_argument("--limit", type=float, help=f"stop a timed command of {', '.join(LIMITED)} after this many seconds")
    args = ap.parse_args(argv)
    names = list(SCRIPTS) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in SCRIPTS]
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(unknown)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    head = (f"# dxplan benchmarks — {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, commit {_commit()}, "
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs{f', --limit {args.limit:g} s' if args.limit else ''}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    parts = [head]
    print(head, flush=True)
    for name in names:
        script, full, quick = SCRIPTS[name]
        path = ROOT / "bench" / script
        if not path.exists():
            note = f"## {name}\n\n(skipped: bench/{script} is not in this checkout)\n"
            print(note, flush=True)
            parts.append(note)
            continue
        cmd = [sys.executable, str(path), *(quick if args.quick else full)]
        if args.limit is not None and name in LIMITED:
            cmd += ["--limit", f"{args.limit:g}"]
        print(f"## {name}: {' '.join(cmd[1:])}", flush=True)
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
        code = proc.wait()
        parts.append(f"## {name} (`bench/{script} {' '.join(cmd[2:])}`, {time.monotonic() - t0:.0f} s)\n\n{''.join(lines)}\n")
        if code != 0:
            args.out.write_text("\n".join(parts), encoding="utf-8")
            print(f"bench/{script} failed with exit code {code}; the tables so far are in {args.out}", file=sys.stderr)
            return code
    parts.append(f"\n(all benchmarks: {time.monotonic() - started:.0f} s)\n")
    args.out.write_text("\n".join(parts), encoding="utf-8")
    print(f"\nwritten: {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
