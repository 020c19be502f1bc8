"""Benchmark: render every bundled plan as Markdown and HTML; print the median of several runs.

Usage: .venv/bin/python bench/bench_report.py [--runs N]

Two figures are printed, in seconds for all plans together:

- ``render``: scores, lint and report figures once per plan, then views and both
  templates, plans already loaded (the target: < 2 s);
- ``load+render``: the same including reading and validating the YAML files
  (what ``dxplan report plans/...`` costs end to end, without process start-up).

Not a timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import datetime as dt  # noqa: E402

from dxplan.report.figures import report_figures  # noqa: E402
from dxplan.lint.engine import lint_plan  # noqa: E402
from dxplan.files.load import load_plan  # noqa: E402
from dxplan.output.render import environment  # noqa: E402
from dxplan.report.views import render_report  # noqa: E402
from dxplan.score.actions import score_plan  # noqa: E402


def plan_folders() -> list[Path]:
    """Every folder under plans/ holding a plan.yaml."""
    return sorted(p.parent for p in (ROOT / "plans").glob("*/plan.yaml"))


def render_all(loaded, env) -> int:
    """Render every loaded plan in both formats; return the total output size in characters."""
    size = 0
    today = dt.date.today()
    for lp in loaded:
        scores = score_plan(lp.plan, [la.action for la in lp.actions], lp.index)
        figures = report_figures(lp, scores, lint_plan(lp), generated=today)
        for fmt in ("md", "html"):
            size += len(render_report(figures, fmt, "ja", env=env))
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    folders = plan_folders()
    env = environment()
    loaded = [lp for lp in (load_plan(f, positions=False) for f in folders) if lp.plan is not None]
    render_all(loaded, env)  # warm-up: template compilation, imports
    render_times, full_times = [], []
    size = 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        size = render_all(loaded, env)
        render_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        fresh = [lp for lp in (load_plan(f, positions=False) for f in folders) if lp.plan is not None]
        render_all(fresh, environment())
        full_times.append(time.perf_counter() - t0)
    names = ", ".join(f"{lp.plan.id} ({len(lp.actions)})" for lp in loaded)
    print(f"plans: {names}; output {size / 1e6:.2f} M characters per run")
    print(f"render (md + html, all plans): median {statistics.median(render_times):.3f} s over {args.runs} runs (min {min(render_times):.3f}, max {max(render_times):.3f})")
    print(f"load+render:                   median {statistics.median(full_times):.3f} s over {args.runs} runs (min {min(full_times):.3f}, max {max(full_times):.3f})")


if __name__ == "__main__":
    main()
