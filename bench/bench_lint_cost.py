"""Benchmark: where a cold ``dxplan lint`` spends its CPU, per file, and the floor of the YAML reader under it.

Usage: .venv/bin/python bench/bench_lint_cost.py [--plans 100] [--seed 0] [--runs 3] [--src DIR]

The target this explains: ``lint`` with an empty results cache ≥ 10× less CPU than check-jsonschema on
the same files (bench/bench_scale.py measures both as users run them). Two tables, both from one
process, ``time.process_time`` (CPU seconds of this process, which the machine's load inflates much less
than wall time):

1. **Steps of a cold lint.** :func:`dxplan.lint.engine.lint_folder` over every plan of a generated
   corpus (``bench/corpus.py``, ``--plans`` copies of the bundled plans) in this one process (what one
   worker does), the results cache an empty temporary folder. Each step below is timed exclusively
   (a step's time leaves out the steps it calls) by wrapping the function the loader or the engine
   calls; "the rest" is ``lint_folder``'s time less every step. Milliseconds a file; the best of
   ``--runs`` rounds, each round with a fresh empty cache.
2. **The reader's floor.** The same texts, in memory, through: libyaml alone (ruamel.yaml.clib's
   ``raw_parse``: no Python object per event); libyaml's events as Python objects (the loop every
   Python reader of ruamel.yaml runs); dxplan's reader without positions (what a cold lint uses);
   dxplan's reader with positions (what ``fmt``, ``import`` and a file with findings use).
   Milliseconds a file, best of ``--runs``.

``--src``: the dxplan source folder to measure (default this checkout's ``src``), so that another
build can be measured by the same script. Not a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: (label, module, attribute) of each timed step; the attribute is replaced by a timing wrapper
STEPS: list[tuple[str, str, str]] = [
    ("reading the files and the plan's content hash", "dxplan.files.plan_key", "PlanFiles.read"),
    ("decoding UTF-8", "dxplan.files.load", "decode"),
    ("the reader (yamlread.parse)", "dxplan.files.load", "parse"),
    ("pydantic validation", "dxplan.files.load", "validate"),
    ("rules (run_checks)", "dxplan.lint.engine", "run_checks"),
    ("results cache: data entries and text keys", "dxplan.files.result_cache", "prefetch_data,get_data,put_data,text_key"),
    ("results cache: plan results, the transaction", "dxplan.files.result_cache", "get_plan,get_plan_by_stat,put_plan,flush"),
    ("staleness facts", "dxplan.lint.staleness", "facts"),
]


class Timer:
    """Exclusive CPU time per label: a wrapped call's time less the wrapped calls it made."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._stack: list[list[float]] = []  # per open call: [start, time of its wrapped callees]

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.process_time(), 0.0]
            self._stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                self._stack.pop()
                took = time.process_time() - frame[0]
                self.spent[label] = self.spent.get(label, 0.0) + took - frame[1]
                if self._stack:
                    self._stack[-1][1] += took
        return timed


def _place(module_name: str, name: str) -> tuple[Any, str]:
    """(the object holding ``name``, its last part): ``"PlanFiles.read"`` of a module is (the class, ``"read"``)."""
    import importlib

    owner: Any = importlib.import_module(module_name)
    *path, attr = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    return owner, attr


#: each replaced function as it was, by (module, name), for :func:`uninstall`
_ORIGINALS: dict[tuple[str, str], Any] = {}


def install(timer: Timer) -> None:
    """Replace each step's function by its timed wrapper (in the module that calls it); :func:`uninstall` puts them back."""
    for label, module_name, names in STEPS:
        for name in names.split(","):
            owner, attr = _place(module_name, name)
            original = _ORIGINALS.setdefault((module_name, name), getattr(owner, attr))
            setattr(owner, attr, timer.wrap(label, original))


def uninstall() -> None:
    """Put back every function :func:`install` replaced."""
    for (module_name, name), fn in _ORIGINALS.items():
        owner, attr = _place(module_name, name)
        setattr(owner, attr, fn)


def steps_table(corpus: Path, runs: int) -> tuple[list[str], int]:
    """Rows of the steps table and the number of files linted per round."""
    from dxplan.files.plan_key import plan_files
    from dxplan.lint import engine

    plans = sorted(p for p in corpus.iterdir() if p.is_dir())
    files = sum(len(plan_files(p).files) for p in plans)
    best: dict[str, float] | None = None
    best_total = float("inf")
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="dxplan-lint-cost-cache-") as cache:
            os.environ["DXPLAN_CACHE_DIR"] = cache
            from dxplan.files import result_cache

            result_cache.reset()  # the next call opens the database in this round's folder
            timer = Timer()
            install(timer)
            lint_folder = timer.wrap("lint_folder", engine.lint_folder)
            start = time.process_time()
            for plan in plans:
                lint_folder(plan)
            result_cache.flush()
            total = time.process_time() - start
            uninstall()
            result_cache.reset()
        if total < best_total:
            best_total, best = total, dict(timer.spent)
    assert best is not None
    rows = []
    named = 0.0
    for label, _, _ in STEPS:
        spent = best.get(label, 0.0)
        named += spent
        rows.append(f"| {label} | {spent / files * 1000:.3f} |")
    rows.append(f"| the rest (listing, stat signature, problem rows, the loader's book-keeping) | {(best_total - named) / files * 1000:.3f} |")
    rows.append(f"| **`lint_folder` in all** | **{best_total / files * 1000:.3f}** |")
    return rows, files


def reader_table(corpus: Path, runs: int) -> list[str]:
    """Rows of the reader's-floor table over every YAML text of ``corpus``."""
    from ruamel.yaml.cyaml import CParser

    from dxplan.yamlread import Limits, parse

    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.yaml"))]
    limits = Limits.from_env()

    def raw() -> None:
        for t in texts:
            CParser(t).raw_parse()

    def events() -> None:
        for t in texts:
            p = CParser(t)
            while p.get_event() is not None and p.check_event():
                pass

    def fast() -> None:
        for t in texts:
            parse(t, limits)

    def full() -> None:
        for t in texts:
            parse(t, limits, positions=True)

    rows = []
    for label, fn in (("libyaml alone (`raw_parse`, no Python objects)", raw),
                      ("libyaml's events as Python objects (ruamel.yaml.clib `get_event`)", events),
                      ("dxplan's reader without positions (a cold lint)", fast),
                      ("dxplan's reader with positions", full)):
        best = float("inf")
        for _ in range(runs):
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
        rows.append(f"| {label} | {best / len(texts) * 1000:.3f} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=100, help="plans in the generated corpus (default 100: 5,125 files)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3, help="rounds; the best is shown (default 3)")
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the dxplan source folder to measure")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.src))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.pop("DXPLAN_NO_CACHE", None)
    import corpus as corpus_mod

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="dxplan-lint-cost-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus_mod.write_in_child(corpus, args.plans, args.seed)
        steps, files = steps_table(corpus, args.runs)
        reader = reader_table(corpus, args.runs)
    print(f"## Cold `lint`, per file ({args.src}): {args.plans} plans, {files:,} files, CPython {sys.version.split()[0]}, "
          f"load {load} → {' '.join(f'{x:.2f}' for x in os.getloadavg())}; best of {args.runs}\n")
    print("| step of `lint_folder` (one process, results cache empty) | CPU ms a file |")
    print("|---|---:|")
    print("\n".join(steps))
    print("\n| the same texts in memory through | CPU ms a file |")
    print("|---|---:|")
    print("\n".join(reader))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
