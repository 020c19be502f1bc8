"""Benchmark: ``dxplan report plans/kama --format pdf`` end to end, and where WeasyPrint spends the time.

Usage: .venv/bin/python bench/bench_pdf.py [--runs N] [--plan plans/kama] [--profile] [--top N]

- timing: the command run ``--runs`` times (default 3) as a fresh process, as a user runs it
  (``python -m dxplan report PLAN --format pdf -o FILE``); prints each run's wall-clock and CPU seconds
  with their minimum and median, and the load average before and after (on a shared machine the wall
  time stretches with the load, the CPU time much less);
- ``--profile``: the same PDF once in this process under cProfile, the time split by phase (render the
  HTML, parse and cascade the CSS, lay out, draw and write the PDF including font subsetting) and the
  ``--top`` functions by cumulative time.

Not a timed test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def time_command(plan: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each of ``runs`` fresh ``dxplan report PLAN --format pdf``
    processes. CPU time stretches far less than wall time when other work shares the machine."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    wall, cpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.pdf"
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "dxplan", "report", str(plan), "--format", "pdf", "-o", str(out)],
                           check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


#: Where WeasyPrint's time goes, each area by the one function that does it (file under weasyprint/, name).
AREAS = {
    "CSS: parse the stylesheet, match selectors, cascade": ("weasyprint/css/__init__.py", "get_all_computed_styles"),
    "box tree from the HTML (computed values on demand)": ("weasyprint/formatting_structure/build.py", "build_formatting_structure"),
    "layout of all pages": ("weasyprint/layout/__init__.py", "layout_document"),
    "  of which tables (the long ones split over pages)": ("weasyprint/layout/table.py", "table_layout"),
    "  of which auto table widths (min/max content)": ("weasyprint/layout/preferred.py", "table_and_columns_preferred_widths"),
    "  of which line breaking (Pango shaping, fonts)": ("weasyprint/text/line_break.py", "split_first_line"),
    "draw the pages (text, borders, backgrounds, SVG)": ("weasyprint/draw/__init__.py", "draw_page"),
    "fonts: subset and embed": ("weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    "tags: PDF/UA structure tree": ("weasyprint/pdf/tags.py", "add_tags"),
    "images: decode (the report has none but SVG)": ("weasyprint/images.py", "get_image_from_uri"),
}


def profile(plan: Path, top: int) -> None:
    """Print the phases of one PDF (seconds) and the ``top`` functions by cumulative time."""
    from weasyprint import HTML

    from dxplan.files.load import load_plan
    from dxplan.lint.engine import lint_plan
    from dxplan.report.figures import report_figures
    from dxplan.report.pdf import PDF_VARIANT
    from dxplan.report.views import render_report
    from dxplan.score.actions import score_plan

    prof = cProfile.Profile()
    phases: dict[str, float] = {}

    def phase(name: str, fn, *args, **kwargs):
        start = time.perf_counter()
        prof.enable()
        try:
            return fn(*args, **kwargs)
        finally:
            prof.disable()
            phases[name] = time.perf_counter() - start

    lp = load_plan(plan, positions=False)
    scores = score_plan(lp.plan, [la.action for la in lp.actions], lp.index)
    figures = report_figures(lp, scores, lint_plan(lp), generated=dt.date.today())
    html = phase("render HTML (Jinja)", render_report, figures, "pdf", "ja")
    doc = phase("parse HTML + CSS cascade + layout (render)", HTML(string=html, base_url=".").render)
    pdf = phase("draw + write PDF (fonts subset, tags)", doc.write_pdf, pdf_variant=PDF_VARIANT)
    print(f"{len(doc.pages)} pages, {len(pdf) / 1024:.0f} KiB, HTML {len(html) / 1024:.0f} KiB")
    for name, seconds in phases.items():
        print(f"  {name:45s} {seconds:6.2f} s")
    stats = pstats.Stats(prof)
    print("by area (cumulative seconds under the profiler; areas overlap where one calls another):")
    for area, (path, function) in AREAS.items():
        seconds = sum(v[3] for k, v in stats.stats.items() if k[0].endswith(path) and k[2] == function)
        print(f"  {area:55s} {seconds:6.2f} s")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    print(buf.getvalue())
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    print(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--plan", type=Path, default=ROOT / "plans" / "kama")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    if args.profile:
        profile(args.plan, args.top)
        return
    load_before = os.getloadavg()
    wall, cpu = time_command(args.plan, args.runs)
    load_after = os.getloadavg()
    for name, times in (("wall", wall), ("cpu", cpu)):
        print(f"{name:4s} runs (s): {' '.join(f'{t:.1f}' for t in times)}; min {min(times):.1f} s, median {statistics.median(times):.1f} s")
    print(f"load average 1/5/15 min before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
          f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
