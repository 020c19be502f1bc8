"""Benchmark: ``dxplan history`` over 200 and 2,000 evaluation commits of a bundled plan, cold and warm.

Targets (on a 2-core machine): over 2,000 commits warm ≤ 3 s, cold ≤ 30 s, peak memory ≤ 256 MiB.

The repositories are built deterministically in a temporary folder with ``git fast-import``: a first
commit holds the bundled plan (default ``plans/kama``) as it is; every later commit edits one action
file (every third commit two), moving one task row's status word to the next of 未着手 → 検討中 → 進捗中
→ 完了 → 未着手, and sets ``evaluation_date`` to a day inside the plan's period (spread evenly over
its three fiscal years, so over 2,000 commits about half the commits keep the date of the one before).
Commit dates are fixed, one hour apart, so every build gives the same commit ids.

Each measurement is a fresh ``dxplan history PLAN --format json`` process (``python -m dxplan``,
with ``--src`` first on ``PYTHONPATH``, so an older checkout can be measured the same way):
**cold** with ``DXPLAN_CACHE_DIR`` an empty folder, **warm** with the folder a cold run filled.
Wall seconds, CPU seconds (user + system of the process and its git children, from ``os.wait4``)
and peak resident memory (the largest of the process and its children). The median of 3 runs for
a measurement whose first run took under 30 s, else that one run (marked ¹). The output's SHA-256
(first 12 hex digits) is printed so that runs of two checkouts can be compared for identical output.

Usage: python bench/bench_history.py [--src DIR] [--commits 200,2000] [--plan plans/kama] [--save DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("未着手", "検討中", "進捗中", "完了")
STATUS_LINE = re.compile(r"status: (未着手|検討中|進捗中|完了)")
EPOCH = int(dt.datetime(2024, 4, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))).timestamp())
PERIOD_START = dt.date(2024, 4, 1)
PERIOD_DAYS = 1094  # 令和6年度 … 令和8年度
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def _next_word(text: str, k: int) -> str:
    """``text`` with its ``k``-th (mod their number) status word moved to the next in :data:`WORDS`."""
    found = list(STATUS_LINE.finditer(text))
    if not found:
        return text
    m = found[k % len(found)]
    word = WORDS[(WORDS.index(m.group(1)) + 1) % len(WORDS)]
    return text[: m.start(1)] + word + text[m.end(1) :]


def build_repo(repo: Path, plan: Path, commits: int) -> str:
    """A repository at ``repo`` whose ``plans/<name>`` has ``commits`` commits (see the module docstring); returns the plan's path."""
    name = plan.name
    rel = f"plans/{name}"
    files = {p.relative_to(plan).as_posix(): p.read_text(encoding="utf-8") for p in sorted(plan.rglob("*.yaml"))}
    actions = sorted(k for k in files if k.startswith("actions/"))
    stream = bytearray()
    for i in range(commits):
        day = PERIOD_START + dt.timedelta(days=i * PERIOD_DAYS // max(commits - 1, 1))
        if i == 0:
            changed = list(files)
        else:
            changed = [actions[(i * 7) % len(actions)]]
            if i % 3 == 0:
                changed.append(actions[(i * 13 + 5) % len(actions)])
            for k in changed:
                files[k] = _next_word(files[k], i)
            changed.append("plan.yaml")
        files["plan.yaml"] = re.sub(r"(?m)^evaluation_date: .*$", f"evaluation_date: {day.isoformat()}", files["plan.yaml"])
        stream += b"commit refs/heads/main\n"
        stream += b"mark :%d\n" % (i + 1)
        stream += b"committer Bench <bench@example.org> %d +0900\n" % (EPOCH + i * 3600)
        stream += _data(f"evaluation {day.isoformat()} ({i})".encode())
        if i:
            stream += b"from :%d\n" % i
        for k in dict.fromkeys(changed):
            stream += f"M 100644 inline {rel}/{k}\n".encode() + _data(files[k].encode("utf-8"))
    env = {**os.environ, **GIT_ENV}
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True, env=env)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo, check=True, env=env)
    return str(repo / rel)


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, bytes]:
    """(wall s, CPU s, peak MiB, stdout) of one run of ``cmd``; raises when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.read().decode(errors='replace')}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read()


def measure(cmd: list[str], env: dict[str, str], cold: bool, runs: int, tmp: Path) -> tuple[list[tuple[float, float, float]], bytes]:
    """Runs of ``cmd``: cold ones each with an empty cache folder; warm ones with a folder one run filled
    (the folders under ``tmp``). Returns the (wall, CPU, MiB) of each measured run and the first run's output."""
    results, first = [], b""
    cache = tempfile.mkdtemp(prefix="cache-", dir=tmp)
    if not cold:
        run_once(cmd, {**env, "DXPLAN_CACHE_DIR": cache})
    for i in range(runs):
        folder = tempfile.mkdtemp(prefix="cache-", dir=tmp) if cold else cache
        wall, cpu, mib, out = run_once(cmd, {**env, "DXPLAN_CACHE_DIR": folder})
        results.append((wall, cpu, mib))
        if i == 0:
            first = out
            if wall >= 30:
                break
    return results, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=str(ROOT / "src"), help="the dxplan source folder to measure (put first on PYTHONPATH)")
    parser.add_argument("--commits", default="200,2000")
    parser.add_argument("--plan", default=str(ROOT / "plans" / "kama"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--save", help="write each measurement's output here (history-N-cold.json, …)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("DXPLAN_NO_CACHE", "PYTHONPATH")}
    env["PYTHONPATH"] = args.src
    rows = []
    began = time.perf_counter()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="dxplan-bench-history-") as tmp:
        for n in (int(x) for x in args.commits.split(",")):
            t0 = time.perf_counter()
            plan = build_repo(Path(tmp) / f"repo-{n}", Path(args.plan), n)
            built = time.perf_counter() - t0
            cmd = [sys.executable, "-m", "dxplan", "history", plan, "--format", "json"]
            for label, cold in (("cold", True), ("warm", False)):
                results, out = measure(cmd, env, cold, args.runs, Path(tmp))
                if args.save:
                    Path(args.save).mkdir(parents=True, exist_ok=True)
                    (Path(args.save) / f"history-{n}-{label}.json").write_bytes(out)
                wall = statistics.median(r[0] for r in results)
                cpu = statistics.median(r[1] for r in results)
                mib = max(r[2] for r in results)
                mark = " ¹" if len(results) < args.runs else ""
                digest = hashlib.sha256(out).hexdigest()[:12]
                rows.append(f"| {n:,} | {label} | {len(results)}{mark} | {wall:.2f} | {cpu:.2f} | {mib:.0f} | {digest} | {built:.1f} |")
                print(rows[-1], file=sys.stderr, flush=True)
    print(f"`dxplan history` ({args.src}), CPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load {load} → {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {time.perf_counter() - began:.0f} s in all\n")
    print("Median of the runs; ¹ = one run only (its first run took 30 s or more). Targets over 2,000 commits: warm ≤ 3 s, cold ≤ 30 s, ≤ 256 MiB.\n")
    print("| commits | cache | runs | wall s | CPU s | peak MiB | output sha256 | repo built in s |")
    print("|---:|---|---:|---:|---:|---:|---|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
