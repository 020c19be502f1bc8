"""What a process wrote to a pseudo-terminal, read until it ends (for tests that run dxplan on a terminal)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
from pathlib import Path
from typing import Any

#: Where :func:`run_on_terminal` puts a stream: on the pseudo-terminal.
TERMINAL = object()


def read_terminal(proc: subprocess.Popen, leader: int) -> tuple[int, bytes]:
    """Read the pseudo-terminal ``leader`` (whose follower ``proc`` writes to; the caller has closed its own copy
    of the follower) until ``proc`` ends or the terminal closes; closes ``leader``. Returns (exit code, the bytes
    the terminal received)."""
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    code = proc.wait()
    os.close(leader)
    return code, seen


def run_on_terminal(cmd: list[str], env: dict[str, str], cwd: Path, *, stdout: Any = TERMINAL, stderr: Any = TERMINAL) -> tuple[int, bytes]:
    """Run ``cmd`` with its standard output and/or error on one new pseudo-terminal (:data:`TERMINAL`), the
    other where given (a file, as :class:`subprocess.Popen` takes it). Returns (exit code, the bytes the
    terminal received), read by :func:`read_terminal`."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=follower if stdout is TERMINAL else stdout, stderr=follower if stderr is TERMINAL else stderr,
                            env=env, cwd=cwd)
    os.close(follower)
    return read_terminal(proc, leader)
