"""What a process wrote to a pseudo-terminal, read until it ends (for tests that run dxplan on a terminal)."""

from __future__ import annotations

import os
import select
import subprocess


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
