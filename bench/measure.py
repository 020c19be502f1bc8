"""One process timed with a bound: wall seconds, CPU seconds, peak memory — or where it was stopped.

Shared by ``bench_diff.py`` and ``bench_import.py``. :func:`timed` runs a command in its own process
group, waits for it with ``os.wait4`` (CPU = user + system of the child and every descendant it
waited for), and meanwhile samples the memory of its whole process group from ``/proc`` twice a
second: proportional set sizes added up, so a command with worker processes is measured whole and
the pages its workers share with it are counted once. The peak is the larger of that sum and
``ru_maxrss`` (the largest single process). A run stopped at its time bound still reports how much
memory it had reached (``stopped after 10.0 min at 1,790 MiB``). Not a timed test: figures depend on the machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    """One timed process: ``wall_s`` and ``cpu_s`` in seconds, ``peak_mib`` the peak RSS in MiB,
    ``stopped`` True when it was killed at the time bound (the figures are then lower bounds), ``code`` its exit code."""

    wall_s: float
    cpu_s: float
    peak_mib: float
    stopped: bool
    code: int | None

    def cell(self) -> str:
        """``12.3 s wall, 20.1 CPU-s, 180 MiB`` or ``stopped after 10.0 min at 1,790 MiB (≥ 600 CPU-s)``."""
        if self.stopped:
            return f"stopped after {self.wall_s / 60:.1f} min at {self.peak_mib:,.0f} MiB (≥ {self.cpu_s:,.0f} CPU-s)"
        return f"{self.wall_s:.2f} s wall, {self.cpu_s:.2f} CPU-s, {self.peak_mib:,.0f} MiB"


def _group_pss_kib(pgid: int) -> int:
    """Proportional set size, KiB, of every process in group ``pgid``, added up (read from /proc; 0 where it is not there).

    PSS counts a page shared by n processes (a forked worker's copy of its parent's modules) as 1/n
    in each, so the sum is the memory the whole command holds; summing resident sizes would count
    shared pages once per process.
    """
    total = 0
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, ProcessLookupError):
            continue
    return total


def timed(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, stdout: Path | None = None, stderr: Path | None = None,
          limit_s: float = 600.0) -> Run:
    """Run ``cmd`` (output to the files ``stdout``/``stderr`` or discarded) and time it; kill its process group after ``limit_s`` seconds."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    err = open(stderr, "wb") if stderr else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        sampled = 0
        stopped = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            sampled = max(sampled, _group_pss_kib(proc.pid))
            if time.perf_counter() - start > limit_s:
                stopped = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.5)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for f in (out, err):
            if f is not subprocess.DEVNULL:
                f.close()  # type: ignore[union-attr]
    # the largest single process (ru_maxrss, exact) or the whole group's sampled PSS, whichever is larger
    peak = max(usage.ru_maxrss, sampled) / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, stopped, None if stopped else proc.returncode)
