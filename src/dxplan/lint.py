"""Linting: load plan folders, run the rules, return sorted problems. No output here.

``lint_paths`` is what ``dxplan lint`` calls; it returns problems sorted by file,
line and column. Severity is the rule's default unless ``strict`` (warnings
become errors).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import LoadedPlan, discover, load_plan
from .problems import Problem
from .rules import run_checks


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


def lint_paths(paths: list[Path], *, strict: bool = False, only_files: set[Path] | None = None) -> LintResult:
    """Lint plan folders, folders of plans, or files inside plans.

    ``only_files`` restricts the report to these files (plan-wide checks still
    see every file). Raises :class:`dxplan.load.PlanNotFound` for a bad path.
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
    if strict:
        problems = [p.with_severity("error") for p in problems]
    return LintResult(sorted(problems, key=lambda p: (str(p.path), p.line, p.column, p.rule)), plans)
