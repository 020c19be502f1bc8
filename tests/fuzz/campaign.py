"""``make fuzz``: mutated plan folders, sheets and repositories through every dxplan command, in parallel.

    python -m tests.fuzz.campaign [--examples N] [--sheets S] [--repos R] [--jobs J] [--seed S] [--out DIR]

Three surfaces, each drawn with hypothesis:

- **folders** (``--examples``, ``FUZZ_EXAMPLES``, default 10000): a bundled plan with one file
  mutated (:func:`fuzz.mutate.cases`, extreme numbers included) through ``lint``, ``status``,
  ``score``, ``report`` (md, html), ``fmt --check`` and ``export --format xlsx|csv|json``, plus
  ``export -d`` of one department (the case's ``dept``) — :func:`fuzz.oracle.check_folder`;
- **sheets** (``--sheets``, ``FUZZ_SHEETS``, default 1000): a bundled plan's exported xlsx or CSV
  sheet mutated (:func:`fuzz.sheetcases.sheet_cases`) through ``import --dry-run`` and ``import``, with
  the plan folder hashed before and after (:func:`fuzz.surfaces.run_sheet_case`);
- **repos** (``--repos``, ``FUZZ_REPOS``, default 100): a git repository with a clean, a mutated and
  a hostile commit and hostile configuration (:func:`fuzz.repos.repo_cases`) through ``history`` and
  ``diff`` (:func:`fuzz.surfaces.run_repo_case`).

One kind alone: ``--examples 0 --sheets 0 --repos 50``. ``--jobs`` defaults to ``FUZZ_JOBS`` (else
the number of CPUs); each job is a worker process that draws its share of each surface (seeded with
``seed + job``; sheets, then repositories, then folders) and judges each case with the fork runner, appending one JSON line per case to
``DIR/results-J.jsonl``. Cost (2026-12-06, this 2-core machine): about 1.2 CPU-s per case, a hang
20 CPU-s; one worker under ``nice -n 19`` with the machine shared (load 5–8) does about 20 folders,
25 sheets or 40 repositories a minute. The defaults (10,000 folders, 1,000 sheets, 100 repositories)
take about 2 hours on 2 jobs when the machine is idle, about 5 hours when it is shared.

The parent then prints a summary (cases per surface, runs per command, tracebacks, crashes, hangs,
unpositioned problems, "lint clean but another command failed", import writes on failure or dry
run, hostile sheets taken with exit 0, ..., elapsed time) and writes each distinct failure,
deduplicated by ``(kind, signature)`` where a traceback's signature is the exception type plus the
innermost dxplan frame (sheet and repository signatures carry ``[sheets]``/``[repos]``), to
``DIR/findings/NN-slug/``:

- ``case.json``: the recipe (replay: ``python -m tests.fuzz.mutate case.json DEST`` for a folder,
  ``python -m tests.fuzz.sheetcases case.json OUT`` for a sheet, ``python -m tests.fuzz.repos case.json
  DEST`` for a repository), the failure, and for folders the re-check of that case through the
  installed ``dxplan`` script (``confirmed``);
- ``overlay/<file>`` (folders) or ``sheet.xlsx``/``sheet.csv`` (sheets): the mutated file itself when
  it is under 256 KiB;
- ``output.txt``: each command's exit code and the tail of its output;
- ``repro.sh``: rebuilds the folder, sheet or repository and runs the failing command.

``DIR`` defaults to ``artifacts/fuzz``. Exit code 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

from .mutate import ROOT, Case, cases, materialize, mutate_bytes
from .oracle import COMMANDS, ExecRunner, Failure, check_folder, export_dept_command, make_runner

KINDS = ["traceback", "crash", "hang", "bad-exit", "unpositioned", "lint-clean-but-failed",
         "lint-rejects-but-used", "escape", "raw-control", "csv-formula", "dry-run-wrote", "wrote-on-failure", "silent-change", "import-broke-plan"]
OVERLAY_LIMIT = 256 << 10


def run_case(case: Case, runner, scratch_root: Path) -> tuple[list[Failure], dict]:
    """Materialize ``case`` under a fresh scratch folder, run the oracle, clean up.

    Returns (failures, facts) where facts has the per-command exit codes and seconds.
    """
    scratch = Path(tempfile.mkdtemp(prefix="case-", dir=scratch_root))
    try:
        folder = materialize(case, scratch / "work" / case.plan)
        size = (folder / case.file).stat().st_size
        fails, results = check_folder(folder, runner, cache=case.cache, commands=folder_commands(case))
        facts = {"size": size, "rc": {k: r.rc for k, r in results.items()},
                 "seconds": {k: r.elapsed for k, r in results.items()},
                 "maxrss_kb": max((r.maxrss_kb for r in results.values()), default=0)}
        return fails, facts
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def folder_commands(case: Case) -> dict[str, list[str]]:
    """:data:`COMMANDS`, plus ``export -d`` of the case's department when it names one."""
    from .sheetcases import department

    name = department(case.plan, case.dept)
    if name is None:
        return dict(COMMANDS)
    return {**COMMANDS, "export_dept": export_dept_command(name, ("xlsx", "csv", "json")[case.dept % 3])}


#: The surfaces a campaign draws from: name → (strategy, runner function, recipe class).
def surfaces() -> dict[str, tuple]:
    from .repos import RepoCase, repo_cases
    from .sheetcases import SheetCase, sheet_cases
    from .surfaces import run_repo_case, run_sheet_case

    return {"folders": (cases(), run_case, Case), "sheets": (sheet_cases(), run_sheet_case, SheetCase),
            "repos": (repo_cases(), run_repo_case, RepoCase)}


def recipe(data: dict):
    """The recipe object of a stored case (folders, sheets or repos)."""
    return surfaces()[data.get("surface", "folders")][2].from_json(data)


def worker(seed_value: int, counts: dict[str, int], out: Path, explicit: list[Case] | None = None) -> None:
    """Draw ``counts[surface]`` cases of each surface with hypothesis (seeded), or run ``explicit``
    folder cases, appending one JSON line per case to ``out``."""
    runner = make_runner()
    scratch_root = Path(tempfile.mkdtemp(prefix="dxfuzz-"))
    table = surfaces()

    def record(surface: str, case, fn) -> None:
        start = time.monotonic()
        try:
            fails, facts = fn(case, runner, scratch_root)
        except Exception as exc:  # a harness error: record it, keep going
            fails, facts = [Failure("harness", "-", f"harness {type(exc).__name__}", str(exc)[:500])], {}
        data = case.to_json()
        data.setdefault("surface", surface)
        rec = {"surface": surface, "case": data, "label": case.label(), "failures": [f.to_json() for f in fails],
               "facts": facts, "elapsed": round(time.monotonic() - start, 3)}
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    try:
        if explicit is not None:
            for case in explicit:
                record("folders", case, run_case)
            return
        # the newer surfaces first: a campaign cut short (--report-only) loses folders, the largest set
        for surface in ("sheets", "repos", "folders"):
            n = counts.get(surface, 0)
            if n:
                _draw(seed_value, n, surface, table[surface], record)
    finally:
        runner.close()
        shutil.rmtree(scratch_root, ignore_errors=True)


def _draw(seed_value: int, n: int, surface: str, entry: tuple, record) -> None:
    """Run ``record(surface, case, fn)`` on ``n`` cases drawn (seeded) from the surface's strategy."""
    strategy, fn, _cls = entry

    @seed(seed_value)
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=strategy)
    def one(case) -> None:
        record(surface, case, fn)

    one()


def _slug(text: str) -> str:
    """A folder name for a signature: ``traceback ValueError @ dxplan/load.py:f via util.py:g`` →
    ``traceback-valueerror-load-f-via-util-g``."""
    text = re.sub(r"\bdxplan/|\.py\b|@", " ", text)
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:100] or "x"


def summarize(records: list[dict], elapsed: float) -> tuple[str, dict[tuple[str, str], list[dict]]]:
    """The summary text and the records of each distinct (kind, signature)."""
    by_sig: dict[tuple[str, str], list[dict]] = defaultdict(list)
    cases_by_kind: Counter = Counter()
    per_surface: Counter = Counter()
    per_command: Counter = Counter()
    for rec in records:
        kinds = set()
        surface = rec.get("surface", "folders")
        per_surface[surface] += 1
        per_command.update(rec["facts"].get("rc", {}).keys())
        for f in rec["failures"]:
            sig = f["signature"] if surface == "folders" else f"{f['signature']} [{surface}]"
            by_sig[(f["kind"], sig)].append({**rec, "failure": f})
            kinds.add(f["kind"])
        cases_by_kind.update(kinds)
    runs = sum(len(r["facts"].get("rc", {})) for r in records)
    slow = sum(1 for r in records for s in r["facts"].get("seconds", {}).values() if s > 10)
    failed = sum(1 for r in records if r["failures"])
    sigs = Counter(k for k, _ in by_sig)
    lines = [
        f"cases:                       {len(records)} ({runs} command runs, {failed} cases failed)",
        f"tracebacks:                  {cases_by_kind['traceback']} cases, {sigs['traceback']} distinct signatures",
        f"crashes/segfaults:           {cases_by_kind['crash']} cases, {sigs['crash']} distinct",
        f"hangs (CPU or 6× wall):      {cases_by_kind['hang']} cases, {sigs['hang']} distinct",
        f"bad exit codes:              {cases_by_kind['bad-exit']} cases",
        f"unpositioned problems:       {cases_by_kind['unpositioned']} cases, {sigs['unpositioned']} distinct",
        f"lint clean, another failed:  {cases_by_kind['lint-clean-but-failed']} cases",
        f"lint rejects, another used:  {cases_by_kind['lint-rejects-but-used']} cases",
        f"wrote outside its folder:    {cases_by_kind['escape']} cases",
        f"raw terminal control chars:  {cases_by_kind['raw-control']} cases, {sigs['raw-control']} distinct",
        f"CSV cells that are formulas: {cases_by_kind['csv-formula']} cases",
        f"dry run wrote:               {cases_by_kind['dry-run-wrote']} cases",
        f"import failed but wrote:     {cases_by_kind['wrote-on-failure']} cases",
        f"hostile sheet taken, exit 0: {cases_by_kind['silent-change']} cases, {sigs['silent-change']} distinct",
        f"import broke the plan:       {cases_by_kind['import-broke-plan']} cases",
        f"harness errors:              {cases_by_kind['harness']} cases",
        f"command runs over 10 s:      {slow}",
        f"elapsed:                     {elapsed:.0f} s",
        "cases per surface:           " + ", ".join(f"{k} {per_surface[k]}" for k in ("folders", "sheets", "repos")),
        "runs per command:            " + ", ".join(f"{k} {v}" for k, v in sorted(per_command.items())),
    ]
    return "\n".join(lines), by_sig


def _repro_sh(case: Case, failure: dict) -> str:
    first = failure["command"].split(", ")[0]
    args = " ".join(folder_commands(case).get(first, [first]))
    env = "" if case.cache else "DXPLAN_NO_CACHE=1 "
    return (
        "#!/bin/sh\n# Rebuild the mutated plan folder and run the failing command.\n"
        "# Run from the repository root with the venv's python.\nset -e\n"
        'dest=$(mktemp -d)/work/' + case.plan + "\n"
        'here=$(dirname "$0")\n'
        'python -m tests.fuzz.mutate "$here/case.json" "$dest" >/dev/null\n'
        'if [ -d "$here/overlay" ]; then cp -r "$here/overlay/." "$dest/"; fi\n'
        f'cd "$dest/.." && {env}dxplan {args} {case.plan}\n'
    )


def write_findings(by_sig: dict[tuple[str, str], list[dict]], out: Path, recheck: bool = True) -> list[dict]:
    """One folder per distinct failure under ``out/findings``; returns their index entries."""
    findings = out / "findings"
    shutil.rmtree(findings, ignore_errors=True)
    findings.mkdir(parents=True)
    index = []
    exec_runner = ExecRunner() if recheck else None
    ordered = sorted(by_sig.items(), key=lambda kv: (KINDS.index(kv[0][0]) if kv[0][0] in KINDS else 99, kv[0][1]))
    for n, ((kind, sig), recs) in enumerate(ordered, 1):
        surface = recs[0].get("surface", "folders")
        if surface != "folders":
            index.append(_write_other_finding(findings / f"{n:02d}-{_slug(kind + ' ' + sig)}", kind, sig, recs))
            continue
        # the reproducer: the smallest mutated file, then the fewest other files
        rec = min(recs, key=lambda r: (r["facts"].get("size", 1 << 40), r["case"]["keep"] is None, r["case"]["keep"] or 0))
        case = Case.from_json(rec["case"])
        d = findings / f"{n:02d}-{_slug(kind + ' ' + sig)}"
        d.mkdir()
        data = mutate_bytes(case, (ROOT / "plans" / case.plan / case.file).read_bytes())
        if len(data) <= OVERLAY_LIMIT:
            (d / "overlay" / case.file).parent.mkdir(parents=True)
            (d / "overlay" / case.file).write_bytes(data)
        confirmed, rechecked, output = None, [], ""
        if exec_runner is not None:
            names = ["lint"] + [c for c in rec["failure"]["command"].split(", ") if c != "lint"]
            with tempfile.TemporaryDirectory(prefix="dxfuzz-recheck-") as tmp:
                folder = materialize(case, Path(tmp) / "work" / case.plan)
                fails, results = check_folder(folder, exec_runner, cache=case.cache,
                                              commands={n: c for n, c in folder_commands(case).items() if n in names})
                confirmed = any(f.kind == kind and f.signature == sig for f in fails)
                rechecked = [f"[{f.kind}] {f.signature}: {f.command}" for f in fails]
                output = "\n\n".join(
                    f"$ dxplan {' '.join(r.argv)}  -> exit {r.rc} signal {r.signal} timeout {r.timed_out} "
                    f"({r.elapsed:.2f} s)\n--- stdout (tail)\n{r.stdout[-1500:]}\n--- stderr (tail)\n{r.stderr[-3000:]}"
                    for r in results.values())
        entry = {"kind": kind, "signature": sig, "cases": len(recs), "case": case.to_json(), "label": case.label(),
                 "failure": rec["failure"], "confirmed_by_exec": confirmed, "recheck_by_exec": rechecked,
                 "folder": d.name}
        (d / "case.json").write_text(json.dumps(entry, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (d / "output.txt").write_text(output or rec["failure"].get("stderr_tail", ""), encoding="utf-8")
        (d / "repro.sh").write_text(_repro_sh(case, rec["failure"]), encoding="utf-8")
        index.append(entry)
    (out / "findings.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return index


def _write_other_finding(d: Path, kind: str, sig: str, recs: list[dict]) -> dict:
    """The finding folder of a sheet or repository case: case.json, output.txt, repro.sh (and the sheet)."""
    rec = min(recs, key=lambda r: r["facts"].get("size", 1 << 40))
    case = recipe(rec["case"])
    d.mkdir()
    surface = rec["case"]["surface"]
    if surface == "sheets":
        from .sheetcases import sheet_bytes
        try:
            data = sheet_bytes(case, ExecRunner())
        except Exception:  # a harness error of the mutator itself: the recipe and the failure still tell it
            data = None
        if data is not None and len(data) <= OVERLAY_LIMIT:
            (d / f"sheet.{case.fmt}").write_bytes(data)
        repro = ("#!/bin/sh\n# Rebuild the mutated sheet, copy the bundled plan, import the sheet.\n"
                 "# Run from the repository root with the venv's python.\nset -e\n"
                 'here=$(dirname "$0"); dest=$(mktemp -d)\n'
                 f'cp -r plans/{case.plan} "$dest/"\n'
                 f'if [ -f "$here/sheet.{case.fmt}" ]; then cp "$here/sheet.{case.fmt}" "$dest/"; '
                 f'else python -m tests.fuzz.sheetcases "$here/case.json" "$dest/sheet.{case.fmt}"; fi\n'
                 f'cd "$dest" && dxplan import --dry-run sheet.{case.fmt} {case.plan}; '
                 f'dxplan import sheet.{case.fmt} {case.plan}; echo "exit $?"; git diff --no-index --stat '
                 f'"$OLDPWD/plans/{case.plan}" {case.plan} || true\n')
    else:
        from .repos import REPO_COMMANDS
        first = rec["failure"]["command"].split(", ")[0]
        args = " ".join(REPO_COMMANDS.get(first, [first]))
        repro = ("#!/bin/sh\n# Rebuild the hostile repository and run the failing command.\n"
                 "# Run from the repository root with the venv's python.\nset -e\n"
                 'here=$(dirname "$0"); dest=$(mktemp -d)/work\n'
                 'python -m tests.fuzz.repos "$here/case.json" "$dest" >/dev/null\n'
                 f'cd "$dest" && dxplan {args} {case.plan}\n')
    entry = {"kind": kind, "signature": sig, "cases": len(recs), "case": rec["case"], "label": case.label(),
             "failure": rec["failure"], "confirmed_by_exec": None, "recheck_by_exec": [], "folder": d.name}
    (d / "case.json").write_text(json.dumps(entry, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (d / "output.txt").write_text(rec["failure"].get("stderr_tail", ""), encoding="utf-8")
    (d / "repro.sh").write_text(repro, encoding="utf-8")
    return entry


PROMOTE_OVERLAY_LIMIT = 64 << 10


def promote(out: Path, dest: Path) -> list[str]:
    """Copy each confirmed finding of ``out/findings`` to ``dest`` as a regression case.

    One folder per distinct (kind, signature), named after it, unless ``dest`` has one already;
    a finding whose recipe equals one already copied is skipped (one folder covers all its signatures). Overlays over 64 KiB are
    left out (the recipe rebuilds them). Returns the names written.
    """
    written = []
    recipes = {json.dumps(json.loads(p.read_text(encoding="utf-8"))["case"], sort_keys=True)
               for p in dest.glob("*/case.json")}
    for d in sorted((out / "findings").iterdir()):
        entry = json.loads((d / "case.json").read_text(encoding="utf-8"))
        if entry.get("confirmed_by_exec") is False and not entry.get("recheck_by_exec"):
            continue  # not reproduced at all by the real script
        key = json.dumps(entry["case"], sort_keys=True)
        if key in recipes:
            continue
        recipes.add(key)
        name = _slug(entry["kind"] + " " + entry["signature"])
        target = dest / name
        if target.exists():
            continue  # a case for this signature is kept already
        target.mkdir(parents=True)
        entry["failure"]["stderr_tail"] = entry["failure"].get("stderr_tail", "")[-1500:]
        entry.pop("folder", None)
        (target / "case.json").write_text(json.dumps(entry, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        overlay = d / "overlay"
        if overlay.is_dir() and sum(p.stat().st_size for p in overlay.rglob("*") if p.is_file()) <= PROMOTE_OVERLAY_LIMIT:
            shutil.copytree(overlay, target / "overlay")
        written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz.campaign", description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", "10000")),
                    help="mutated plan folders (FUZZ_EXAMPLES, default 10000)")
    ap.add_argument("--sheets", type=int, default=int(os.environ.get("FUZZ_SHEETS", "1000")),
                    help="mutated sheets through import (FUZZ_SHEETS, default 1000)")
    ap.add_argument("--repos", type=int, default=int(os.environ.get("FUZZ_REPOS", "100")),
                    help="hostile repositories through history and diff (FUZZ_REPOS, default 100)")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS", str(os.cpu_count() or 1))))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "0")))
    ap.add_argument("--out", type=Path, default=ROOT / "artifacts" / "fuzz")
    ap.add_argument("--no-recheck", action="store_true", help="do not re-run findings through the dxplan script")
    ap.add_argument("--promote", type=Path, metavar="DEST",
                    help="copy the findings of --out to DEST (tests/fixtures/fuzz) as regression cases, run nothing")
    ap.add_argument("--report-only", action="store_true",
                    help="summarize the results already in --out (an interrupted run), run no cases")
    ap.add_argument("--cases", type=Path, metavar="FILE.json",
                    help="run these recipes (a JSON list of cases, e.g. tests/fuzz/hostile.json) instead of drawing")
    ap.add_argument("--job", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--results", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        explicit = None
        if args.cases:
            every = [Case.from_json(c) for c in json.loads(args.cases.read_text(encoding="utf-8"))]
            explicit = every[args.job::args.jobs]
        worker(args.seed, {"folders": args.examples, "sheets": args.sheets, "repos": args.repos}, args.results, explicit)
        return 0
    if args.promote:
        for name in promote(args.out, args.promote):
            print(name)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        for old in args.out.glob("results-*.jsonl"):
            old.unlink()
    start = time.monotonic()
    if args.cases:
        args.examples, args.sheets, args.repos = len(json.loads(args.cases.read_text(encoding="utf-8"))), 0, 0

    def share(total: int) -> list[int]:
        return [total // args.jobs + (1 if j < total % args.jobs else 0) for j in range(args.jobs)]

    shares = list(zip(share(args.examples), share(args.sheets), share(args.repos), strict=True))
    procs = []
    for j, (n, ns, nr) in enumerate([] if args.report_only else shares):
        if n or ns or nr:
            res = args.out / f"results-{j}.jsonl"
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "tests.fuzz.campaign", "--worker", "--seed", str(args.seed + j),
                 "--examples", str(n), "--sheets", str(ns), "--repos", str(nr),
                 "--results", str(res), "--job", str(j), "--jobs", str(args.jobs),
                 *(["--cases", str(args.cases.resolve())] if args.cases else [])], cwd=ROOT))
    if not args.report_only:
        print(f"fuzz: {args.examples} folders, {args.sheets} sheets, {args.repos} repositories on {len(procs)} workers, seed {args.seed}, results in {args.out}", flush=True)
    for p in procs:
        p.wait()
    records = []
    for res in sorted(args.out.glob("results-*.jsonl")):
        records += [json.loads(ln) for ln in res.read_text(encoding="utf-8").split("\n") if ln.strip()]
    elapsed = time.monotonic() - start
    if args.report_only:  # the workers' own time: the sum of case times over the jobs
        elapsed = sum(r["elapsed"] for r in records) / max(len(list(args.out.glob("results-*.jsonl"))), 1)
    text, by_sig = summarize(records, elapsed)
    index = write_findings(by_sig, args.out, recheck=not args.no_recheck)
    lines = [text, "", f"distinct failures: {len(index)} (in {args.out / 'findings'})"]
    for e in index:
        ok = {True: "confirmed", None: "not re-checked"}.get(
            e["confirmed_by_exec"], "the dxplan script gave: " + ("; ".join(e["recheck_by_exec"]) or "no failure"))
        lines.append(f"  {e['folder']}: [{e['kind']}] {e['signature']} x{e['cases']} ({ok})\n      {e['label']}")
    report = "\n".join(lines)
    (args.out / "summary.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    return 1 if index else 0


if __name__ == "__main__":
    raise SystemExit(main())
