"""Benchmark: `dxplan status plans/kama` end to end (a fresh process each run, as a user runs it).

Target (issue 2): under 0.5 s on this machine. Prints the median and spread of N runs.
Usage: .venv/bin/python bench/bench_status.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DXPLAN = Path(sys.executable).with_name("dxplan")


def main(n: int = 15) -> None:
    cmd = [str(DXPLAN), "status", str(ROOT / "plans" / "kama")]
    subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    med = statistics.median(times)
    print(f"dxplan status plans/kama: median {med*1000:.0f} ms, min {min(times)*1000:.0f} ms, max {max(times)*1000:.0f} ms over {n} runs (target < 500 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
