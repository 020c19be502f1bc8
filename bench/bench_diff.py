"""Benchmark: ``dxplan diff`` of two revisions of the national corpus (an evaluation round).

Usage::

    python bench/bench_diff.py [--plans 1741] [--seed 0] [--work DIR] [--limit 600] [--json OUT]

Builds a git repository in ``--work`` (a new temporary folder by default):

- ``rev1``: :mod:`corpus` writes ``--plans`` plan folders (seed ``--seed``) under ``plans/``; committed, tagged;
- ``rev2``: an evaluation round, deterministic: every plan folder whose ``plan.yaml`` has an
  ``evaluation_date`` (the 嘉麻市 copies, 436 of 1,741) moves it one year on, and in
  :data:`ROWS_PER_PLAN` of its action files (chosen by the seed among those with a row 進捗中) the
  first such row becomes 完了; committed, tagged. 1,741 plans: 2,616 files changed.

Then times, each a fresh process (the results cache an empty folder): ``git diff --stat rev1 rev2``
and ``dxplan diff rev1 rev2`` (the text format, run in the repository: the default path is
``plans/``). Figures: wall seconds, CPU seconds (user + system, the process and its workers),
peak RSS in MiB (:mod:`measure`); a run longer than ``--limit`` seconds is stopped and reported as
such. dxplan is run as ``sys.executable -m dxplan`` with this process's environment, so
``PYTHONPATH=/path/to/src`` picks the code to measure. Prints a Markdown table (and ``--json``).
Not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Run, timed  # noqa: E402

HERE = Path(__file__).resolve().parent
ROWS_PER_PLAN = 5
"""Action files per evaluated plan whose first 進捗中 row becomes 完了."""
IN_PROGRESS = "    status: 進捗中\n"
DONE = "    status: 完了\n"


def git(repo: Path, *args: str) -> str:
    """``git ARGS`` in ``repo`` (a fixed identity, no signing), stdout."""
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.org", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@example.org", GIT_AUTHOR_DATE="2026-01-01T00:00:00", GIT_COMMITTER_DATE="2026-01-01T00:00:00")
    return subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def evaluation_round(plans: Path, seed: int) -> int:
    """Edit the corpus under ``plans`` as an evaluation round does (see the module docstring); the number of files changed."""
    changed = 0
    for folder in sorted(p for p in plans.iterdir() if (p / "plan.yaml").is_file()):
        plan_yaml = folder / "plan.yaml"
        text = plan_yaml.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        hits = [i for i, ln in enumerate(lines) if ln.startswith("evaluation_date: ")]
        if not hits:
            continue
        old = lines[hits[0]].split(":", 1)[1].strip()
        year, rest = old.split("-", 1)
        lines[hits[0]] = f"evaluation_date: {int(year) + 1}-{rest}\n"
        plan_yaml.write_text("".join(lines), encoding="utf-8")
        changed += 1
        candidates = sorted(p for p in (folder / "actions").glob("*.yaml") if IN_PROGRESS in p.read_text(encoding="utf-8"))
        for action in random.Random(f"{seed}:{folder.name}").sample(candidates, min(ROWS_PER_PLAN, len(candidates))):
            atext = action.read_text(encoding="utf-8")
            action.write_text(atext.replace(IN_PROGRESS, DONE, 1), encoding="utf-8")
            changed += 1
    return changed


def build(work: Path, plans: int, seed: int) -> dict:
    """The repository with ``rev1`` and ``rev2`` (see the module docstring); its figures."""
    repo = work / "repo"
    repo.mkdir(parents=True)
    # the corpus is written by a child: this process stays small, so a child's peak RSS is its own
    subprocess.run([sys.executable, str(HERE / "corpus.py"), str(repo / "plans"), "--plans", str(plans), "--seed", str(seed)], check=True,
                   stdout=subprocess.DEVNULL)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rev1")
    git(repo, "tag", "rev1")
    changed = evaluation_round(repo / "plans", seed)
    git(repo, "commit", "-q", "-am", "rev2: evaluation round")
    git(repo, "tag", "rev2")
    files = int(git(repo, "ls-files", "-z").count("\0"))
    reported = len([n for n in git(repo, "diff", "--name-only", "-z", "rev1", "rev2").split("\0") if n])
    return {"repo": repo, "plans": plans, "files": files, "changed": changed, "git_changed": reported}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=1741)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, default=None, help="an empty or new folder (default: a temporary one)")
    ap.add_argument("--limit", type=float, default=600.0, help="stop a run after this many seconds")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="dxplan-bench-diff-"))
    info = build(work, args.plans, args.seed)
    repo = info["repo"]
    cache = work / "cache"
    cache.mkdir()
    env = dict(os.environ, DXPLAN_CACHE_DIR=str(cache), DXPLAN_LANG="ja")
    env.pop("DXPLAN_NO_CACHE", None)
    runs: dict[str, Run] = {
        "git diff --stat rev1 rev2": timed(["git", "diff", "--stat", "rev1", "rev2"], cwd=repo, env=env, stdout=work / "git-stat.txt", limit_s=args.limit),
        "dxplan diff rev1 rev2": timed([sys.executable, "-m", "dxplan", "diff", "rev1", "rev2"], cwd=repo, env=env, stdout=work / "diff.txt",
                                       stderr=work / "diff.err", limit_s=args.limit),
    }
    out_lines = (work / "diff.txt").read_text(encoding="utf-8", errors="replace").count("\n")
    print(f"corpus: {info['plans']} plans, {info['files']:,} files; rev1 → rev2: {info['changed']:,} files changed "
          f"(git: {info['git_changed']:,}); load average {os.getloadavg()[0]:.2f}; work folder {work}")
    print()
    print("| command | result | exit | output lines |")
    print("|---|---|---:|---:|")
    for name, run in runs.items():
        lines = out_lines if name.startswith("dxplan") else (work / "git-stat.txt").read_text(errors="replace").count("\n")
        print(f"| `{name}` | {run.cell()} | {run.code if run.code is not None else '—'} | {lines:,} |")
    if args.json:
        args.json.write_text(json.dumps({**{k: str(v) for k, v in info.items()}, "runs": {k: vars(v) for k, v in runs.items()}}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
