"""Benchmark: ``dxplan report plans/kama --format pdf`` end to end, and where WeasyPrint spends the time.

Usage: .venv/bin/python bench/bench_pdf.py [--runs N] [--plan plans/kama] [--profile] [--top N] [--variants [NAME,…] [--calls]] [--memory]

- timing: the command run ``--runs`` times (default 3) as a fresh process, as a user runs it
  (``python -m dxplan report PLAN --format pdf -o FILE``), printed by WeasyPrint each time (the results
  cache holding the plan's parsed files, not its report), and the HTML report the same way; then both
  again with the report kept (the same report of the unchanged plan a second time); prints each
  run's wall-clock and CPU seconds with their minimum and median, the peak RSS, the PDF's CPU time as a
  multiple of the HTML's, and the load average before and after (on a shared machine the wall time
  stretches with the load, the CPU time much less);
- ``--variants``: the report's print HTML rendered once, then printed by WeasyPrint in a fresh process
  per variant (:data:`VARIANTS`: the stylesheet or WeasyPrint's options changed one way each), ``--runs``
  rounds with the variants interleaved; a table of CPU seconds (import + print), wall seconds and peak
  RSS per variant, and the pages and bytes of its PDF, to see what each costs; ``--calls`` adds one
  run of each under cProfile and its count of Python function calls, which does not move with the
  machine's load as the CPU seconds do;
- ``--memory``: the report's print HTML printed once by WeasyPrint in a fresh process, the cyclic
  collector paused as dxplan pauses it; the resident memory (RSS, MiB) after each step (import, HTML
  parsed, laid out, written) and the peak, with the bytes of the font files WeasyPrint copies whole
  into Python to embed them (one copy per face used, before subsetting), to see what holds the peak;
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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """Run ``cmd`` as a fresh process: its wall-clock seconds, CPU (user + system) seconds, peak RSS (MiB)
    and standard output. Raises CalledProcessError when it fails."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.DEVNULL, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, cmd)
        out.seek(0)
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read()


def time_command(plan: Path, runs: int, fmt: str = "pdf", kept: bool = False) -> tuple[list[float], list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds and peak RSS (MiB) of each of ``runs`` fresh
    ``dxplan report PLAN --format FMT`` processes. CPU time stretches far less than wall time when other
    work shares the machine.

    Each run starts from a copy of a results cache that one ``dxplan lint PLAN`` filled (the plan's files
    parsed before, as a user has them), so the report is made afresh every time (the HTML rendered, the
    PDF printed); with ``kept`` every run uses a cache in which one unmeasured run of the same command
    kept its report (the same report of the unchanged plan again: dxplan writes the kept one)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("DXPLAN_NO_CACHE", None)
    wall, cpu, rss = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"report.{fmt}"
        warmed = Path(tmp) / "cache-warmed"
        report = [sys.executable, "-m", "dxplan", "report", str(plan), "--format", fmt, "-o", str(out)]
        run_measured([sys.executable, "-m", "dxplan", "lint", str(plan)], dict(env, DXPLAN_CACHE_DIR=str(warmed)))
        if kept:
            run_measured(report, dict(env, DXPLAN_CACHE_DIR=str(warmed)))
        for i in range(runs):
            folder = warmed
            if not kept:
                folder = Path(tmp) / f"cache-{i}"
                shutil.copytree(warmed, folder)
            w, c, r, _ = run_measured(report, dict(env, DXPLAN_CACHE_DIR=str(folder)))
            wall.append(w)
            cpu.append(c)
            rss.append(r)
    return wall, cpu, rss


#: What ``--variants`` measures: name → (CSS added after the report's stylesheet, WeasyPrint
#: ``write_pdf`` options). ``as printed`` is dxplan's PDF; the others change one thing each.
VARIANTS: dict[str, tuple[str, dict[str, object]]] = {
    "as printed (PDF/UA-1)": ("", {"pdf_variant": "pdf/ua-1"}),
    "untagged (no PDF/UA structure)": ("", {}),
    "one font family": ('html { font-family: "Noto Sans CJK JP", sans-serif; }', {"pdf_variant": "pdf/ua-1"}),
    "table-layout: fixed everywhere": ("table { table-layout: fixed; }", {"pdf_variant": "pdf/ua-1"}),
    "separate borders": ("table { border-collapse: separate; border-spacing: 0; }", {"pdf_variant": "pdf/ua-1"}),
    "no background colours": ("* { background: none !important; }", {"pdf_variant": "pdf/ua-1"}),
    "uncompressed streams": ("", {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": True}),
    "whole fonts embedded": ("", {"pdf_variant": "pdf/ua-1", "full_fonts": True}),
    "labels inline-block and legends flex (as before)": (
        ".label { display: inline-block; padding: 0 .45rem; } .legend { display: flex; } .legend li { display: list-item; margin-right: 0; }",
        {"pdf_variant": "pdf/ua-1"}),
    "separate borders with the 1px grid kept": (
        "table { border-collapse: separate; border-spacing: 0; } th, td { border-width: 0 1px 1px 0; }"
        " th:first-child, td:first-child { border-left-width: 1px; }"
        " thead > tr:first-child > *, table > tbody:first-child > tr:first-child > *, caption + tbody > tr:first-child > * { border-top-width: 1px; }"
        " tr.total th, tr.total td { border-top: 1px solid #4d4d4d; }",
        {"pdf_variant": "pdf/ua-1"}),
    "department and action tables fixed": ("table.dept-table, table.action-table { table-layout: fixed; }", {"pdf_variant": "pdf/ua-1"}),
    "contents without page numbers": (".toc a::after { content: none; }", {"pdf_variant": "pdf/ua-1"}),
    "no charts (cost of the inline SVG)": ("figure.chart svg { display: none; }", {"pdf_variant": "pdf/ua-1"}),
}

#: One variant printed in a fresh process: argv = HTML file, CSS, options (JSON), output file, "1" to
#: count the Python function calls (cProfile: slower, but the count does not depend on the machine's
#: load); prints "pages bytes calls". The collector is paused as dxplan pauses it (report.pdf._no_cyclic_gc).
_PRINT_ONE = """
import cProfile, gc, json, pstats, sys
from weasyprint import HTML
html = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[2]:
    html = html.replace("</head>", "<style>" + sys.argv[2] + "</style></head>", 1)
def refuse(url, *args, **kwargs):
    raise ValueError(url)
gc.disable()
prof = cProfile.Profile()
if sys.argv[5] == "1":
    prof.enable()
doc = HTML(string=html, url_fetcher=refuse, base_url=".").render()
pdf = doc.write_pdf(**json.loads(sys.argv[3]))
prof.disable()
open(sys.argv[4], "wb").write(pdf)
print(len(doc.pages), len(pdf), pstats.Stats(prof).total_calls if sys.argv[5] == "1" else 0)
"""


def variants(plan: Path, runs: int, names: list[str] | None, calls: bool = False) -> None:
    """Print the ``--variants`` table (see the module docstring); with ``calls``, one more run of each
    variant under cProfile gives the Python function calls of the print (millions)."""
    import json

    from dxplan.files.load import load_plan
    from dxplan.lint.engine import lint_plan
    from dxplan.report.figures import report_figures
    from dxplan.report.views import render_report
    from dxplan.score.actions import score_plan

    lp = load_plan(plan, positions=False)
    scores = score_plan(lp.plan, [la.action for la in lp.actions], lp.index)
    html = render_report(report_figures(lp, scores, lint_plan(lp), generated=dt.date.today()), "pdf", "ja")
    chosen = {name: VARIANTS[name] for name in (names or VARIANTS)}
    results: dict[str, list[tuple[float, float, float, str]]] = {name: [] for name in chosen}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(html, encoding="utf-8")
        for _ in range(runs):
            for name, (css, options) in chosen.items():
                out = str(Path(tmp) / "out.pdf")
                results[name].append(run_measured([sys.executable, "-c", _PRINT_ONE, str(source), css, json.dumps(options), out, "0"]))
        counted = {name: run_measured([sys.executable, "-c", _PRINT_ONE, str(source), css, json.dumps(options), str(Path(tmp) / "out.pdf"), "1"])[3].split()[2]
                   for name, (css, options) in chosen.items()} if calls else {}
    print(f"WeasyPrint alone on the print HTML ({len(html) / 1024:.0f} KiB), fresh process per run (import + print), "
          f"min of {runs}; load average now {os.getloadavg()[0]:.2f}")
    print("| variant | CPU s | wall s | peak RSS MiB | pages | PDF KiB | Python calls (M) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, rows in results.items():
        pages, size, _ = rows[0][3].split()
        count = f"{int(counted[name]) / 1e6:.2f}" if name in counted else "—"
        print(f"| {name} | {min(r[1] for r in rows):.2f} | {min(r[0] for r in rows):.2f} | {max(r[2] for r in rows):.0f} | {pages} | {int(size) / 1024:.0f} | {count} |")


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


def memory(plan: Path) -> None:
    """Print the ``--memory`` table (see the module docstring): the print HTML written to a temporary
    file and printed by a fresh process (:func:`memory_child`), so the figures hold WeasyPrint alone."""
    from dxplan.files.load import load_plan
    from dxplan.lint.engine import lint_plan
    from dxplan.report.figures import report_figures
    from dxplan.report.views import render_report
    from dxplan.score.actions import score_plan

    lp = load_plan(plan, positions=False)
    scores = score_plan(lp.plan, [la.action for la in lp.actions], lp.index)
    html = render_report(report_figures(lp, scores, lint_plan(lp), generated=dt.date.today()), "pdf", "ja")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(html, encoding="utf-8")
        out = subprocess.run([sys.executable, __file__, "--memory-of", str(source)], check=True, capture_output=True, text=True).stdout
    print(out, end="")


def memory_child(source: Path) -> None:
    """In a fresh process: print ``source`` (print HTML) with WeasyPrint and the RSS after each step."""
    import gc
    import resource

    def rss() -> float:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    steps: list[tuple[str, float]] = [("Python started", rss())]
    from weasyprint import HTML
    from weasyprint.pdf import fonts as pdf_fonts

    from dxplan.report.pdf import PDF_VARIANT

    copied: list[tuple[str, int, float]] = []  # (family, bytes, RSS after)
    original_init = pdf_fonts.Font.__init__

    def font_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        copied.append((str(self.family), len(self.file_content), rss()))

    pdf_fonts.Font.__init__ = font_init
    steps.append(("WeasyPrint imported", rss()))
    gc.disable()  # as dxplan prints (dxplan.report.pdf)
    html = HTML(string=source.read_text(encoding="utf-8"), base_url=".")
    steps.append(("HTML parsed", rss()))
    doc = html.render()
    steps.append((f"laid out ({len(doc.pages)} pages: boxes and their text layouts, kept until written)", rss()))
    pdf = doc.write_pdf(pdf_variant=PDF_VARIANT)
    steps.append((f"written ({len(pdf) / 1024:.0f} KiB)", rss()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| step | RSS after, MiB |")
    print("|---|---:|")
    for name, mib in steps:
        print(f"| {name} | {mib:.0f} |")
    print(f"| **peak** | **{peak:.0f}** |")
    print()
    print(f"Font files copied whole into Python to be embedded (drawing, before subsetting): {len(copied)} faces, "
          f"{sum(b for _, b, _ in copied) / 2**20:.1f} MiB in all"
          + "".join(f"; {family} {size / 2**20:.1f} MiB (RSS {after:.0f} after)" for family, size, after in copied))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--plan", type=Path, default=ROOT / "plans" / "kama")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--variants", nargs="?", const="", default=None, metavar="NAME,…")
    ap.add_argument("--calls", action="store_true", help="with --variants: also count each variant's Python calls (load-independent)")
    ap.add_argument("--memory", action="store_true", help="resident memory after each step of one print, and the font files copied")
    ap.add_argument("--memory-of", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_of is not None:
        memory_child(args.memory_of)
        return
    if args.memory:
        memory(args.plan)
        return
    if args.profile:
        profile(args.plan, args.top)
        return
    if args.variants is not None:
        variants(args.plan, args.runs, [n for n in args.variants.split(",") if n] or None, args.calls)
        return
    load_before = os.getloadavg()
    timed = {"html": time_command(args.plan, args.runs, "html"), "pdf": time_command(args.plan, args.runs, "pdf"),
             "html kept": time_command(args.plan, args.runs, "html", kept=True),
             "pdf kept": time_command(args.plan, args.runs, "pdf", kept=True)}
    load_after = os.getloadavg()
    for fmt, (wall, cpu, rss) in timed.items():
        for name, times in (("wall", wall), ("cpu", cpu)):
            print(f"{fmt} {name:4s} runs (s): {' '.join(f'{t:.2f}' for t in times)}; min {min(times):.2f} s, median {statistics.median(times):.2f} s")
        print(f"{fmt} peak RSS: {max(rss):.0f} MiB")
    print(f"pdf ÷ html (CPU, min): {min(timed['pdf'][1]) / min(timed['html'][1]):.1f}×")
    print(f"pdf kept (the same report of the unchanged plan again) ÷ html (CPU, min): {min(timed['pdf kept'][1]) / min(timed['html'][1]):.1f}×")
    print(f"load average 1/5/15 min before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
          f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
