"""A fork server that runs the ``dxplan`` console script in forked children.

Started as ``python forkserver.py`` by :class:`fuzz.oracle.ForkRunner`. It imports dxplan once
(the import is most of a command's start-up time), then for each request, one JSON object per
line on standard input::

    {"argv": [...], "cwd": str, "env": {...}, "timeout": s, "mem": bytes,
     "stdout": path, "stderr": path}

forks a child that sets the resource limits, changes folder, replaces its environment, points
file descriptors 0/1/2 at /dev/null and the two output files, and calls the ``dxplan`` console
script's entry point exactly as the installed ``dxplan`` script does (an uncaught exception prints a
traceback and gives exit code 1, as the interpreter would). The server answers one JSON line::

    {"rc": int | null, "signal": int | null, "timed_out": bool, "elapsed": s, "maxrss_kb": int}

A child that has used ``timeout`` seconds of CPU dies of SIGXCPU (RLIMIT_CPU); one still running after
``timeout × wall_factor`` seconds of wall-clock time (a command blocked without using CPU) is killed
with SIGKILL (``timed_out`` true). Judging a hang by CPU time keeps a loaded machine, where a
command's wall time stretches with the load average, from turning a slow run into a "hang".
The server is single-threaded, so forking it is safe. It is a test tool, not part of dxplan.
"""

from __future__ import annotations

import io
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from importlib.metadata import entry_points


def _entry():
    (ep,) = entry_points(group="console_scripts", name="dxplan")
    return ep.load()


def _child(req: dict, entry, proto_fds: tuple[int, int]) -> None:
    """Run one command in the forked child; never returns."""
    rc = 1
    try:
        mem = int(req.get("mem") or 0)
        if mem:
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        cpu = max(1, int(req.get("timeout", 20)))  # CPU seconds: SIGXCPU past it (judged a hang)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        fsize = int(req.get("fsize") or 0)
        if fsize:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(req["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        for fd in {null, out, err, *proto_fds} - {0, 1, 2}:
            os.close(fd)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                      errors="strict", newline=None)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                      errors="backslashreplace", newline=None, line_buffering=True)
        sys.argv = ["dxplan", *req["argv"]]
        try:
            entry()
            rc = 0
        except SystemExit as exc:
            code = exc.code
            if code is None:
                rc = 0
            elif isinstance(code, int):
                rc = code & 0xFF
            else:
                print(code, file=sys.stderr)
                rc = 1
        except BaseException:  # what the interpreter does with an uncaught exception
            traceback.print_exc()
            rc = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                traceback.print_exc(file=sys.__stderr__)
    except BaseException:  # a failure of the harness itself, before the command ran
        with open(req.get("stderr") or os.devnull, "a") as fh:
            fh.write("forkserver: " + traceback.format_exc())
        rc = 125
    finally:
        os._exit(rc)


def _wait(pid: int, timeout: float) -> tuple[int, bool, float, int]:
    """Wait for ``pid`` at most ``timeout`` s; kill it after. Return (status, timed_out, elapsed, maxrss)."""
    start = time.monotonic()
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout)
    finally:
        os.close(pidfd)
    timed_out = not ready
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    return status, timed_out, time.monotonic() - start, int(usage.ru_maxrss)


def _preload() -> None:
    """Import every dxplan module once, before forking.

    dxplan imports its heavy modules lazily (start-up time of one command); a forked child would
    otherwise import them again for every command. Importing them here, in the server, makes each
    child start with them loaded, as a long-running process would. A module that fails to import is
    left to fail in the child, where the oracle sees it.
    """
    import contextlib
    import importlib
    import pkgutil

    import dxplan

    for info in pkgutil.walk_packages(dxplan.__path__, "dxplan."):
        if info.name.endswith("__main__"):  # importing it would run the command line
            continue
        with contextlib.suppress(Exception):  # a failure is reported by the command that needs the module
            importlib.import_module(info.name)


def main() -> None:
    """Serve requests from standard input until it closes."""
    entry = _entry()
    if os.environ.get("DXFUZZ_PRELOAD", "1") != "0":
        _preload()
    proto_in, proto_out = sys.stdin.fileno(), sys.stdout.fileno()
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(req, entry, (proto_in, proto_out))
        timeout = float(req.get("timeout", 20))
        status, timed_out, elapsed, maxrss = _wait(pid, timeout * float(req.get("wall_factor", 1)))
        reply = {
            "rc": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "timed_out": timed_out,
            "elapsed": round(elapsed, 3),
            "maxrss_kb": maxrss,
        }
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
