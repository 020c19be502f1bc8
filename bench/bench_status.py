"""Benchmark: `dxplan status plans/kama` end to end (a fresh process each run, as a user runs it).

Targets: under 0.5 s (issue 2), 0.3 s (issue 13) on this machine; also ``dxplan --help``
(0.15 s, issue 13). Prints the median and spread of N runs, with CPU seconds and the load.
Usage: .venv/bin/python bench/bench_status.py [N]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DXPLAN = Path(sys.executable).with_name("dxplan")


def _time(cmd: list[str], n: int) -> tuple[list[float], list[float]]:
    subprocess.run(cmd, check=True, capture_output=True)  # warm the file and results caches
    walls, cpus = [], []
    for _ in range(n):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        assert os.waitstatus_to_exitcode(status) == 0, cmd
    return walls, cpus


def main(n: int = 15) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for cmd, target in (([str(DXPLAN), "status", str(ROOT / "plans" / "kama")], "< 500 ms, issue 13: <= 300 ms"), ([str(DXPLAN), "--help"], "<= 150 ms")):
        walls, cpus = _time(cmd, n)
        med = statistics.median(walls)
        name = " ".join(["dxplan", *cmd[1:2]]) + (" plans/kama" if cmd[1] == "status" else "")
        print(f"{name}: median {med*1000:.0f} ms (CPU {statistics.median(cpus)*1000:.0f} ms), min {min(walls)*1000:.0f} ms, "
              f"max {max(walls)*1000:.0f} ms over {n} runs (target {target}; load {load})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
