"""Linting: load plan folders, run the rules, return sorted problems. No output here.

``lint_paths`` is what ``dxplan lint`` calls. It returns problems sorted by
file, line, column and rule id, sorted and made strict (``strict``: warnings
become errors) here and only here. With ``base=REV`` it also runs the goalpost
guard (:func:`dxplan.rules.goalpost_change.check_change`) against each plan as
it is at REV in its git repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import gitio
from .load import GitSource, LoadedPlan, load_plan
from .planfiles import discover, plan_file_name
from .problems import Problem
from .rules import goalpost_change, load_rules, run_checks


@dataclass
class LintResult:
    """Problems found, and how many plans and files were read."""

    problems: list[Problem]
    plans: list[LoadedPlan]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def files(self) -> int:
        return sum(len(lp.actions) + (1 if lp.plan else 0) for lp in self.plans)


def lint_plan(loaded: LoadedPlan, only: set[Path] | None = None) -> list[Problem]:
    """Load problems plus rule findings for one loaded plan."""
    return loaded.problems + run_checks(loaded, only)


def goalpost_problems(base_rev: str, plans: list[LoadedPlan]) -> list[Problem]:
    """``goalpost-change`` errors: goalposts moved since ``base_rev`` without a recorded reason.

    Each plan (loaded from the working tree) is compared with the same plan
    folder at ``base_rev`` in the git repository holding it, read by the one
    loader (:class:`dxplan.load.GitSource`). A plan folder that did not exist at
    ``base_rev`` is new and has none. Positions point at the changed field in the
    new file. Raises :class:`dxplan.gitio.GitError` when a plan is not in a git
    repository or ``base_rev`` is not available there (the message says what to fetch).
    """
    rule = load_rules()["goalpost-change"]
    problems: list[Problem] = []
    trees: dict[Path, tuple[str, dict[str, str]]] = {}
    for head in plans:
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


def lint_paths(paths: list[Path], *, strict: bool = False, only_files: set[Path] | None = None, base: str | None = None) -> LintResult:
    """Lint plan folders, folders of plans, or files inside plans.

    ``only_files`` restricts the report to these files (plan-wide checks still
    see every file). ``base``: also report goalpost changes since that git
    revision (see :func:`goalpost_problems`). Raises
    :class:`dxplan.planfiles.PlanNotFound` for a bad path and
    :class:`dxplan.gitio.GitError` when ``base`` cannot be read.
    """
    problems: list[Problem] = []
    plans: list[LoadedPlan] = []
    for root, only in discover(paths):
        if only_files is not None:
            only = {p for p in only_files if p.resolve().is_relative_to(root.resolve())} | (only or set())
            if not only:
                continue
        loaded = load_plan(root, only)
        plans.append(loaded)
        problems += lint_plan(loaded, only)
    if base is not None:
        problems += goalpost_problems(base, plans)
    if strict:
        problems = [p.with_severity("error") for p in problems]
    return LintResult(sorted(problems, key=lambda p: (str(p.path), p.line, p.column, p.rule)), plans)
