"""Staleness that depends on more than a plan's files: its git history (``status-unchanged``) and today's date
(``evaluation-overdue``).

A plan folder's cached lint result (:mod:`dxplan.files.result_cache`, keyed by its files) cannot hold these:
a new commit or a new day changes them without changing a file. So the cached part of
:func:`dxplan.lint.engine.lint_folder` stores only the few values of plan.yaml they need (:func:`facts`), and
:func:`problems` works them out on every run from those values, git and the date. The two rules that need
nothing but the plan's files and its ``evaluation_date`` (``task-overdue``, ``indicator-actual-missing``) are
ordinary rules, cached like the others.

Cost: a plan folder outside any git repository (no ``.git`` in it or above it), or whose plan.yaml records no
``evaluation_date``, runs no git at all; otherwise ``status-unchanged`` reads the folder's history with one
``git log`` and, only when plan.yaml changed in at least N − 1 commits, the plan.yaml versions with one
``git cat-file --batch-check`` (sizes, against the reader's limit) and one ``git cat-file --batch``; the plan is
loaded at an evaluation's commit (``ls-tree`` and two ``cat-file``) only when the history holds N evaluation dates,
newest first and only as far back as a row is still the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dxplan.files import gitio
from dxplan.files.layout import PLAN_FILE
from dxplan.files.load import GitSource, LoadedPlan, load_plan
from dxplan.i18n import N_, UserError
from dxplan.problems import Problem
from dxplan.rules import load_rules
from dxplan.rules.evaluation_overdue import overdue
from dxplan.rules.status_unchanged import Evaluation, check_history, task_rows

TODAY_ENV = "DXPLAN_TODAY"
"""The environment variable that sets today's date (``YYYY-MM-DD``) for ``evaluation-overdue``, for reproducible runs."""

Facts = dict[str, Any]
"""What :func:`problems` needs of a plan, stored with its cached lint result (plain data): ``evaluation_date`` (date or
None), ``cycle`` (``reporting_cycle_months`` or None), ``position`` ((line, column) of ``evaluation_date`` in
plan.yaml, or None), ``unchanged`` (``lint.unchanged_evaluations``) and ``disabled`` (which of the two rules the
plan disables)."""


def facts(loaded: LoadedPlan) -> Facts | None:
    """The values of ``loaded``'s plan.yaml that :func:`problems` needs (see :data:`Facts`); None when plan.yaml did not load."""
    plan = loaded.plan
    if plan is None or loaded.plan_doc is None:
        return None
    disabled = sorted(set(plan.lint.disable) & {"status-unchanged", "evaluation-overdue"})
    position = None
    if plan.evaluation_date is not None and plan.reporting_cycle_months is not None:
        position = loaded.plan_doc.position(("evaluation_date",))
    return {"evaluation_date": plan.evaluation_date, "cycle": plan.reporting_cycle_months, "position": position,
            "unchanged": plan.lint.unchanged_evaluations, "disabled": disabled}


def today(given: str | None = None) -> dt.date:
    """Today for ``evaluation-overdue``: ``given`` (``--today``), else ``$DXPLAN_TODAY``, else the machine's date.

    Raises :class:`dxplan.i18n.UserError` (exit 2) when the text given is not a ``YYYY-MM-DD`` date.
    """
    for text, where in ((given, "--today"), (os.environ.get(TODAY_ENV), TODAY_ENV)):
        if text:
            try:
                return dt.date.fromisoformat(text.strip())
            except ValueError:
                raise UserError(N_("{where}: {text!r} is not a date; write YYYY-MM-DD"), {"where": where, "text": text}) from None
    return dt.date.today()


def problems(root: Path, found: Facts | None, *, on: dt.date, unchanged: int | None = None) -> list[Problem]:
    """The ``evaluation-overdue`` and ``status-unchanged`` warnings of plan folder ``root``, from its :data:`Facts`.

    ``on``: today's date (:func:`today`). ``unchanged``: N for ``status-unchanged`` (``--unchanged-evaluations``),
    else the plan's ``lint.unchanged_evaluations``. Never raises for what git or the history holds: a folder git
    cannot read, a history it cannot follow, or a plan.yaml without ``evaluation_date`` gives no ``status-unchanged`` finding.
    """
    if found is None:
        return []
    rules = load_rules()
    out: list[Problem] = []
    when, cycle = found["evaluation_date"], found["cycle"]
    if "evaluation-overdue" not in found["disabled"] and when is not None and cycle is not None:
        due = overdue(when, cycle, on)
        if due is not None:
            line, column = found["position"] or (1, 1)
            out.append(rules["evaluation-overdue"].problem(root / PLAN_FILE, line, column, date=when, months=cycle, due=due, today=on))
    if "status-unchanged" not in found["disabled"] and when is not None and gitio.in_work_tree(root):
        with contextlib.suppress(gitio.GitError):  # a folder git cannot read (no commit yet, git missing): no history, no finding
            out += _unchanged(root, when, unchanged or found["unchanged"])
    return out


def evaluations(root: Path, at_least: int) -> list[tuple[str, dt.date]]:
    """The evaluations in plan folder ``root``'s git history, oldest first: (the last commit of each run of consecutive
    commits whose plan.yaml has the same ``evaluation_date``, that date); commits whose plan.yaml records no date (or
    cannot be read) are passed over. ``[]`` without reading any plan.yaml when fewer than ``at_least`` commits changed it.

    Raises :class:`dxplan.files.gitio.GitError` when git fails.
    """
    history = gitio.folder_history(root)
    blobs = [changed[PLAN_FILE] for _, changed in history if changed.get(PLAN_FILE)]
    if len(blobs) < at_least:
        return []
    dates = _dates(root, [b for b in blobs if b is not None])
    runs: list[tuple[str, dt.date]] = []
    blob: str | None = None
    for commit, changed in history:
        blob = changed.get(PLAN_FILE, blob)
        date = dates.get(blob) if blob is not None else None
        if date is None:
            continue
        if runs and runs[-1][1] == date:
            runs[-1] = (commit, date)
        else:
            runs.append((commit, date))
    return runs


def _dates(root: Path, blobs: list[str]) -> dict[str, dt.date]:
    """The ``evaluation_date`` of each plan.yaml blob that has one, read by the one reader within its limits
    (:func:`dxplan.files.load.read_document`: a blob whose text was read before is served from the results cache)."""
    from pydantic import TypeAdapter, ValidationError

    from dxplan.files.load import Limits, read_document
    from dxplan.model.base import EraDate

    limits = Limits.from_env()
    sizes = gitio.blob_sizes(blobs, root)
    texts = gitio.read_blobs([b for b in dict.fromkeys(blobs) if sizes.get(b, limits.file_bytes + 1) <= limits.file_bytes], root)
    adapter: TypeAdapter[dt.date] = TypeAdapter(EraDate)
    out: dict[str, dt.date] = {}
    for blob, raw in texts.items():
        try:
            doc, _ = read_document(root / PLAN_FILE, raw.decode("utf-8-sig"), fast=True, limits=limits)
            data = doc.tree if doc is not None else None
            if isinstance(data, dict) and data.get("evaluation_date") is not None:
                out[blob] = adapter.validate_python(data["evaluation_date"])
        except (UnicodeDecodeError, ValidationError):
            continue
    return out


def _unchanged(root: Path, when: dt.date | None, n: int) -> list[Problem]:
    """``status-unchanged`` for plan folder ``root`` (working tree's ``evaluation_date``: ``when``) with N = ``n``."""
    runs = evaluations(root, n - 1)
    own = 1 if when is not None and runs and when > runs[-1][1] else 0  # the working tree is a new evaluation
    if len(runs) + own < n:
        return []
    repo = gitio.repo_root(root)
    try:
        rel = root.resolve().relative_to(repo).as_posix()
    except ValueError:  # git names a work tree that does not hold the folder as resolved: no history to read
        return []
    rel = "" if rel == "." else rel

    def committed() -> Iterator[Evaluation]:
        for commit, date in reversed(runs):
            yield Evaluation(commit, None, date, task_rows(load_plan(GitSource(repo, commit, rel), positions=False)))

    rule = load_rules()["status-unchanged"]
    head = load_plan(root, positions=False)
    shorts: dict[str, str] = {}
    out = []
    for f in check_history(head, committed(), n):
        full = f.params["commit"]
        if full not in shorts:
            shorts[full] = gitio.short(full, repo)
        f.params["commit"] = shorts[full]
        line, column = f.doc.position(f.loc, key=f.key)
        out.append(rule.problem(f.doc.path, line, column, **f.params))
    return out
