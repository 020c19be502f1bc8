"""One plan's share of the open-data package, computed where the plan is loaded (a worker process).

:func:`plan_part` is what ``dxplan publish`` maps over the plan folders (:func:`dxplan.files.pool.map_plans`):
from one loaded plan it builds every resource's rows (:func:`dxplan.opendata.tables.plan_tables`, and the
``status_history`` rows from git), checks the plan's keys (:func:`dxplan.opendata.tables.integrity`) and sends
back a :class:`PlanPart`: the rows as plain tuples, no model object, so the process writing the package holds
one plan's rows at a time, never the plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dxplan.files import gitio
from dxplan.files.load import LoadedPlan
from dxplan.status.history import build_history

from .tables import Row, Rows, as_tuples, history_rows, integrity, plan_tables


@dataclass(frozen=True)
class PlanPart:
    """One plan's rows (:data:`dxplan.opendata.tables.Rows`) and what the writer says about them.

    ``plan_id``: the plan's ID; ``has_code``: whether plan.yaml declares a municipality code; ``in_git``: whether
    the plan folder is in a git repository (None: the history was not asked for); ``broken``: the plan's keys
    that do not hold, as :func:`dxplan.opendata.tables.integrity` gives them (empty when they all hold)."""

    plan_id: str
    has_code: bool
    in_git: bool | None
    rows: Rows
    broken: list[tuple[str, str, str]]


def plan_part(loaded: LoadedPlan, history: bool) -> PlanPart:
    """The :class:`PlanPart` of one loaded plan, with its ``status_history`` rows from git when ``history``.

    Raises ValueError when the plan did not load (``loaded.plan`` is None)."""
    tables = plan_tables(loaded)
    plan = loaded.plan
    assert plan is not None  # plan_tables raised otherwise
    in_git: bool | None = None
    if history:
        found = _history_rows(loaded.root, plan.id)
        in_git = found is not None
        tables["status_history"] = found or []
    return PlanPart(plan.id, plan.municipality_code is not None, in_git, as_tuples(tables), integrity(tables))


def _history_rows(root: Path, plan_id: str) -> list[Row] | None:
    """``status_history`` rows of the plan folder ``root`` from its git history; None outside git."""
    try:
        repo = gitio.repo_root(root)
        rel = root.resolve().relative_to(repo).as_posix()
        found = build_history(repo, "" if rel == "." else rel)
    except gitio.GitError:
        return None
    return history_rows(plan_id, found)
