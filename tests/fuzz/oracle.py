"""The fuzz oracle: run a plan folder through the real ``dxplan`` commands and judge the outcome.

:func:`check_folder` runs ``lint``, ``status``, ``score``, ``report --format md`` (to standard output),
``fmt --check``, ``report --format html`` (default output file) and ``export --format xlsx|csv|json``
(and ``export -d DEPARTMENT`` when the case names one), ``status --by indicator`` and ``status --by
action`` on one plan folder, each in its own process with a timeout and an address-space
limit, with the parse cache on (a private ``DXPLAN_CACHE_DIR``) or off (``DXPLAN_NO_CACHE=1``),
and returns a list of :class:`Failure` (empty = the folder passed). What counts as a failure:

- ``traceback``: "Traceback" in standard output or error (an uncaught exception);
- ``crash``: the process died of a signal (segmentation fault, memory, file size);
- ``hang``: still running after the timeout (killed);
- ``bad-exit``: an exit code outside the documented {0, 1, 2};
- ``unpositioned``: a lint problem line without ``file:line:column``, with line < 1, column < 1,
  a line past the end of the file (its line count + 1), or a path that is not a file;
- ``lint-clean-but-failed``: lint exited 0 but ``status``, ``score``, ``report`` or ``export`` did not;
- ``raw-control``: ESC, BEL or CSI on standard output or error (no writer colours output that is not
  a terminal, so it came from plan text and would be interpreted by the terminal);
- ``csv-formula``: a CSV export cell that a spreadsheet runs as a formula (``=``, ``+``, ``@``, tab,
  CR, or ``-`` unless a plain negative number) — OWASP's CSV injection;
- ``escape``: a command wrote a file outside its working folder (``report --format html``
  without ``-o`` names its file after the plan id);
- ``lint-rejects-but-used``: lint reported a file as unreadable (a rule in :data:`LOAD_RULES`)
  but ``status``, ``score`` or ``report`` exited 0 without a word on standard error.

Two runners start the processes: :class:`ExecRunner` runs the installed ``dxplan`` script
(exactly what a user runs; ~0.7 s of start-up each), :class:`ForkRunner` forks them from a
server that imported dxplan once (same entry point, same limits, ten times faster). Findings are
re-checked with :class:`ExecRunner` before they are reported.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

#: Seconds before a command is killed, and its address-space limit (bytes).
TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", "20"))
#: A command is a hang when it uses TIMEOUT seconds of CPU (killed by SIGXCPU), or is still running after
#: TIMEOUT × WALL_FACTOR seconds of wall-clock time (blocked without using CPU). Wall time alone is not
#: used: on a machine shared with other work it stretches with the load average.
WALL_FACTOR = float(os.environ.get("FUZZ_WALL_FACTOR", "6"))
MEMORY = int(os.environ.get("FUZZ_MEMORY", str(1 << 30)))
#: Largest file a command may write (bytes); past it the process dies of SIGXFSZ (a crash).
FSIZE = 256 << 20

#: The commands run on every folder, in this order (lint first: the others are judged by it).
#: CORE_COMMANDS are those of the earlier campaigns (the regression fixtures of tests/fixtures/fuzz are
#: judged by them); COMMANDS adds the exports.
CORE_COMMANDS: dict[str, list[str]] = {
    "lint": ["lint"],
    "status": ["status"],
    "score": ["score"],
    "report": ["report", "--format", "md"],  # Markdown without -o goes to standard output
    "fmt": ["fmt", "--check"],
    "report_html": ["report", "--format", "html"],
}
COMMANDS: dict[str, list[str]] = {
    **CORE_COMMANDS,
    "status_indicator": ["status", "--by", "indicator"],
    "status_action": ["status", "--by", "action"],
    "export_xlsx": ["export", "--format", "xlsx"],  # default output file <plan>.xlsx in the working folder
    "export_csv": ["export", "--format", "csv"],  # standard output
    "export_json": ["export", "--format", "json"],
    "publish": ["publish", "--no-history", "-o", "dxfuzz-publish"],  # in the working folder beside the plan, replaced on each run
}
#: Commands that must succeed on a folder lint calls clean.
DATA_COMMANDS = ("status", "status_indicator", "status_action", "score", "report", "export_xlsx", "export_csv", "export_json", "export_dept", "publish")


def export_dept_command(department: str, fmt: str) -> list[str]:
    """``export -d DEPARTMENT --format FMT`` (xlsx to its default file, csv and json to standard output)."""
    return ["export", "--format", fmt, "-d", department]
#: Lint rules that mean "this file was not read": the other commands must not use it silently.
LOAD_RULES = frozenset({"yaml-syntax", "duplicate-key", "encoding", "io-error", "empty-file", "yaml-tag", "limit-exceeded"})

_PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>-?\d+):(?P<col>-?\d+): (?P<sev>error|warning|info|note) (?P<rule>[\w.-]+) ")
_SUMMARY = re.compile(r"^\d+ (ファイルを検査|files? checked)")
_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>.+)$')


@dataclass
class Result:
    """One command's outcome: exit code (None if killed by a signal), signal, timeout, output."""

    command: str
    argv: list[str]
    rc: int | None
    signal: int | None
    timed_out: bool
    elapsed: float
    maxrss_kb: int
    stdout: str
    stderr: str


@dataclass
class Failure:
    """One broken promise: ``kind`` (see module doc), the command, a dedup ``signature``, detail."""

    kind: str
    command: str
    signature: str
    detail: str
    cache: bool = False
    stderr_tail: str = ""
    elapsed: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)


def base_env(cache_dir: Path | None) -> dict[str, str]:
    """The environment of a command: the caller's, standard tracebacks, cache on (dir) or off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXPLAN_", "PYTEST_", "GITHUB_"))}
    env["_TYPER_STANDARD_TRACEBACK"] = "1"  # plain tracebacks, so frames can be read
    env["COLUMNS"] = "120"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if cache_dir is None:
        env["DXPLAN_NO_CACHE"] = "1"
    else:
        env["DXPLAN_CACHE_DIR"] = str(cache_dir)
    return env


def _read(path: Path, limit: int = 1 << 20) -> str:
    with open(path, "rb") as fh:
        data = fh.read(limit)
    return data.decode("utf-8", errors="replace")


class ExecRunner:
    """Runs the installed ``dxplan`` script in a subprocess with rlimits and a timeout."""

    def __init__(self, exe: str | None = None) -> None:
        self.exe = exe or dxplan_executable()

    def run(self, argv: list[str], cwd: Path, env: dict[str, str], timeout: float = TIMEOUT,
            mem: int = MEMORY) -> tuple[int | None, int | None, bool, float, int, str, str]:
        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
            resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE, FSIZE))
            cpu = max(1, int(timeout))
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

        with tempfile.TemporaryDirectory(prefix="dxfuzz-out-") as tmp:
            out, err = Path(tmp, "out"), Path(tmp, "err")
            start = time.monotonic()
            with open(out, "wb") as fo, open(err, "wb") as fe:
                proc = subprocess.Popen([self.exe, *argv], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=fo, stderr=fe, preexec_fn=limits, start_new_session=True)
                timed_out = False
                try:
                    proc.wait(timeout * WALL_FACTOR)
                except subprocess.TimeoutExpired:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            elapsed = time.monotonic() - start
            rc = proc.returncode
            code, sig = (rc, None) if rc >= 0 else (None, -rc)
            return code, sig, timed_out, elapsed, 0, _read(out), _read(err)

    def close(self) -> None:
        pass


class ForkRunner:
    """Forks each command from a server process (``forkserver.py``) that imported dxplan once."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="dxfuzz-fork-"))

    def _server(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("forkserver.py"))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
                env={**base_env(None), "PYTHONDONTWRITEBYTECODE": "1"},
            )
        return self.proc

    def run(self, argv: list[str], cwd: Path, env: dict[str, str], timeout: float = TIMEOUT,
            mem: int = MEMORY) -> tuple[int | None, int | None, bool, float, int, str, str]:
        proc = self._server()
        out, err = self.tmp / "out", self.tmp / "err"
        req = {"argv": argv, "cwd": str(cwd), "env": env, "timeout": timeout, "wall_factor": WALL_FACTOR, "mem": mem,
               "fsize": FSIZE, "stdout": str(out), "stderr": str(err)}
        assert proc.stdin and proc.stdout
        proc.stdin.write(json.dumps(req) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("fork server died")
        rep = json.loads(line)
        return (rep["rc"], rep["signal"], rep["timed_out"], rep["elapsed"], rep["maxrss_kb"],
                _read(out), _read(err))

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.stdin:
                self.proc.stdin.close()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def dxplan_executable() -> str:
    """The ``dxplan`` script beside the running interpreter (the venv's), else the one on PATH."""
    here = Path(sys.executable).parent / "dxplan"
    if here.exists():
        return str(here)
    found = shutil.which("dxplan")
    if not found:
        raise RuntimeError("dxplan is not installed: pip install -e '.[test]'")
    return found


def make_runner(kind: str | None = None):
    """A runner by name: ``fork`` (default, or ``FUZZ_RUNNER``) or ``exec``."""
    kind = kind or os.environ.get("FUZZ_RUNNER", "fork")
    return ExecRunner() if kind == "exec" else ForkRunner()


# --------------------------------------------------------------------------- judging


def traceback_signature(text: str) -> tuple[str, str]:
    """(signature, last lines) of the last traceback in ``text``.

    The signature is the exception type plus the innermost frame inside dxplan
    (``ValueError @ dxplan/score.py:_fmt``); without a dxplan frame, the innermost frame at all.
    """
    idx = text.rfind("Traceback (most recent call last)")
    block = text[idx:] if idx >= 0 else text
    lines = block.splitlines()
    frames = [m for m in (_FRAME.match(ln) for ln in lines) if m]
    # the exception line: the first line at column 0 after the last frame (its message may go on
    # over more lines); without frames, the last line at column 0
    exc_line = ""
    last = max((i for i, ln in enumerate(lines) if _FRAME.match(ln)), default=None)
    after = lines[last + 1:] if last is not None else list(reversed(lines[1:]))
    for ln in after:
        if ln and not ln.startswith((" ", "\t")):
            exc_line = ln
            break
    exc_type = exc_line.split(":", 1)[0].strip() or "?"
    exc_type = exc_type.rsplit(".", 1)[-1]
    where = "?"
    for m in reversed(frames):
        rest = m["file"].replace("\\", "/").rpartition("/dxplan/")[2]
        if rest != m["file"] and "site-packages" not in rest and not rest.startswith("."):
            where = "dxplan/" + rest + ":" + m["func"]
            break
    else:
        if frames:
            m = frames[-1]
            where = m["file"].rsplit("/", 1)[-1] + ":" + m["func"]
    # where a library raised it, when that tells causes apart (not for RecursionError: any frame)
    if frames and where != "?" and not where.endswith(":" + frames[-1]["func"]) and exc_type != "RecursionError":
        m = frames[-1]
        where += " via " + m["file"].rsplit("/", 1)[-1] + ":" + m["func"]
    tail = "\n".join(lines[-6:]) if last is None else "\n".join(lines[max(last - 3, 0):][:12])
    return f"{exc_type} @ {where}", tail


#: Characters a terminal interprets (ESC, BEL, CSI), never written raw from plan text.
RAW_CONTROLS = ("\x1b", "\x07", "\x9b")


def csv_formulas(text: str) -> list[str]:
    """CSV cells a spreadsheet would run as a formula: starting with ``=``, ``+``, ``@``, tab, CR, or
    ``-`` unless the cell is a plain negative number (OWASP CSV injection)."""
    import csv
    import io

    found = []
    try:
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")):
            found += [f for f in row if (f and f[0] in "=+@\t\r")
                      or (f.startswith("-") and not re.fullmatch(r"-\d+(?:\.\d+)?", f))]
    except csv.Error:
        return []
    return found


def _line_count(path: Path) -> int:
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    return max(len(text.splitlines()), data.count(b"\n"))


def lint_problems(stdout: str, cwd: Path) -> tuple[list[tuple[Path, int, int, str, str]], list[str]]:
    """Parse lint's text output: ([(path, line, col, severity, rule)], [lines that are not problems])."""
    found, loose = [], []
    lines = [ln for ln in stdout.split("\n") if ln.strip()]  # "\n" only: tools read lines so
    if lines and _SUMMARY.match(lines[-1]):
        lines = lines[:-1]
    for ln in lines:
        m = _PROBLEM.match(ln)
        if not m:
            loose.append(ln)
            continue
        found.append((cwd / m["path"], int(m["line"]), int(m["col"]), m["sev"], m["rule"]))
    return found, loose


def judge(results: dict[str, Result], cwd: Path, cache: bool) -> list[Failure]:
    """Every broken promise in one folder's results (see the module doc for the kinds)."""
    fails: list[Failure] = []

    def add(kind: str, res: Result, sig: str, detail: str, tail: str = "") -> None:
        fails.append(Failure(kind, res.command, sig, detail, cache, tail or res.stderr[-1500:], res.elapsed))

    for name, res in results.items():
        where = f"{name}" + (" (cache)" if cache and name != "lint" else "")
        if res.timed_out:
            add("hang", res, "hang", f"{where} still running after {TIMEOUT * WALL_FACTOR:g} s")
            continue
        if res.signal == signal.SIGXCPU:
            add("hang", res, "hang", f"{where} used {TIMEOUT:g} s of CPU")
            continue
        if res.signal is not None:
            signame = signal.Signals(res.signal).name if res.signal in signal.Signals._value2member_map_ else str(res.signal)
            add("crash", res, signame, f"{where} killed by {signame}")
            continue
        for stream in (res.stderr, res.stdout):
            if "Traceback" in stream:
                sig, tail = traceback_signature(stream)
                add("traceback", res, sig, f"{where} exit {res.rc}", tail)
                break
        if res.rc not in (0, 1, 2):
            add("bad-exit", res, f"exit {res.rc}", f"{where} exit {res.rc}")
        # no writer colours its output when it is not a terminal: an escape here came from plan text
        for label, stream in (("stdout", res.stdout), ("stderr", res.stderr)):
            raw = sorted({repr(c) for c in RAW_CONTROLS if c in stream})
            if raw:
                add("raw-control", res, f"{name}: raw {', '.join(raw)} on {label}", f"{where} {label}")
        if res.argv[:1] == ["export"] and "csv" in res.argv and res.rc == 0:
            formulas = csv_formulas(res.stdout)
            if formulas:
                add("csv-formula", res, f"{name}: CSV cell starts a formula", f"{where}: {formulas[0]!r}")

    lint = results.get("lint")
    if lint and lint.rc in (0, 1) and "Traceback" not in lint.stderr + lint.stdout:
        problems, loose = lint_problems(lint.stdout, cwd)
        for ln in loose:
            add("unpositioned", lint, "lint line without file:line:column", repr(ln[:300]))
        for path, line, col, _sev, rule in problems:
            if not path.is_file():
                add("unpositioned", lint, f"{rule}: position names a non-file", f"{path.name}:{line}:{col}")
                continue
            n = _line_count(path)
            if line < 1 or col < 1:
                add("unpositioned", lint, f"{rule}: line or column < 1", f"{path.name}:{line}:{col}")
            elif line > n + 1:
                add("unpositioned", lint, f"{rule}: line past the end", f"{path.name}:{line}:{col} (file has {n} lines)")
        for name in DATA_COMMANDS:
            res = results.get(name)
            if res is None:
                continue
            if lint.rc == 0 and res.rc != 0 and not res.timed_out:
                add("lint-clean-but-failed", res, f"lint clean, another command exit {res.rc}",
                    f"lint exit 0, {name} exit {res.rc}")
            unread = sorted({p.name for p, _l, _c, sev, rule in problems if sev == "error" and rule in LOAD_RULES})
            why = sorted({rule for _p, _l, _c, sev, rule in problems if sev == "error" and rule in LOAD_RULES})
            if unread and res.rc == 0 and not res.stderr.strip():
                add("lint-rejects-but-used", res, f"lint rejects a file ({', '.join(why)}), another command uses it silently",
                    f"lint: {', '.join(unread)} not readable; {name} exit 0 with nothing on stderr")
    pub = results.get("publish")
    if lint and pub and lint.rc == 1 and pub.rc == 0:
        add("lint-rejects-but-used", pub, "lint finds errors, publish published", "lint exit 1, publish exit 0")
    # one failure per (kind, signature): the commands it happened in are joined
    merged: dict[tuple[str, str], Failure] = {}
    for f in fails:
        key = (f.kind, f.signature)
        if key not in merged:
            merged[key] = f
        elif f.command not in merged[key].command.split(", "):
            merged[key].command += ", " + f.command
            merged[key].detail += "; " + f.detail
    return list(merged.values())


#: Files the hostile plan ids of the mutation library would make a report write (checked, removed).
ESCAPE_PROBES = ("/tmp/dxfuzz-escape", "/tmp/dxfuzz-abs")


def _escape_probes() -> set[str]:
    found = set()
    for probe in ESCAPE_PROBES:
        base = Path(probe)
        found |= {str(p) for p in base.parent.glob(base.name + "*")}
    return found


def check_folder(folder: Path, runner, *, cache: bool, commands: dict[str, list[str]] | None = None,
                 timeout: float = TIMEOUT, mem: int = MEMORY,
                 fail_fast: bool = False) -> tuple[list[Failure], dict[str, Result]]:
    """Run ``commands`` (default :data:`COMMANDS`) on ``folder`` and judge them.

    The commands run with the folder's parent as working folder and the folder's name as PATH, so
    positions come out relative. That parent should be a folder of its own inside a scratch folder
    (``scratch/work/plan``): a file that appears in ``scratch`` beside ``work``, or at one of
    :data:`ESCAPE_PROBES`, is an ``escape``. ``cache`` True gives the commands one fresh private
    parse cache (the first command fills it, the later ones read it), False sets
    ``DXPLAN_NO_CACHE=1``. ``fail_fast`` stops after the first command that hangs, crashes or prints
    a traceback (a regression check needs one). Returns (failures, results by command name).
    """
    commands = commands or COMMANDS
    work = folder.parent
    scratch = work.parent
    before = {p.name for p in scratch.iterdir()}
    probes_before = _escape_probes()
    with tempfile.TemporaryDirectory(prefix="dxfuzz-cache-") as cache_dir:
        env = base_env(Path(cache_dir) if cache else None)
        results: dict[str, Result] = {}
        escapes: list[tuple[Result, list[str]]] = []
        seen = set(before) | probes_before
        for name, args in commands.items():
            argv = [*args, folder.name]
            rc, sig, to, el, rss, out, err = runner.run(argv, work, env, timeout, mem)
            results[name] = Result(name, argv, rc, sig, to, el, rss, out, err)
            now = {p.name for p in scratch.iterdir()} | _escape_probes()
            if now - seen:  # this command wrote outside its working folder
                escapes.append((results[name], sorted(Path(n).name for n in now - seen)))
                seen |= now
            if fail_fast and (to or sig is not None or "Traceback" in out + err):
                break
    fails = judge(results, work, cache)
    for res, names in escapes:
        fails.append(Failure("escape", res.command, "a command wrote outside its working folder",
                             "wrote " + ", ".join(names), cache, res.stderr[-500:], res.elapsed))
    for name in _escape_probes() - probes_before:
        Path(name).unlink(missing_ok=True)
    return fails, results
