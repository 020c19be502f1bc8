"""Benchmark: ``dxplan publish`` of a corpus, its CPU, wall and peak memory, and the package it writes compared with another build's.

Usage::

    python bench/bench_publish.py [--plans 400] [--corpus DIR] [--before SRC] [--history] [--json FILE]

Writes a corpus of ``--plans`` plans with ``bench/corpus.py`` (seed 0; or uses ``--corpus DIR``), then runs
``dxplan publish CORPUS -o PACKAGE --no-history -q`` (``--history``: with the status history from git, which a
corpus outside git leaves empty) once with this source tree and, with ``--before SRC`` (a ``src`` folder of
another build, e.g. ``git archive main src``), once with that one, each with an empty results cache
(``DXPLAN_CACHE_DIR`` a new folder). Each run is measured by :func:`measure.timed`: wall seconds, CPU seconds
(user + system of the process and its workers) and peak memory (the larger of the largest single process's
``ru_maxrss`` and the whole process group's proportional set size, sampled twice a second — so worker
processes count).

With ``--before``, the two packages are compared: ``datapackage.json`` and every CSV file byte for byte, every
Parquet file as rows (read by pyarrow: the same columns, types and rows in the same order; row groups may differ,
a streaming writer writes one per batch of plans). The row groups of each Parquet file are listed.
Exit 0, 1 when a run fails or the packages differ. Not a timed test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from measure import Run, timed  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def publish(src: Path, folder: Path, package: Path, cache: Path, history: bool, log: Path) -> Run:
    """One ``dxplan publish`` of ``folder`` into ``package`` with the source tree ``src``, measured."""
    env = dict(os.environ, PYTHONPATH=str(src), DXPLAN_CACHE_DIR=str(cache))
    cmd = [sys.executable, "-m", "dxplan", "publish", str(folder), "-o", str(package), "-q", "--history" if history else "--no-history"]
    return timed(cmd, env=env, stderr=log, limit_s=3600)


def differences(a: Path, b: Path) -> list[str]:
    """What differs between the packages ``a`` and ``b``: file names, CSV and JSON bytes, Parquet rows and schema."""
    import pyarrow.parquet as pq

    out = []
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()):
        out.append("the packages hold different files")
    for rel in names:
        if not (b / rel).is_file():
            continue
        if rel.endswith(".parquet"):
            ta, tb = pq.read_table(a / rel), pq.read_table(b / rel)
            if not ta.schema.equals(tb.schema, check_metadata=True) or not ta.equals(tb):
                out.append(f"{rel}: rows or schema differ")
        elif (a / rel).read_bytes() != (b / rel).read_bytes():
            out.append(f"{rel}: bytes differ")
    return out


def row_groups(package: Path) -> dict[str, tuple[int, int]]:
    """Each Parquet file's (rows, row groups)."""
    import pyarrow.parquet as pq

    out = {}
    for p in sorted((package / "data").glob("*.parquet")):
        meta = pq.ParquetFile(p).metadata
        out[p.stem] = (meta.num_rows, meta.num_row_groups)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: publish with each build, print a Markdown table, compare the packages. Exit 0, 1 on a failed run or a difference."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=400, help="plans in the corpus (default 400)")
    ap.add_argument("--corpus", type=Path, help="a corpus bench/corpus.py wrote before (default: write one)")
    ap.add_argument("--before", type=Path, help="the src folder of another build to run and compare with")
    ap.add_argument("--history", action="store_true", help="publish with --history (git history; none outside git)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="dxplan-bench-publish-") as tmp:
        scratch = Path(tmp)
        folder = args.corpus
        if folder is None:
            folder = scratch / "corpus"
            corpus.write_in_child(folder, args.plans)
        plans = sum(1 for p in folder.iterdir() if (p / "plan.yaml").is_file())
        builds = {"after": SRC} | ({"before": args.before.resolve()} if args.before else {})
        runs: dict[str, Run] = {}
        for name, src in reversed(list(builds.items())):
            print(f"… publishing {plans} plans with {name} ({src})", file=sys.stderr, flush=True)
            (scratch / f"cache-{name}").mkdir()
            runs[name] = publish(src, folder, scratch / f"package-{name}", scratch / f"cache-{name}", args.history, scratch / f"{name}.log")
            if runs[name].code != 0:
                print(f"{name}: exit {runs[name].code}\n{(scratch / f'{name}.log').read_text(errors='replace')[-2000:]}", file=sys.stderr)
                return 1
        diff = differences(scratch / "package-before", scratch / "package-after") if "before" in runs else []
        groups = row_groups(scratch / "package-after")
    print(f"## dxplan publish, {plans:,} plans — {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {load_before} → {_load()}\n")
    print("| build | wall s | CPU s | peak MiB |")
    print("|---|---:|---:|---:|")
    for name in builds:
        r = runs[name]
        print(f"| {name} | {r.wall_s:.2f} | {r.cpu_s:.2f} | {r.peak_mib:.0f} |")
    print("\nParquet (after): " + ", ".join(f"{k} {n:,} rows in {g} group(s)" for k, (n, g) in groups.items()))
    if "before" in runs:
        print("\nPackages: " + ("the same (CSV and datapackage.json byte for byte, Parquet row for row)" if not diff else "; ".join(diff)))
    if args.json:
        args.json.write_text(json.dumps({"plans": plans, "load_before": load_before, "differences": diff, "row_groups": groups,
                                         "runs": {k: vars(r) for k, r in runs.items()}}, indent=1) + "\n", encoding="utf-8")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
