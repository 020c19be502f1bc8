"""Benchmark: dxplan's start-up and `dxplan status plans/kama` end to end (a fresh process each run, as a user runs it).

Targets (on a 2-core machine, in a user's install, minimum of 10 runs): ``dxplan status plans/kama``
≤ 0.2 s, ``dxplan --help`` ≤ 0.1 s (whole process, wall). Measured: ``--help``, ``--version``,
``status plans/kama`` cold (``DXPLAN_NO_CACHE=1``: every file read, parsed and validated) and warm
(results cache filled by a first run, in a cache folder of its own so other runs do not disturb it).
Prints the minimum, median and maximum wall time of N runs, the minimum and median CPU time and the
load average; the machine is shared, so the minimum is the figure least disturbed by the other processes.

Usage: .venv/bin/python bench/bench_status.py [N] [--install] [--instructions]

``--instructions``: also count the instructions each command executes once (valgrind's callgrind,
when installed): a figure the other processes on a shared machine do not change.

``--install``: first install this checkout as a user does — a wheel (``pip install .``, not editable)
into a fresh virtual environment under the temporary folder, runtime dependencies only — and time that
``dxplan`` (an editable install adds its import finder to every start). Without it, the ``dxplan``
beside this Python.
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


def user_install(folder: Path) -> Path:
    """``dxplan`` installed from this checkout into a fresh virtual environment in ``folder`` (a wheel, as a user installs it)."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run([str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", str(ROOT)], check=True)
    return folder / "bin" / "dxplan"


def instructions(cmd: list[str], env: dict[str, str]) -> int | None:
    """Instructions ``cmd`` executes (valgrind's callgrind, its children not followed); None without valgrind."""
    import re
    import shutil

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    proc = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    return int(found.group(1)) if found else None


def main(n: int = 10, install: bool = False, count: bool = False) -> None:
    if install:
        with tempfile.TemporaryDirectory() as venv:
            dxplan = user_install(Path(venv) / "venv")
            print(f"user's install: {dxplan}")
            _run_all(n, dxplan, count)
        return
    _run_all(n, DXPLAN, count)


def _run_all(n: int, dxplan: Path, count: bool = False) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    kama = str(ROOT / "plans" / "kama")
    with tempfile.TemporaryDirectory() as cache:
        warm = {**os.environ, "DXPLAN_CACHE_DIR": cache}
        warm.pop("DXPLAN_NO_CACHE", None)
        cold = {**warm, "DXPLAN_NO_CACHE": "1"}
        runs = (
            ("dxplan --help", [str(dxplan), "--help"], warm, "<= 100 ms"),
            ("dxplan --version", [str(dxplan), "--version"], warm, ""),
            ("dxplan status plans/kama (cold)", [str(dxplan), "status", kama], cold, ""),
            ("dxplan status plans/kama (warm)", [str(dxplan), "status", kama], warm, "<= 200 ms"),
        )
        print(f"{n} runs each; load {load}")
        for name, cmd, env, target in runs:
            walls, cpus = _time(cmd, n, env)
            counted = instructions(cmd, env) if count else None
            print(f"{name:34} min {min(walls)*1000:4.0f} ms  median {statistics.median(walls)*1000:4.0f} ms  "
                  f"max {max(walls)*1000:4.0f} ms  CPU min {min(cpus)*1000:4.0f} / median {statistics.median(cpus)*1000:4.0f} ms"
                  + (f"  {counted / 1e6:,.0f} M instructions" if counted else "")
                  + (f"  (target {target})" if target else ""))
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else 10, "--install" in sys.argv[1:], "--instructions" in sys.argv[1:])
