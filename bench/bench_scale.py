"""Benchmark: how dxplan's whole processes grow with the number of plans.

Usage::

    .venv/bin/python bench/bench_scale.py [--sizes 10,100,400] [--runs 3] [--national]
                                          [--long 30] [--json OUT]

For each size N, :mod:`corpus` writes N plan folders (seed 0, no errors) into a temporary
folder, and these processes are timed, each a fresh process as a user runs it:

- ``status cold``: ``dxplan status CORPUS`` with an empty results cache (``DXPLAN_CACHE_DIR``
  a new empty folder for every run); the last cold run's cache is kept for the warm runs;
- ``status warm``, ``score warm``: the same folder, the results cache filled by status (and, before
  ``score warm``, by one unmeasured ``score`` run: each command keeps its own results per plan);
- ``compare cold`` / ``compare warm``: ``dxplan compare CORPUS`` (one table of every plan, grouped
  by prefecture) with an empty results cache / the cache the last cold compare filled;
- ``lint cold`` / ``lint warm``: ``dxplan lint CORPUS`` with an empty cache / the cache the
  last cold lint filled (nothing changed since). The first lint starts at least
  ``SETTLE_S`` seconds after the corpus was written, so its files are older than dxplan's
  racy margin (:data:`dxplan.lint.engine.RACY_SECONDS`, 2 s) as a user's files are: the cold runs
  store every plan's stat signature and ``lint warm`` measures the steady state, every plan
  answered by the stat data of its files, none read;
- ``lint 1 changed``: the filled cache, after a comment line is appended to one action file
  (another line each run, so each run has one changed file to read again): that file's plan
  is read and linted again (the file was just written, so racy: no stat signature is stored
  for it), every other plan is answered by stat;
- ``check-jsonschema``: ``check-jsonschema --schemafile schemas/action.schema.json`` on the
  same action files, then ``plan.schema.json`` on the plan.yaml files (the wall and CPU
  times of both processes added, the peak the larger one; long file lists are split into
  several processes whose times are added too).

Also, once per run: ``dxplan --help``, ``dxplan status plans/kama`` and
``dxplan report plans/kama`` (warm cache). ``--national`` adds N = 1,741 (every
municipality; about 89,000 files and several GB of memory for ``lint``).

Every figure is the median of ``--runs`` runs, except that a measurement whose first run
takes longer than ``--long`` seconds is not repeated (the table gives the run count).
Times are wall-clock seconds and CPU seconds (user + system of the child, from
``os.wait4``); the CPU figure is the steadier one on a shared machine. Peak memory is the
child's maximum resident set size in MiB (``ru_maxrss``, which covers its worker processes), the
largest over the runs. On Linux a child's figure is at least this process's own peak at the
time it was spawned, so the corpus is written by a child process and this one stays small
(about 20 MiB): the figure is the command's own.

The growth exponent is the log-log slope of time against files between the smallest and
the largest N: 1 is linear, below 1 means fixed start-up costs still dominate the small N.

The executables are the ``dxplan`` and ``check-jsonschema`` next to ``sys.executable``
(the active venv). Not a timed test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

BIN = Path(sys.executable).parent
DXPLAN = BIN / "dxplan"
CHECK_JSONSCHEMA = BIN / "check-jsonschema"
NATIONAL = 1741
ARG_BYTES = 100_000  # file-list bytes per check-jsonschema process (well under ARG_MAX)
SETTLE_S = 2.5  # wait after writing a corpus: longer than dxplan.lint.engine.RACY_SECONDS (not imported: this process stays small)

SCALE_COLUMNS = ("lint cold", "lint warm", "lint 1 changed", "status cold", "status warm", "score warm", "compare cold", "compare warm",
                 "check-jsonschema")


@dataclass
class Sample:
    """One process (or several run one after the other, added up): seconds, CPU seconds, peak MiB."""

    wall_s: float
    cpu_s: float
    peak_mib: float


@dataclass
class Measure:
    """The runs of one measurement and their medians (seconds) and peak (MiB)."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def wall_s(self) -> float:
        return statistics.median(s.wall_s for s in self.samples)

    @property
    def cpu_s(self) -> float:
        return statistics.median(s.cpu_s for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.peak_mib for s in self.samples)

    def summary(self) -> dict:
        """The medians, the peak and every run, for ``--json``."""
        return {
            "runs": len(self.samples),
            "wall_s": round(self.wall_s, 4),
            "cpu_s": round(self.cpu_s, 4),
            "peak_mib": round(self.peak_mib, 1),
            "samples": [asdict(s) for s in self.samples],
        }


class BenchError(RuntimeError):
    """A timed process exited with an unexpected code (message: command, code, stderr tail)."""


def run_once(cmd: list[str], env: dict[str, str], cwd: Path = ROOT, ok: tuple[int, ...] = (0,)) -> Sample:
    """Run ``cmd`` once, output discarded; its wall seconds, CPU seconds and peak RSS.

    Raises BenchError when the exit code is not in ``ok``.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace")
            raise BenchError(f"{' '.join(cmd[:4])} … exited {proc.returncode}:\n{tail}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def run_chain(cmds: list[list[str]], env: dict[str, str], cwd: Path) -> Sample:
    """Run ``cmds`` one after the other; times added, peak the largest."""
    parts = [run_once(c, env, cwd) for c in cmds]
    return Sample(sum(p.wall_s for p in parts), sum(p.cpu_s for p in parts), max(p.peak_mib for p in parts))


class Runner:
    """Repeats measurements: ``runs`` times, once only if the first run exceeds ``long_s``."""

    def __init__(self, runs: int, long_s: float, scratch: Path):
        self.runs, self.long_s, self.scratch = runs, long_s, scratch
        self._n = 0

    def fresh_cache(self) -> Path:
        """A new empty cache folder."""
        self._n += 1
        path = self.scratch / f"cache-{self._n}"
        path.mkdir()
        return path

    def env(self, cache: Path) -> dict[str, str]:
        """The environment for a child: ours, with the results cache at ``cache``."""
        env = dict(os.environ, DXPLAN_CACHE_DIR=str(cache))
        env.pop("DXPLAN_NO_CACHE", None)
        return env

    def measure(self, once) -> Measure:
        """Call ``once()`` (returning a Sample) up to ``runs`` times."""
        m = Measure([once()])
        if m.samples[0].wall_s <= self.long_s:
            m.samples += [once() for _ in range(self.runs - 1)]
        return m


def _chunks(files: list[str]) -> list[list[str]]:
    out, cur, size = [], [], 0
    for f in files:
        if cur and size + len(f) + 1 > ARG_BYTES:
            out.append(cur)
            cur, size = [], 0
        cur.append(f)
        size += len(f) + 1
    if cur:
        out.append(cur)
    return out


def jsonschema_commands(folder: Path) -> list[list[str]]:
    """check-jsonschema commands for every action file and every plan.yaml under ``folder`` (paths relative to it)."""
    actions = sorted(p.relative_to(folder).as_posix() for p in folder.glob("*/actions/*.yaml"))
    plans = sorted(p.relative_to(folder).as_posix() for p in folder.glob("*/plan.yaml"))
    cmds = []
    for schema, files in (("action.schema.json", actions), ("plan.schema.json", plans)):
        for chunk in _chunks(files):
            cmds.append([str(CHECK_JSONSCHEMA), "--schemafile", str(ROOT / "schemas" / schema), *chunk])
    return cmds


def stat_signatures(cache: Path) -> int:
    """How many plan results in the results cache at ``cache`` carry a stat signature (answered by stat on the next run).

    0 for a cache without them (a dxplan from before the stat signature).
    """
    total = 0
    for db in cache.glob("results-*.sqlite3"):
        try:
            with sqlite3.connect(db) as conn:
                total += conn.execute("SELECT count(stat) FROM plans").fetchone()[0]
        except sqlite3.Error:
            pass
    return total


def bench_size(n: int, runner: Runner, scratch: Path, only: set[str] | None = None) -> dict:
    """Write a corpus of ``n`` plans and time every SCALE_COLUMNS measurement on it (or those in ``only``)."""
    folder = scratch / f"corpus-{n}"
    start = time.perf_counter()
    # in a child process: a process spawned by this one starts with this one's peak RSS as its
    # own (Linux keeps the peak across exec), so this process must stay small at every N
    corpus.write_in_child(folder, n)
    written = time.time()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    gen_s = time.perf_counter() - start
    dx = str(DXPLAN)
    target = str(folder)
    measures: dict[str, Measure] = {}
    warm: list[Path] = []

    def cold(sub: str):
        def once():
            cache = runner.fresh_cache()
            warm[:] = [cache]
            return run_once([dx, sub, target], runner.env(cache))
        return once

    def warm_run(sub: str):
        return lambda: run_once([dx, sub, target], runner.env(warm[0]))

    def want(name: str) -> bool:
        return only is None or name in only

    if want("status cold") or want("status warm") or want("score warm"):
        measures["status cold"] = runner.measure(cold("status"))
    if want("status warm"):
        measures["status warm"] = runner.measure(warm_run("status"))
    if want("score warm"):
        run_once([dx, "score", target], runner.env(warm[0]))  # score keeps its own results per plan: one run fills them
        measures["score warm"] = runner.measure(warm_run("score"))
    if want("compare cold") or want("compare warm"):  # every plan in one grouped table (by prefecture)
        measures["compare cold"] = runner.measure(cold("compare"))
    if want("compare warm"):
        measures["compare warm"] = runner.measure(warm_run("compare"))
    time.sleep(max(0.0, written + SETTLE_S - time.time()))  # the corpus's files are no longer racy
    measures["lint cold"] = runner.measure(cold("lint"))  # the last cold run's cache is kept
    if want("lint warm"):
        measures["lint warm"] = runner.measure(warm_run("lint"))
    signed = stat_signatures(warm[0])
    print(f"… N = {n}: {signed} of {n} plans in the cache have a stat signature", file=sys.stderr, flush=True)
    edited = sorted(folder.glob("*/actions/*.yaml"))[0]
    edits = iter(range(1, 1_000_000))

    def one_changed():
        with edited.open("a", encoding="utf-8") as fh:
            fh.write(f"# bench edit {next(edits)}\n")
        return run_once([dx, "lint", target], runner.env(warm[0]))

    if want("lint 1 changed"):
        measures["lint 1 changed"] = runner.measure(one_changed)
    cjs = jsonschema_commands(folder)
    if want("check-jsonschema"):
        measures["check-jsonschema"] = runner.measure(lambda: run_chain(cjs, runner.env(warm[0]), folder))
    return {
        "plans": n,
        "files": manifest["files"],
        "action_files": manifest["action_files"],
        "corpus_s": round(gen_s, 2),
        "stat_signatures": signed,
        "check_jsonschema_processes": len(cjs),
        "measures": measures,
    }


def bench_single(runner: Runner) -> dict[str, Measure]:
    """``dxplan --help``, ``status plans/kama`` and ``report plans/kama``, results cache warm."""
    cache = runner.fresh_cache()
    env = runner.env(cache)
    kama = str(ROOT / "plans" / "kama")
    cmds = {
        "dxplan --help": [str(DXPLAN), "--help"],
        "dxplan status plans/kama": [str(DXPLAN), "status", kama],
        "dxplan report plans/kama": [str(DXPLAN), "report", kama],
    }
    run_once(cmds["dxplan status plans/kama"], env)  # fill the results cache
    return {name: runner.measure(lambda c=cmd: run_once(c, env)) for name, cmd in cmds.items()}


def growth(rows: list[dict], key: str, attr: str) -> float | None:
    """Log-log slope of ``attr`` ("wall_s"/"cpu_s") of ``key`` against files, smallest to largest N."""
    if len(rows) < 2:
        return None
    a, b = rows[0], rows[-1]
    if key not in a["measures"] or key not in b["measures"]:
        return None
    ta, tb = getattr(a["measures"][key], attr), getattr(b["measures"][key], attr)
    if ta <= 0 or tb <= 0 or a["files"] == b["files"]:
        return None
    return math.log(tb / ta) / math.log(b["files"] / a["files"])


def _cell(m: Measure, attr: str, runs: int) -> str:
    runs = " ¹" if len(m.samples) < runs else ""
    return f"{getattr(m, attr):.2f} s / {m.peak_mib:.0f} MiB{runs}"


def scale_table(rows: list[dict], attr: str, runs: int) -> str:
    """The Markdown table of ``attr`` ("wall_s" or "cpu_s") per size, with ratio and growth rows.

    A cell is marked ¹ when it holds fewer than ``runs`` runs (its first run was long).
    """
    head = ["N", "files", *SCALE_COLUMNS, "lint cold ÷ check-jsonschema"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in rows:
        ms = r["measures"]
        ratio = f"{getattr(ms['lint cold'], attr) / getattr(ms['check-jsonschema'], attr):.2f}" if "check-jsonschema" in ms else "—"
        cells = [str(r["plans"]), f"{r['files']:,}", *(_cell(ms[c], attr, runs) if c in ms else "—" for c in SCALE_COLUMNS), ratio]
        lines.append("| " + " | ".join(cells) + " |")
    slopes = [growth(rows, c, attr) for c in SCALE_COLUMNS]
    if any(s is not None for s in slopes):
        cells = ["growth exponent", "", *("—" if s is None else f"{s:.2f}" for s in slopes), ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def single_table(single: dict[str, Measure]) -> str:
    """The Markdown table of the single-plan commands."""
    lines = ["| command | runs | wall s | CPU s | peak MiB |", "|---|---:|---:|---:|---:|"]
    for name, m in single.items():
        lines.append(f"| `{name}` | {len(m.samples)} | {m.wall_s:.3f} | {m.cpu_s:.3f} | {m.peak_mib:.0f} |")
    return "\n".join(lines)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux/macOS
        return "?"


def main(argv: list[str] | None = None) -> int:
    """Command line: run the benchmark, print Markdown tables, optionally write JSON. Exit 0, or 1 on a failed process."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,100,400", help="comma-separated plan counts (default 10,100,400)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is shown (default 3)")
    ap.add_argument("--national", action="store_true", help=f"add N = {NATIONAL:,} (every municipality)")
    ap.add_argument("--long", type=float, default=30.0, help="do not repeat a measurement whose first run takes longer (s)")
    ap.add_argument("--json", type=Path, help="also write every sample as JSON here")
    ap.add_argument("--only", help=f"comma-separated measurements to run (of: {', '.join(SCALE_COLUMNS)}; lint cold always runs)")
    args = ap.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | ({NATIONAL} if args.national else set()))
    except ValueError:
        ap.error(f"--sizes: not a comma-separated list of numbers: {args.sizes}")
    only = {c.strip() for c in args.only.split(",")} if args.only else None
    if only is not None and not only <= set(SCALE_COLUMNS):
        ap.error(f"--only: unknown measurement(s): {', '.join(sorted(only - set(SCALE_COLUMNS)))}")
    if args.runs < 1 or any(n < 1 for n in sizes):
        ap.error("--runs and every size must be at least 1")
    for exe in (DXPLAN, CHECK_JSONSCHEMA):
        if not exe.exists():
            ap.error(f"{exe} not found: install with  pip install -e '.[test]'  in the active venv")

    load_before = _load()
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="dxplan-bench-scale-") as tmp:
        scratch = Path(tmp)
        runner = Runner(args.runs, args.long, scratch)
        try:
            single = bench_single(runner)
            for n in sizes:
                print(f"… N = {n}", file=sys.stderr, flush=True)
                rows.append(bench_size(n, runner, scratch, only))
        except BenchError as exc:
            print(f"bench_scale.py: {exc}", file=sys.stderr)
            return 1
    total = time.perf_counter() - started

    print(f"## dxplan at scale — {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {load_before} → {_load()}, {total:.0f} s in all\n")
    print(f"Median of {args.runs} run(s); ¹ = one run only (first run over {args.long:g} s). "
          "Cells: time / peak RSS.\n")
    print("### Wall-clock seconds\n")
    print(scale_table(rows, "wall_s", args.runs))
    print("\n### CPU seconds (user + system)\n")
    print(scale_table(rows, "cpu_s", args.runs))
    print("\n### One plan (plans/kama, results cache warm)\n")
    print(single_table(single))
    if args.json:
        data = {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": _load(),
            "runs": args.runs,
            "long_s": args.long,
            "total_s": round(total, 1),
            "single": {k: m.summary() for k, m in single.items()},
            "sizes": [
                {**{k: v for k, v in r.items() if k != "measures"}, "measures": {k: m.summary() for k, m in r["measures"].items()}}
                for r in rows
            ],
            "growth": {
                attr: {c: growth(rows, c, attr) for c in SCALE_COLUMNS} for attr in ("wall_s", "cpu_s")
            },
        }
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
