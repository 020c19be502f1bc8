"""Benchmark: ``dxplan compare`` on a national corpus, from the plan folders (YAML) and from the open-data package (DuckDB).

Usage::

    python bench/bench_compare.py [--plans 1741] [--runs 3] [--corpus DIR] [--json FILE]

Writes a corpus of ``--plans`` plans with ``bench/corpus.py`` (seed 0; or uses ``--corpus DIR``, one
written before), publishes it once with ``dxplan publish CORPUS -o PACKAGE --no-history -q`` (timed:
lint, load, score and write of every plan), then times, each a fresh process whose output is discarded:

- ``yaml cold``: ``dxplan compare CORPUS --format json`` with an empty results cache (``DXPLAN_CACHE_DIR``
  a new folder);
- ``yaml warm``: the same with the cache the cold run filled;
- ``package first``: ``dxplan compare PACKAGE --format json``, the first run after publishing (DuckDB keeps
  no cache of its own between processes; the operating system's file cache may hold the Parquet files,
  as it holds the YAML files for the runs above: this machine's caches are not dropped);
- ``package warm``: the same, again.

Each figure: wall seconds, CPU seconds (user + system of the child and its workers, ``os.wait4``) and
peak resident memory in MiB (``ru_maxrss``), the median of ``--runs`` runs (peak: the largest), a
measurement whose first run exceeds ``--long`` seconds run once. The JSON of both paths is checked to
be equal. The children run ``sys.executable -m dxplan`` with this environment (``PYTHONPATH`` picks the
source tree). Not a timed test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from bench_scale import Measure, Runner, _load, run_once  # noqa: E402

NATIONAL = 1741


def _dx(*args: str) -> list[str]:
    return [sys.executable, "-m", "dxplan", *args]


def main(argv: list[str] | None = None) -> int:
    """Command line: run the benchmark, print a Markdown table, optionally write JSON. Exit 0, 1 when a run fails or the figures differ."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=NATIONAL, help=f"plans in the corpus (default {NATIONAL:,}, every municipality)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is shown (default 3)")
    ap.add_argument("--long", type=float, default=30.0, help="do not repeat a measurement whose first run takes longer (s)")
    ap.add_argument("--corpus", type=Path, help="a corpus bench/corpus.py wrote before (default: write one)")
    ap.add_argument("--json", type=Path, help="also write every sample as JSON here")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.plans < 1:
        ap.error("--runs and --plans must be at least 1")
    load_before = _load()
    measures: dict[str, Measure] = {}
    with tempfile.TemporaryDirectory(prefix="dxplan-bench-compare-") as tmp:
        scratch = Path(tmp)
        runner = Runner(args.runs, args.long, scratch)
        folder = args.corpus
        if folder is None:
            folder = scratch / "corpus"
            corpus.write_in_child(folder, args.plans)
        plans = sum(1 for p in folder.iterdir() if (p / "plan.yaml").is_file())
        package = scratch / "package"
        env = runner.env(runner.fresh_cache())
        print(f"… publishing {plans} plans", file=sys.stderr, flush=True)
        measures["publish"] = Measure([run_once(_dx("publish", str(folder), "-o", str(package), "--no-history", "-q"), env)])
        size = sum(p.stat().st_size for p in (package / "data").glob("*.parquet"))
        warm: list[Path] = []

        def yaml_cold():
            cache = runner.fresh_cache()
            warm[:] = [cache]
            return run_once(_dx("compare", str(folder), "--format", "json", "-q"), runner.env(cache))

        print("… compare from YAML", file=sys.stderr, flush=True)
        measures["yaml cold"] = runner.measure(yaml_cold)
        measures["yaml warm"] = runner.measure(lambda: run_once(_dx("compare", str(folder), "--format", "json", "-q"), runner.env(warm[0])))
        print("… compare from the package", file=sys.stderr, flush=True)
        pkg = _dx("compare", str(package), "--format", "json", "-q")
        measures["package first"] = Measure([run_once(pkg, env)])
        measures["package warm"] = runner.measure(lambda: run_once(pkg, env))
        same = (subprocess.run(_dx("compare", str(folder), "--format", "json", "-q"), capture_output=True, env=runner.env(warm[0])).stdout
                == subprocess.run(pkg, capture_output=True, env=env).stdout)
    print(f"## dxplan compare, {plans:,} plans — {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {load_before} → {_load()}\n")
    print(f"Package: {size / 2**20:.1f} MiB of Parquet. JSON of both paths equal: {same}.\n")
    print("| measurement | runs | wall s | CPU s | peak MiB |")
    print("|---|---|---|---|---|")
    for name, m in measures.items():
        print(f"| {name} | {len(m.samples)} | {m.wall_s:.2f} | {m.cpu_s:.2f} | {m.peak_mib:.0f} |")
    if args.json:
        args.json.write_text(json.dumps({"plans": plans, "parquet_bytes": size, "equal": same, "load_before": load_before,
                                         "measures": {k: m.summary() for k, m in measures.items()}}, indent=1) + "\n", encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    print(f"\n{time.perf_counter() - start:.0f} s in all", file=sys.stderr)
    sys.exit(code)
