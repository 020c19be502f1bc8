"""Linting: load plan folders, run the rules, return sorted problems. No output here.

``lint_paths`` is what ``dxplan lint`` calls. It returns problems sorted by
file, line, column and rule id, sorted and made strict (``strict``: warnings
become errors) here and only here. With ``base=REV`` it also runs the goalpost
guard (:func:`dxplan.rules.goalpost_change.check_change`) against each plan as
it is at REV in its git repository.

Findings that depend on git history or on today's date (``status-unchanged``, ``evaluation-overdue``) are never
cached: the cached result carries the few values of plan.yaml they need, and :mod:`dxplan.lint.staleness` works
them out on every run, in this process.

How it stays fast: each plan folder is linted on its own
(:func:`lint_folder`), by a pool of worker processes (:mod:`dxplan.files.parallel`; the
result is the same for any number of workers), one plan at a time so memory does
not grow with the number of plans. Each plan folder is answered from the results cache
(:mod:`dxplan.files.result_cache`) in the first way that holds:

1. **stat** — its files (``plan.yaml`` and the listed action files) are ``os.stat``-ed, not
   read; when the signature of their names, sizes, modification and status-change times,
   inodes and devices equals the one stored with the plan's result, that result is the
   answer and no file is read (what git's index does);
2. **content** — its files are read and hashed (names and bytes); when the hash equals the
   stored one the stored result is the answer (nothing is parsed), and the new stat signature
   is stored with it (files touched, not changed: the next run takes way 1);
3. otherwise its files are parsed by the one safe reader (:mod:`dxplan.yamlread` through
   :func:`dxplan.files.load.load_plan`, unchanged files' data from the cache), checked, and the
   result stored with both keys; only files with findings are read again for positions.

The stat signature is stored only when no file is *racy* (git's rule): each file's
modification and status-change times must be older than the moment of the stat minus
:data:`RACY_SECONDS`, since a file rewritten with the same size within one tick of a
coarse filesystem clock keeps its stat data. The status-change time, which no program can
set back, is part of the signature, so restoring a modification time (``touch -d``,
``cp -p``, ``rsync -t``) after a change does not hide it. A listing error, a folder over the
actions limit, or a file that is missing, not a regular file or over the size limit gives
no signature (way 2 handles those). Both keys hold the reader's limits, so a run under
other limits decides afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable

from dxplan.files import gitio, result_cache
from dxplan.files.load import GitSource, LoadedPlan, load_plan
from dxplan.files.parallel import imap_ordered
from dxplan.files.layout import PLAN_FILE, discover, plan_file_name
from dxplan.files.plan_key import plan_files
from dxplan.files.transaction import recover
from dxplan.problems import Problem
from dxplan.rules import goalpost_change, load_rules, run_checks
from . import staleness


@dataclass
class LintResult:
    """Problems found, and how many plan folders were read and files checked (those that did not load included)."""

    problems: list[Problem]
    files: int = 0
    plans: int = 0

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


#: Rules that report a value as absent: on a file read without the values its schema errors are about
#: (:attr:`dxplan.model.loaded.LoadedPlan.repaired`), their findings would be about values left out.
ABSENCE_RULES = frozenset({"required-by-plan", "status-missing", "baseline-missing", "no-rating-scale"})


def lint_plan(loaded: LoadedPlan, only: set[Path] | None = None) -> list[Problem]:
    """Load problems plus rule findings for one loaded plan.

    Action files with schema errors are checked too, without the values those errors are about
    (:attr:`dxplan.model.loaded.LoadedPlan.repaired`), so one run reports every problem of a file;
    findings of :data:`ABSENCE_RULES` on them are left out.
    """
    if not loaded.repaired:
        return loaded.problems + run_checks(loaded, only)
    import dataclasses

    broken = {la.doc.path for la in loaded.repaired}
    checked = dataclasses.replace(loaded, actions=[*loaded.actions, *loaded.repaired], repaired=[])
    found = [p for p in run_checks(checked, only) if not (p.path in broken and p.rule in ABSENCE_RULES)]
    return loaded.problems + found


RACY_SECONDS = 2.0
"""A file modified or status-changed less than this many seconds before its ``os.stat`` is racy: no stat signature is stored for its plan.

2 s covers the coarsest common filesystem clock (FAT's 2 s modification times) and some
clock skew between a network filesystem and this machine (:mod:`dxplan.files.plan_key`). Tests set it lower.
"""


Row = tuple[str, int, int, str, str, str, str]
"""A problem as the cache and the workers pass it: (path relative to the plan folder, line, column, severity, rule, ja, en)."""


def lint_folder(root: Path) -> tuple[list[Row], int, staleness.Facts | None]:
    """Every problem of plan folder ``root`` (all its files) as rows, how many of its files were checked
    (``plan.yaml`` and the action files read, those that did not load included), and the values of plan.yaml
    the findings that depend on git and the date need (:func:`dxplan.lint.staleness.facts`).

    Answered from the results cache when the folder's files' stat data, else their names
    and bytes, are unchanged (see the module docstring); else loaded, checked and stored.
    Runs in a worker process; never raises for bad input.
    """
    if recover(Path(root)) in ("busy", "unfinished"):  # an import mid-write: checked as the loader reads it, not cached
        loaded = load_plan(Path(root), positions=False)
        rows = [(_rel(p.path, Path(root)), p.line, p.column, p.severity, p.rule, p.message_ja, p.message_en) for p in lint_plan(loaded)]
        return rows, len(plan_files(root).files), staleness.facts(loaded)
    pf = plan_files(root)
    root, limits, files = pf.root, pf.limits, pf.files
    stat_key, racy = pf.stat_key(RACY_SECONDS)
    if stat_key is not None and not racy:
        hit = result_cache.get_plan_by_stat(root, stat_key)
        if hit is not None:
            return hit
    keep_stat = None if racy else stat_key
    preread, key = pf.read()
    if key is not None:
        hit = result_cache.get_plan(root, key)
        if hit is not None:
            if keep_stat is not None:  # touched, not changed: the next run is answered by stat
                result_cache.put_plan(root, key, hit, keep_stat)
                result_cache.flush()
            return hit
    preread.prefetch(limits)
    loaded = load_plan(preread, positions=False)
    rows = [(_rel(p.path, root), p.line, p.column, p.severity, p.rule, p.message_ja, p.message_en) for p in lint_plan(loaded)]
    result = (rows, len(files), staleness.facts(loaded))  # every file checked, also those that did not load
    if key is not None:
        result_cache.put_plan(root, key, result, keep_stat)
    result_cache.flush()
    return result


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path.absolute())


def goalpost_problems(base_rev: str, plans: Iterable[LoadedPlan | Path]) -> list[Problem]:
    """``goalpost-change`` errors: goalposts moved since ``base_rev`` without a recorded reason.

    Each plan (loaded from the working tree; a plan folder given as a path is loaded
    here, one at a time) is compared with the same plan
    folder at ``base_rev`` in the git repository holding it, read by the one
    loader (:class:`dxplan.files.load.GitSource`). A plan folder that did not exist at
    ``base_rev`` is new and has none. Positions point at the changed field in the
    new file. Raises :class:`dxplan.files.gitio.GitError` when a plan is not in a git
    repository or ``base_rev`` is not available there (the message says what to fetch).
    """
    rule = load_rules()["goalpost-change"]
    problems: list[Problem] = []
    trees: dict[Path, tuple[str, dict[str, str]]] = {}
    for head in plans:
        if not isinstance(head, LoadedPlan):
            head = load_plan(head, positions=False)
        repo = gitio.repo_root(head.root)
        if repo not in trees:
            commit = gitio.resolve(base_rev, repo)
            trees[repo] = (commit, gitio.ls_tree(commit, "", repo))
        commit, tree = trees[repo]
        rel = head.root.resolve().relative_to(repo).as_posix()
        rel = "" if rel == "." else rel
        if plan_file_name(rel) not in tree:
            continue
        base = load_plan(GitSource(repo, commit, rel, tree), positions=False)
        for f in goalpost_change.check_change(base, head):
            line, col = f.doc.position(f.loc, key=f.key)
            problems.append(rule.problem(f.doc.path, line, col, rev=base_rev, **f.params))
    return problems


def lint_paths(
    paths: list[Path], *, strict: bool = False, only_files: set[Path] | None = None, base: str | None = None, jobs: int | None = None,
    on_plan: Callable[[], None] | None = None, today: str | None = None, unchanged: int | None = None,
) -> LintResult:
    """Lint plan folders, folders of plans, or files inside plans.

    ``only_files`` restricts the report to these files (plan-wide checks still
    see every file). ``base``: also report goalpost changes since that git
    revision (see :func:`goalpost_problems`). ``jobs``: worker processes (None: one
    per CPU, see :func:`dxplan.files.parallel.default_jobs`); the result does not depend on it. ``on_plan``:
    called after each plan folder is checked (a progress display). ``today`` (``YYYY-MM-DD``, else
    ``DXPLAN_TODAY``, else the machine's date) and ``unchanged`` (N evaluation dates, else each plan's own) are for the
    findings from the date and git history, worked out on every run, never cached (:mod:`dxplan.lint.staleness`). Raises
    :class:`dxplan.files.layout.PlanNotFound` for a bad path, :class:`dxplan.files.gitio.GitError` when ``base``
    cannot be read and :class:`dxplan.i18n.UserError` for a ``today`` that is not a date.
    """
    on = staleness.today(today)
    folders: list[tuple[Path, set[Path] | None]] = []
    for root, only in discover(paths):
        if only_files is not None:
            only = {p for p in only_files if p.resolve().is_relative_to(root.resolve())} | (only or set())
            if not only:
                continue
        folders.append((root, only))
    problems: list[Problem] = []
    files = 0
    results = imap_ordered(lint_folder, [root for root, _ in folders], jobs)
    for (root, only), (rows, nfiles, facts) in zip(folders, results, strict=True):
        files += nfiles
        plan_path = root / PLAN_FILE
        found = [Problem(root / rel, line, col, severity, rule, ja, en) for rel, line, col, severity, rule, ja, en in rows]
        found += staleness.problems(root, facts, on=on, unchanged=unchanged)
        if on_plan is not None:
            on_plan()
        problems += [p for p in found if only is None or p.path == plan_path or p.path.resolve() in only]
    if base is not None:
        problems += goalpost_problems(base, [root for root, _ in folders])
    if strict:
        problems = [p.with_severity("error") for p in problems]
    return LintResult(sorted(problems, key=lambda p: (str(p.path), p.line, p.column, p.rule)), files, len(folders))
