"""Benchmark: dxplan's start-up and `dxplan status plans/kama` end to end (a fresh process each run, as a user runs it).

Targets (on a 2-core machine): ``dxplan status plans/kama`` ≤ 0.3 s, ``dxplan --help``
≤ 0.15 s (whole process, wall). Measured: ``--help``, ``--version``, ``status plans/kama`` cold
(``DXPLAN_NO_CACHE=1``: every file read, parsed and validated) and warm (results cache filled
by a first run, in a cache folder of its own so other runs do not disturb it). Prints the
minimum, median and maximum wall time of N runs, the median CPU time and the load average; the
machine is shared, so the minimum is the figure least disturbed by the other processes.
Usage: .venv/bin/python bench/bench_status.py [N]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DXPLAN = Path(sys.executable).with_name("dxplan")


def _time(cmd: list[str], n: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm the file and results caches
    walls, cpus = [], []
    for _ in range(n):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        assert os.waitstatus_to_exitcode(status) == 0, cmd
    return walls, cpus


def main(n: int = 10) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    kama = str(ROOT / "plans" / "kama")
    with tempfile.TemporaryDirectory() as cache:
        warm = {**os.environ, "DXPLAN_CACHE_DIR": cache}
        warm.pop("DXPLAN_NO_CACHE", None)
        cold = {**warm, "DXPLAN_NO_CACHE": "1"}
        runs = (
            ("dxplan --help", [str(DXPLAN), "--help"], warm, "<= 150 ms"),
            ("dxplan --version", [str(DXPLAN), "--version"], warm, ""),
            ("dxplan status plans/kama (cold)", [str(DXPLAN), "status", kama], cold, ""),
            ("dxplan status plans/kama (warm)", [str(DXPLAN), "status", kama], warm, "<= 300 ms"),
        )
        print(f"{n} runs each; load {load}")
        for name, cmd, env, target in runs:
            walls, cpus = _time(cmd, n, env)
            print(f"{name:34} min {min(walls)*1000:4.0f} ms  median {statistics.median(walls)*1000:4.0f} ms  "
                  f"max {max(walls)*1000:4.0f} ms  CPU median {statistics.median(cpus)*1000:4.0f} ms"
                  + (f"  (target {target})" if target else ""))
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
